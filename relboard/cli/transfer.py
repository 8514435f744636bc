"""``relboard import``, ``export`` and ``migrate-to``: the board's data in and out."""

from __future__ import annotations

import argparse
import sys

from relboard.cli.command import EXIT_OK, Command, Invocation


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--merge", action="store_true",
                        help="records whose id is already stored update it (version checked) "
                             "instead of refusing the import as duplicates")


def _import(call: Invocation) -> int:
    """A YAML file, all or nothing, with a progress line on a terminal."""
    from relboard.progress import terminal_progress
    from relboard.services.transfer import import_file, section_count
    from relboard.text import plural

    args = call.args
    # quiet when piped; the line holds only numbers, so it may skip the escaping
    progress = terminal_progress(getattr(sys.stderr, "raw", sys.stderr))
    try:
        result = import_file(call.ctx, args.file, progress, merge=args.merge)
    finally:
        if progress:
            progress.done()
    print(f"imported {plural(result.total, 'record')}: "
          + ", ".join(section_count(s, n) for s, n in result.counts.items()))
    if args.merge:
        new = result.total - result.updated - result.unchanged
        print(f"by id: {new} new, {result.updated} updated, {result.unchanged} "
              "left as stored")
    return EXIT_OK


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", nargs="?", help="default: standard output")


def _export(call: Invocation) -> int:
    """Everything as YAML, to a file (all or nothing) or standard output."""
    from relboard.safe_write import is_stdout
    from relboard.services.export import export_file, export_yaml

    file = call.args.file
    if file is not None and not is_stdout(file):  # "-": standard output
        export_file(file, call.ctx.now())  # all or nothing: a temporary file, renamed
    else:
        export_yaml(sys.stdout, call.ctx.now())
    return EXIT_OK


def _migrate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", metavar="URL", help="postgresql://user@host/db")


def _migrate_to(call: Invocation) -> int:
    """This board copied into an empty PostgreSQL database."""
    from relboard.services.migrate_to import migrate_to, report

    sys.stdout.write(report(migrate_to(call.db, call.args.url), call.args.url))
    return EXIT_OK


IMPORT = Command("import", "import a YAML file (all or nothing)", _import, _import_arguments,
                 writes=True)
EXPORT = Command("export", "export everything as YAML", _export, _export_arguments)
MIGRATE_TO = Command("migrate-to", "copy this board into an empty PostgreSQL database",
                     _migrate_to, _migrate_arguments)
