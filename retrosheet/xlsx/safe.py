"""Safe writes: refuse a file open in Excel or LibreOffice, write atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import WorkbookError


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel (`~$name`) and LibreOffice (`.~lock.name#`) leave beside a file."""
    return [p for p in (path.with_name("~$" + path.name),
                        path.with_name(f".~lock.{path.name}#")) if p.exists()]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path in the same folder, renamed over `path` only if the block succeeds."""
    locks = lock_files(path)
    if locks:
        raise WorkbookError(
            f"{path.name} is open in a spreadsheet (lock file {locks[0].name}): close it first"
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WorkbookError(f"folder {str(folder)!r} does not exist")
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if path.exists():  # keep the plan's permissions (a shared folder's group rights)
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
