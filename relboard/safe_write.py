"""Every file relboard writes on request goes through here: only a regular file or a new
name, written whole or not at all.

``vet_target`` refuses, before anything is written, a name that is empty, a folder, a device
node, a FIFO, a socket, or a symbolic link to one of those (or to nothing): relboard never
writes into, or replaces, what is not an ordinary file (``relboard export /dev/full`` once
replaced the device node with a file). A link to a regular file is followed: the file it
points at is replaced, the link stays. ``replacing`` hands out a temporary file in the
target's folder; when the body ends without error the file is flushed to disk and renamed
onto the target in one step (a reader sees the old file or the new one, never half of
one; the folder is synced too), otherwise it is removed and the target left as it was (a
full disk costs nothing). The new file keeps the replaced file's permission bits (and its
group where allowed); a new one gets ``0666`` less the umask. ``STDOUT`` (``-``) is
standard output, for the commands that offer it (``is_stdout``).

No Textual, no database: the command line's writers (export, backup, restore, ``init
--shared``'s config snippet) and any later one (a calendar or CSV file) share this module.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

STDOUT = "-"
"""The name that means standard output (for commands that can write there)."""


class UnsafeTargetError(ValueError):
    """The name given is not a regular file or a new path; nothing was written (one line)."""


def is_stdout(name: str | os.PathLike[str] | None) -> bool:
    """Whether ``name`` is ``-``, standard output."""
    return name is not None and os.fspath(name) == STDOUT


def _kind(mode: int) -> str:
    """What a file that is not regular is, in a user's words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def vet_target(name: str | os.PathLike[str], overwrite: bool = True,
               follow: bool = True) -> Path:
    """The absolute path to write for ``name``: an existing regular file (through a symbolic
    link to one, unless not ``follow``) or a new name. ``UnsafeTargetError`` otherwise, and
    with ``overwrite`` False also for an existing file; nothing is touched either way."""
    text = os.fspath(name)
    if not text.strip():
        raise UnsafeTargetError("no file named (the name is empty); name a new file")
    path = Path(os.path.abspath(os.path.expanduser(text)))
    try:
        own = path.lstat()
    except FileNotFoundError:
        own = None
    except OSError as exc:
        raise UnsafeTargetError(f"cannot look at {path}: {exc.strerror}") from None
    if own is not None and stat.S_ISLNK(own.st_mode) and not follow:
        raise UnsafeTargetError(f"{path} is a symbolic link, where relboard writes its own "
                                "file; it left the link untouched — remove it, then try again")
    if own is not None and stat.S_ISLNK(own.st_mode):
        real = Path(os.path.realpath(path))
        try:
            info = real.stat()
        except OSError:
            raise UnsafeTargetError(f"{path} is a symbolic link to {real}, which does not "
                                    "exist; relboard writes only regular files — name the "
                                    "file itself or a new name") from None
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeTargetError(f"{path} is a symbolic link to {real}, which is "
                                    f"{_kind(info.st_mode)}; relboard writes only regular "
                                    "files and left it untouched — name a new file")
        path, own = real, info
    if own is not None and not stat.S_ISREG(own.st_mode):
        raise UnsafeTargetError(f"{path} is {_kind(own.st_mode)}; relboard writes only "
                                "regular files and left it untouched — name a new file")
    if own is not None and not overwrite:
        raise UnsafeTargetError(f"{path} already exists; relboard never overwrites it — "
                                "name a new file")
    return path  # a missing folder: creating the temporary file says so (OSError)


def reason(exc: OSError) -> str:
    """Why a write failed, in a user's words: a read-only file system said as such."""
    if exc.errno == errno.EROFS:
        return "it is on a read-only file system (mounted read-only)"
    return exc.strerror or str(exc)


def _umask() -> int:
    from relboard.sharing import current_umask

    return current_umask()


def _new_mode(target: Path, mode: int | None) -> tuple[int, int | None, int | None]:
    """(mode, uid, gid) for the file that replaces ``target``: the old file's, else new."""
    try:
        info = target.stat()
    except FileNotFoundError:
        return (0o666 & ~_umask() if mode is None else mode), None, None
    return (stat.S_IMODE(info.st_mode) & 0o777 if mode is None else mode), info.st_uid, \
        info.st_gid


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: not every file system can)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def replacing(name: str | os.PathLike[str], overwrite: bool = True,
              mode: int | None = None, suffix: str = ".tmp",
              follow: bool = True) -> Iterator[Path]:
    """Yield a new, empty temporary file beside the target of ``name`` (see ``vet_target``)
    for the body to fill; then fsync it and rename it onto the target (``overwrite`` False:
    link it under the name, which fails if a file appeared there meanwhile). On any error
    the temporary file goes and the target is as it was. ``mode``: the new file's permission
    bits (default: the replaced file's, else 0666 less the umask); ``follow`` False: a
    symbolic link at ``name`` is refused, not followed."""
    target = vet_target(name, overwrite, follow)
    bits, uid, gid = _new_mode(target, mode)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix,
                                     dir=target.parent)
    temp = Path(temporary)
    try:
        os.close(fd)
        yield temp
        with open(temp, "rb+") as handle:
            os.fchmod(handle.fileno(), bits)
            if gid is not None:
                with contextlib.suppress(OSError):  # not in that group: keep ours
                    os.fchown(handle.fileno(), uid if os.geteuid() == 0 else -1, gid)
            os.fsync(handle.fileno())
        vet_target(target, overwrite, follow)  # still a regular file (or none) just before
        if overwrite:
            os.replace(temp, target)
        else:
            try:
                os.link(temp, target)  # never replaces a file that appeared meanwhile
            except FileExistsError:
                raise UnsafeTargetError(f"{target} appeared meanwhile; relboard never "
                                        "overwrites it — name a new file") from None
        sync_folder(target.parent)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def write_text(name: str | os.PathLike[str], text: str | Iterable[str],
               overwrite: bool = True, follow: bool = True) -> Path:
    """Write ``text`` (a string or its pieces, UTF-8) to ``name`` all or nothing (see
    ``replacing``); return the path written. ``OSError`` (a full disk, no permission) or
    ``UnsafeTargetError`` leave the target as it was."""
    target = vet_target(name, overwrite, follow)
    with replacing(target, overwrite, follow=follow) as temp:
        with open(temp, "w", encoding="utf-8") as handle:
            for piece in [text] if isinstance(text, str) else text:
                handle.write(piece)
    return target
