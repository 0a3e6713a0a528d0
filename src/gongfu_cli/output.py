"""Writing output files (templates, reports): atomically, and never over a file unasked."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class OutputExists(Exception):
    """The output file exists and --force was not given."""


def write_atomically(path: Path, data: bytes, force: bool = False) -> None:
    """Write via a temporary file in the same folder and rename, so no half file is left."""
    if path.exists() and not force:
        raise OutputExists(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        # mkstemp makes the file private (0600); give it the mode a plain
        # open() would, so a report or template can be shared as usual.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
