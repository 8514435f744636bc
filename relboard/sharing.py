"""A database shared by several Unix users: the permissions that keep nobody locked out.

Several PMs (different users, one group) use one SQLite file. SQLite gives the ``-wal`` and
``-shm`` files the database's mode and the creator's user, so with a 0644 database a
colleague's leftover ``-wal`` stops every save of the owner (measured in
``../shared/notes/sqlite.md``). What works: the database and its side files group
read/write, in a setgid, group-writable folder (mode 2770), and a umask that keeps group
write on the files relboard itself creates there (a new database, backups, a restore).

A database counts as *shared* when its folder is group-writable or setgid, or the file is
group-writable or belongs to another user; a private database (your own, in your own
folder) is never checked. ``sharing_problems`` lists every problem with the exact command
that fixes it; ``refuse_unshared`` refuses at start with them.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from pathlib import Path

from relboard.errors import DatabaseUnusableError

SIDE_SUFFIXES = ("-wal", "-shm", "-users")
"""Files beside the database: SQLite's two, and relboard's presence file (``presence``)."""


class SharingError(DatabaseUnusableError):
    """A shared database's folder, files or this user's umask could lock someone out."""


def user_name(uid: int) -> str:
    """The login name of ``uid``, or ``uid N`` when it has none."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def group_name(gid: int) -> str:
    """The name of group ``gid``, or the number when it has none (chgrp takes both)."""
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def current_umask() -> int:
    """This process's umask (read from /proc where possible: setting it is not thread-safe)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def public_folder(info: os.stat_result) -> str | None:
    """How a folder is open to every user of the machine (world-writable, sticky: /tmp,
    /var/tmp, a public drop folder), e.g. "world-writable and sticky (mode 1777)"; None for
    a folder that is not. The one rule for such a folder: a shared database is never kept
    there (``sharing_problems``) nor made there (``team_folder_problem``: ``init --shared``
    would lock every other user out of it)."""
    found = [word for bit, word in ((stat.S_IWOTH, "world-writable"), (stat.S_ISVTX, "sticky"))
             if info.st_mode & bit]
    return f"{' and '.join(found)} (mode {info.st_mode & 0o7777:04o})" if found else None


def _public(info: os.stat_result) -> bool:
    """A folder every user may write in or that is sticky (see ``public_folder``)."""
    return public_folder(info) is not None


def _relboard_entry(entry: str, database: str, snippet: str) -> bool:
    """A file ``init --shared`` or relboard itself puts in a team folder."""
    return (entry in (database, snippet, *(database + s for s in SIDE_SUFFIXES))
            or entry.startswith((f"{database}.replaced-", f".{database}.", f".{snippet}.")))


def team_folder_problem(folder: Path, database: str, snippet: str,
                        group: str | None = None) -> str | None:
    """Why ``init --shared`` must not make ``folder`` a team folder (it would change the
    folder's group and mode), with what to do instead; None when it may: a new folder, or an
    existing one of this user's that is empty, only holds the database's own files, or is
    already a relboard team folder (it holds ``snippet``). Refused: a public folder
    (``public_folder``), another user's folder, and one holding other files."""
    try:
        info = folder.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot look at {folder}: {exc.strerror}"
    if not stat.S_ISDIR(info.st_mode):
        return f"{folder} is not a folder; name a folder for the team database"
    under = folder / "relboard-team"
    instead = (f"make a new folder for the team under it: relboard init --shared {under} "
               f"--group {group or 'GROUP'}")
    if how := public_folder(info):
        return (f"{folder} is a public folder, {how}, whose files belong to many users; "
                f"relboard will not change it (that would lock them out) — {instead}")
    if info.st_uid != os.geteuid():
        return (f"{folder} belongs to {user_name(info.st_uid)}, not you; relboard will not "
                f"change another user's folder — ask them to run relboard init --shared "
                f"{folder}, or {instead}")
    try:
        entries = sorted(os.listdir(folder))
    except OSError as exc:
        return f"cannot list {folder}: {exc.strerror}"
    if (folder / snippet).is_file() and not (folder / snippet).is_symlink():
        return None  # made by init --shared before: keep its files, renew the permissions
    others = [entry for entry in entries if not _relboard_entry(entry, database, snippet)]
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3
                                         else "")
        return (f"{folder} already holds other files ({shown}) and is not a relboard team "
                f"folder; relboard will not change its group and mode — {instead}")
    return None


def is_shared(path: Path) -> bool:
    """Whether the database at ``path`` is (meant to be) used by more than one user."""
    try:
        folder = path.parent.stat()
    except OSError:
        return False
    try:
        own = path.stat()
    except OSError:
        own = None
    if own is not None and (own.st_mode & stat.S_IWGRP or own.st_uid != os.geteuid()):
        return True
    return not _public(folder) and bool(folder.st_mode & (stat.S_ISGID | stat.S_IWGRP))


def _fix(owner: int, command: str) -> str:
    """Who runs ``command``: you, when you own the file, else its owner (or root)."""
    if owner == os.geteuid():
        return f"run: {command}"
    if owner == 0:
        return f"ask root to run: {command}"
    return f"ask {user_name(owner)} (its owner) or root to run: {command}"


def _file_problems(path: Path, gid: int, what: str, need: int = 0o060) -> list[str]:
    """A database or side file: the group permissions ``need``, and the folder's group."""
    try:
        info = path.stat()
    except OSError:
        return []
    problems = []
    left = "" if what == "database" else (
        " (you left it)" if info.st_uid == os.geteuid()
        else f" (left by {user_name(info.st_uid)})")
    if info.st_mode & need != need:
        problems.append(
            f"the {what} {path}{left} is not group-{'writable' if need & 0o020 else 'readable'} "
            f"(mode {info.st_mode & 0o7777:04o}), which locks the others out"
            f"{' of saving' if need & 0o020 else ''}; {_fix(info.st_uid, f'chmod g+rw {path}')}")
    if info.st_gid != gid:
        problems.append(
            f"the {what} {path}{left} belongs to group {group_name(info.st_gid)}, not the "
            f"folder's group {group_name(gid)}, which locks the others out; "
            f"{_fix(info.st_uid, f'chgrp {group_name(gid)} {path}')}")
    return problems


def sharing_problems(path: Path) -> list[str]:
    """Every way the shared database at ``path`` could lock a user out, with its fix.

    Empty for a private database (see ``is_shared``) and for one with nothing wrong.
    """
    path = Path(os.path.abspath(path))
    if not is_shared(path):
        return []
    folder = path.parent
    info = folder.stat()
    if how := public_folder(info):
        return [f"the shared database {path} is in the public folder {folder} ({how}), "
                "where users cannot share files safely; make a team folder and move it "
                "there: relboard init --shared /srv/relboard --group GROUP, then mv "
                f"{path} /srv/relboard/"]
    problems = []
    missing = [name for bit, name in ((stat.S_ISGID, "setgid"), (0o070, "group-writable"))
               if info.st_mode & bit != bit]
    if missing:
        problems.append(
            f"the shared folder {folder} is not {' or '.join(missing)} (mode "
            f"{info.st_mode & 0o7777:04o}), so files a colleague's relboard creates there can "
            f"lock the others out; {_fix(info.st_uid, f'chmod g+rwxs {folder}')}")
    problems += (own := _file_problems(path, info.st_gid, "database"))
    for suffix in SIDE_SUFFIXES:
        side = path.with_name(path.name + suffix)
        if own and side.exists() and side.stat().st_uid == os.geteuid():
            continue  # copies the database's mode (and is ours): fixing the database fixes it
        problems += _file_problems(side, info.st_gid, "file",
                                   0o040 if suffix == "-users" else 0o060)
    mask = current_umask()
    if mask & 0o060:
        problems.append(
            f"your umask {mask:03o} makes the files you create in the shared folder {folder} "
            "(a new database, backups, a restore) private to you, locking the others out; run: "
            "umask 002 (and add that line to your ~/.profile)")
    return problems


def refuse_unshared(path: Path) -> None:
    """Refuse (``SharingError``, one line) a shared database that could lock someone out."""
    problems = sharing_problems(path)
    if problems:
        more = (f" (and {len(problems) - 1} more problem"
                f"{'s' if len(problems) > 2 else ''}: relboard check lists them)"
                if len(problems) > 1 else "")
        raise SharingError(f"database: {problems[0]}{more}")


def share_file(path: Path) -> None:
    """Give a file relboard made in a shared folder group read/write and the folder's group.

    Only a regular file: a symbolic link (or anything else) a colleague left under a
    relboard name is left alone, never followed to change the file it points at.
    """
    folder = path.parent.stat()
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode):
        return
    if info.st_gid != folder.st_gid and folder.st_mode & stat.S_ISGID:
        os.chown(path, -1, folder.st_gid)
    os.chmod(path, (info.st_mode & 0o7777) | 0o060)
