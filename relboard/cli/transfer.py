"""``relboard import``, ``export`` and ``migrate-to``: the board's data in and out."""

from __future__ import annotations

import argparse
import sys

from relboard.cli.command import EXIT_BAD_INPUT, EXIT_OK, Command, Invocation


def _format_arguments(parser: argparse.ArgumentParser, verb: str) -> None:
    suffix = " (also chosen by a .csv name)" if verb == "import" else ""
    parser.add_argument("--format", choices=("yaml", "csv"), default=None,
                        help="yaml (the default) or csv: one kind of record a file, "
                             f"chosen with --only{suffix}")
    parser.add_argument("--only", metavar="KIND", default=None,
                        help="the kind of record of a CSV file (implies --format csv): "
                             "customers, stakeholders, touchpoints, expectations, issues"
                             + (", projects; without it, the file name's first word"
                                if verb == "import" else ", risks, decisions, feedback, projects"))


def _csv_kind(call: Invocation, importing: bool) -> str | None:
    """The kind ``--only`` names for a CSV file (without it, an import's file name when it
    starts with a kind: ``issues-2026-11-23.csv``); None (said on stderr) if none."""
    from relboard.services.csvformat import kind_in_name, kind_of
    from relboard.text import escaped

    only = call.args.only
    if only is None and importing:
        only = kind_in_name(call.args.file)
    if only is None:
        print(f"relboard: {'import' if importing else 'export'} --format csv: say which kind "
              "with --only KIND (a CSV file holds one kind of record)", file=sys.stderr)
        return None
    try:
        return kind_of(only, importing)
    except ValueError as exc:
        print(f"relboard: {escaped(str(exc))}", file=sys.stderr)
        return None


def _is_csv(args: argparse.Namespace, file: str | None) -> bool:
    """CSV when asked, or when ``--only`` is given or the file's name ends in ``.csv``."""
    if args.format is not None:
        return bool(args.format == "csv")
    return args.only is not None or (file is not None and file.lower().endswith(".csv"))


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--merge", action="store_true",
                        help="records whose id is already stored update it (version checked) "
                             "instead of refusing the import as duplicates (YAML only)")
    _format_arguments(parser, "import")


def _import(call: Invocation) -> int:
    """A YAML or CSV file, all or nothing, with a progress line on a terminal."""
    from relboard.progress import terminal_progress
    from relboard.services.transfer import import_file, section_count
    from relboard.text import plural

    args = call.args
    kind = None
    if _is_csv(args, args.file):
        if args.merge:
            print("relboard: import --merge reads YAML only (a CSV row has no id): every "
                  "CSV row is a new record", file=sys.stderr)
            return EXIT_BAD_INPUT
        if (kind := _csv_kind(call, importing=True)) is None:
            return EXIT_BAD_INPUT
    elif args.only is not None:
        print("relboard: import --only goes with CSV (a YAML file imports whole)",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    # quiet when piped; the line holds only numbers, so it may skip the escaping
    progress = terminal_progress(getattr(sys.stderr, "raw", sys.stderr))
    try:
        if kind is not None:
            from relboard.services.csvimport import import_csv

            result = import_csv(call.ctx, args.file, kind, progress)
        else:
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
    _format_arguments(parser, "export")


def _export(call: Invocation) -> int:
    """Everything as YAML, or one kind as CSV, to a file (all or nothing) or standard
    output."""
    from relboard.safe_write import is_stdout
    from relboard.services.export import export_file, export_yaml

    file = call.args.file
    if _is_csv(call.args, file):
        if (kind := _csv_kind(call, importing=False)) is None:
            return EXIT_BAD_INPUT
        from relboard.services.csvexport import csv_chunks, write_csv

        if file is not None and not is_stdout(file):
            write_csv(kind, file)
        else:
            for piece in csv_chunks(kind):
                sys.stdout.write(piece)
        return EXIT_OK
    if call.args.only is not None:
        print("relboard: export --only goes with CSV (a YAML export is whole)",
              file=sys.stderr)
        return EXIT_BAD_INPUT
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


IMPORT = Command("import", "import a YAML or CSV file (all or nothing)", _import,
                 _import_arguments, writes=True)
EXPORT = Command("export", "export everything as YAML, or one kind as CSV", _export,
                 _export_arguments)
MIGRATE_TO = Command("migrate-to", "copy this board into an empty PostgreSQL database",
                     _migrate_to, _migrate_arguments)
