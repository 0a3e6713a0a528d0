"""Writing output files (templates, reports): atomically, and never over a file unasked.

The data goes to a temporary file in the target's folder first, so no half file
is ever seen under the target's name. Without --force the temporary file is
then hard-linked to the name, which fails if the name exists: of two runs
racing for one name, exactly one succeeds. With --force it replaces the name,
but only if that is a regular file: a device (/dev/null), a pipe, a folder or a
symbolic link is never replaced by a report.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path


class OutputExists(Exception):
    """The output file exists and --force was not given."""


class OutputNotAFile(Exception):
    """The output name is a folder, a device, a pipe or a link: never written over."""

    def __init__(self, path: Path, kind: str):
        super().__init__(f"{path} is a {kind}")
        self.kind = kind  # "folder", "link", "device", "pipe", "socket" or "special"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISFIFO(mode):
        return "pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special"


def _check_target(path: Path, force: bool) -> None:
    """Raise unless `path` is absent, or a regular file and `force` is given."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise OutputNotAFile(path, _kind(mode))
    if not force:
        raise OutputExists(str(path))


def _temporary(path: Path) -> tuple[int, Path]:
    """Create a new file beside `path`, with the mode a plain open() would give (umask)."""
    stem = path.name[:100]  # leave room under the 255-byte name limit
    while True:
        temporary = path.with_name(f".{stem}.{secrets.token_hex(4)}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue


def write_atomically(path: Path, data: bytes, force: bool = False) -> None:
    """Write `data` to `path` all at once; OutputExists / OutputNotAFile / OSError if not."""
    _check_target(path, force)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = _temporary(path)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if force:
            _check_target(path, force)  # narrow the window for a name that changed kind
            os.replace(temporary, path)
        else:
            _link_exclusively(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _link_exclusively(temporary: Path, path: Path) -> None:
    """Give the finished file its name, failing if the name exists (even from a racing run)."""
    try:
        os.link(temporary, path)
        return
    except FileExistsError:
        _check_target(path, force=False)  # say what is there
        raise OutputExists(str(path)) from None
    except OSError as exc:
        # Some file systems (FAT/exFAT USB sticks, some network shares) have no
        # hard links. Reserve the name with an exclusive create instead, then
        # move the finished file over the empty placeholder.
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except FileExistsError:
        _check_target(path, force=False)
        raise OutputExists(str(path)) from None
    try:
        os.replace(temporary, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
