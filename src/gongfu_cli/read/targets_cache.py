"""The catalogue, validated once and kept for the next run.

Parsing targets.yaml and validating it with pydantic (read/targets_file.py) costs
about 0.15 s of CPU, mostly importing yaml and pydantic and building the
validator: half of what a `gongfu check` costs. The file changes a few times a
year and is read on every run, so gongfu keeps the validated catalogue in the
user's cache folder, as compilers and linters keep theirs.

An entry is keyed by the file's exact bytes and by the code that validated it
(Python, gongfu's two modules that define a valid catalogue, pydantic and PyYAML;
see _key). Any change
to either is another key: an edited targets file is always validated again, and
refused if it is broken; a stale entry is never used.

The cache is a convenience, never a reason to fail or to answer differently: an
entry that cannot be read, a folder that cannot be written or that others may
write to, and gongfu takes the slow way without a word. GONGFU_CACHE_DIR moves
the folder; GONGFU_NO_CACHE=1 turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

from gongfu_cli.model import targets as catalogue_code
from gongfu_cli.model.targets import Targets
from gongfu_cli.read.targets_place import read_targets

# Raised when what is kept changes shape in a way the code's fingerprint cannot see.
FORMAT = 1
# Entries kept: one per version of a targets file; the oldest beyond this are removed.
KEEP = 16


def load_targets(path: Path) -> Targets:
    """The catalogue in the targets file at `path`: from the cache when these exact
    bytes were validated by this code before, else read, parsed and validated (a
    GongfuError with located problems when the file is bad) and kept."""
    content = read_targets(path)
    folder = cache_folder()
    if folder is None:
        return _validated(content, path)
    name = f"targets-{_key(content)}.pickle"
    kept = _kept(folder, name)
    if kept is not None:
        return kept
    targets = _validated(content, path)
    _keep(folder, folder / name, targets)
    return targets


def cache_folder() -> Path | None:
    """Where validated catalogues are kept: GONGFU_CACHE_DIR, else the user's cache
    folder for gongfu (~/.cache/gongfu, %LOCALAPPDATA%\\gongfu\\Cache …); None when
    GONGFU_NO_CACHE is set."""
    if os.environ.get("GONGFU_NO_CACHE", "").strip().lower() not in ("", "0", "false", "no"):
        return None
    configured = os.environ.get("GONGFU_CACHE_DIR")
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("gongfu", appauthor=False))


def _validated(content: bytes, path: Path) -> Targets:
    # yaml and pydantic are imported only here, for a file the cache does not hold
    from gongfu_cli.read.targets_file import parse_targets

    return parse_targets(content, str(path))


def _key(content: bytes) -> str:
    """The entry's name: the file's bytes and the code that validates them (this
    Python; gongfu's two modules that define a valid catalogue; pydantic and PyYAML,
    found without importing them). A reinstalled or edited module has another time
    or size, and so another key."""
    key = hashlib.sha256(f"{FORMAT} {sys.version}".encode())
    validator = Path(__file__).with_name("targets_file.py")
    modules = [Path(catalogue_code.__file__ or ""), validator]
    for library in ("pydantic", "pydantic_core", "yaml"):
        spec = importlib.util.find_spec(library)
        modules.append(Path(spec.origin if spec is not None and spec.origin else ""))
    for module in modules:
        with contextlib.suppress(OSError):
            found = module.stat()
            key.update(f"{module} {found.st_mtime_ns} {found.st_size}".encode())
    key.update(content)
    return key.hexdigest()[:32]


def _kept(folder: Path, name: str) -> Targets | None:
    """The catalogue kept in the entry `name`, or None when there is none to trust."""
    try:
        with _open_private(folder, name) as file:
            kept = pickle.load(file)
    except Exception:  # missing, damaged or untrusted: a miss, whatever it raised
        return None
    return kept if isinstance(kept, Targets) else None


def _open_private(folder: Path, name: str) -> BinaryIO:
    """The entry, opened only if the user alone could have written it: unpickling runs
    what an entry names. On POSIX the folder and the entry are checked as opened
    (no symbolic link followed, owned by the user, writable by no one else), so
    nothing can be swapped between the check and the read. A Windows user's own
    cache folder is private to them already."""
    if os.name != "posix":
        return (folder / name).open("rb")
    nofollow = os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    directory = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | nofollow)
    try:
        _check_private(directory)
        entry = os.open(name, os.O_RDONLY | nofollow, dir_fd=directory)
    finally:
        os.close(directory)
    try:
        _check_private(entry)
    except BaseException:
        os.close(entry)
        raise
    return os.fdopen(entry, "rb")


def _check_private(handle: int) -> None:
    if not _owned_alone(os.fstat(handle)):
        raise PermissionError("a cache entry others could have written")


def _private(folder: Path) -> bool:
    """Only the user may write to the folder (POSIX), so that what is written there is
    read back (see _open_private)."""
    if os.name != "posix":
        return True
    found = os.lstat(folder)
    return stat.S_ISDIR(found.st_mode) and _owned_alone(found)


def _owned_alone(found: os.stat_result) -> bool:
    """The user's, and writable by no one else."""
    return found.st_uid == os.getuid() and not found.st_mode & 0o022


def _keep(folder: Path, entry: Path, targets: Targets) -> None:
    """Write the entry atomically (a reader sees a whole entry or none), then remove
    the oldest beyond KEEP. Nothing here may fail a run."""
    with contextlib.suppress(OSError, pickle.PicklingError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
            return
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".targets-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump(targets, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, entry)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        entries = sorted(folder.glob("targets-*.pickle"), key=lambda kept: kept.stat().st_mtime)
        for old in entries[:-KEEP]:
            old.unlink()
