"""``relboard init --shared DIR``: a team database several Unix users can all write.

The folder gets the team's group and mode 2770 (setgid: every file made in it gets that
group), the database mode 0660 (SQLite gives its ``-wal``/``-shm`` the same mode), and a
config snippet for colleagues is written beside it (``relboard-team.yaml``, through
``relboard.safe_write``). An existing database in the folder is kept and given the same
permissions. A folder that is public, another user's, or holds other files is refused
(``init_shared``).
"""

from __future__ import annotations

import grp
import json
import os
from dataclasses import dataclass
from pathlib import Path

from relboard.dbfile import new_sqlite_file
from relboard.errors import DatabaseUnusableError
from relboard.safe_write import UnsafeTargetError, reason, write_text
from relboard.sharing import (
    SIDE_SUFFIXES,
    current_umask,
    group_name,
    share_file,
    team_folder_problem,
)

SNIPPET_NAME = "relboard-team.yaml"
DATABASE_NAME = "relboard.db"


class SetupError(DatabaseUnusableError):
    """The shared set-up cannot be made as asked (one line with the fix; exit 2)."""


@dataclass(frozen=True)
class SharedSetup:
    """What ``init_shared`` made: where, for which group, and the snippet for colleagues."""

    folder: Path
    database: Path
    group: str
    created: bool
    snippet_path: Path
    snippet: str
    umask_note: str | None


def _gid(group: str | None, folder: Path) -> int:
    """The team's group id: ``group`` (a name or number), else the existing folder's group."""
    if group:
        if group.isdigit():
            return int(group)
        try:
            return grp.getgrnam(group).gr_gid
        except KeyError:
            raise SetupError(f"init: there is no group {group!r}; name the Unix group of the "
                             "PMs who share the board (see: getent group)") from None
    if folder.is_dir():
        return folder.stat().st_gid
    mine = ", ".join(sorted({group_name(g) for g in {os.getegid(), *os.getgroups()}})) or "none"
    raise SetupError(f"init: say which Unix group shares the board: relboard init --shared "
                     f"{folder} --group GROUP (your groups: {mine})")


def _as_owner(action, command: str) -> None:
    """Run a permission change; a refusal names the exact command for the owner or root."""
    try:
        action()
    except PermissionError:
        raise SetupError(f"init: not allowed to change that; ask the owner or root to run: "
                         f"{command}") from None


def snippet_text(folder: Path, database: Path, group: str) -> str:
    """The config to hand to colleagues (a YAML file)."""
    return (f"# relboard: the team board in {folder} (made by relboard init --shared)\n"
            f"# Each PM: be in group {group} (root: usermod -aG {group} NAME, then log in "
            "again),\n"
            "# put `umask 002` in ~/.profile, and save this file as "
            "~/.config/relboard/config.yaml\n"
            "# (or copy the database line into yours).\n"
            f"database: {json.dumps(str(database))}\n")


def init_shared(folder: str | Path, group: str | None = None,
                name: str = DATABASE_NAME) -> SharedSetup:
    """Prepare ``folder`` as a team database folder; see the module's docstring.

    Only a new folder, or one of this user's that is empty, holds only the database's files or
    is already a team folder: a public folder (/tmp), another user's folder or one holding
    other files is refused before anything changes (``sharing.team_folder_problem``, the rule
    ``relboard check`` applies to a shared database's folder too).
    """
    from relboard.db import close_database, open_database

    folder = Path(os.path.abspath(os.path.expanduser(folder)))
    if folder.exists() and not folder.is_dir():
        raise SetupError(f"init: {folder} is a file; name a folder for the team database")
    if problem := team_folder_problem(folder, name, SNIPPET_NAME, group):
        raise SetupError(f"init: {problem}")
    gid = _gid(group, folder)
    database = folder / name
    if database.is_symlink() or (database.exists() and not database.is_file()):
        raise SetupError(f"init: {database} is not a plain file; relboard keeps the team "
                         "database as a regular file in the folder — move it away first")
    if database.exists():  # refuse what is not relboard's before changing anything
        open_database(str(database), verify=False, empty_ok=True)
        close_database()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SetupError(f"init: cannot create {folder}: {exc.strerror}") from None
    if folder.stat().st_gid != gid:
        _as_owner(lambda: os.chown(folder, -1, gid), f"chgrp {group_name(gid)} {folder}")
    _as_owner(lambda: os.chmod(folder, 0o2770), f"chmod 2770 {folder}")
    created = new_sqlite_file(database, 0o660)  # whatever the umask; never seen empty
    for path in [database, *(database.with_name(name + s) for s in SIDE_SUFFIXES)]:
        if path.exists():
            _as_owner(lambda p=path: share_file(p), f"chgrp {group_name(gid)} {path} && "
                      f"chmod g+rw {path}")
    open_database(str(database), verify=False, empty_ok=True)  # the schema
    close_database()
    text = snippet_text(folder, database, group_name(gid))
    try:
        snippet_path = write_text(folder / SNIPPET_NAME, text, follow=False)
    except (UnsafeTargetError, OSError) as exc:
        why = str(exc) if isinstance(exc, UnsafeTargetError) else reason(exc)
        raise SetupError(f"init: cannot write {folder / SNIPPET_NAME}: {why}") from None
    share_file(snippet_path)
    mask = current_umask()
    note = None if not mask & 0o060 else (
        f"your umask is {mask:03o}: relboard refuses to work in the shared folder until you "
        "run umask 002 (add that line to your ~/.profile)")
    return SharedSetup(folder, database, group_name(gid), created, snippet_path, text, note)
