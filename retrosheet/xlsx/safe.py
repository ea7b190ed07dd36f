"""Safe writes: every file retrosheet writes replaces the old one whole, or not at all.

- `atomic_path`: a temporary file in the target's own folder, flushed to disk, then renamed
  over the target (a symlink's target: the link stays); on any error, full disk or signal
  the temporary file is removed and the target is as it was. A file open in Excel or
  LibreOffice, a read-only file and a folder are refused.
- `writer_lock`: one retrosheet writer at a time per plan (a second one waits, then refuses).
- `write_output`: a report/export/calendar file, never written over a workbook.

docs/guarantees.md lists these guarantees and the tests that show them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import FrameType

from ..errors import WorkbookError, msg

# How long a second writer waits for the first one (seconds); tests shorten it.
LOCK_WAIT = float(os.environ.get("RETROSHEET_LOCK_WAIT", "20"))

# Workbooks and the signatures of their files: an output never goes over one.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls", ".ods", ".ots")
_SIGNATURES = (b"PK\x03\x04", bytes.fromhex("D0CF11E0A1B11AE1"))


class Interrupted(BaseException):  # like KeyboardInterrupt: not an error to catch
    """A TERM/INT/HUP signal arrived during a write; the temporary file is already removed."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"interrupted by signal {signum}")


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel (`~$name`) and LibreOffice (`.~lock.name#`) leave beside a file."""
    return [p for p in (path.with_name("~$" + path.name),
                        path.with_name(f".~lock.{path.name}#")) if p.exists()]


def open_in(path: Path) -> str | None:
    """`Excel` or `LibreOffice` when that application has `path` open (its lock file)."""
    for p in lock_files(path) + lock_files(Path(os.path.realpath(path))):
        return "Excel" if p.name.startswith("~$") else "LibreOffice"
    return None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _io_error(path: Path, exc: OSError, existed: bool) -> WorkbookError:
    reason = exc.strerror or str(exc)
    key = "err.read.write_failed_unchanged" if existed else "err.read.write_failed_nothing"
    return WorkbookError(msg(key, name=path.name, reason=reason))


def writable_target(path: Path) -> Path:
    """The file a write to `path` must replace (a symlink's target), after refusing the
    cases Excel and LibreOffice refuse too: open elsewhere, read-only, a folder."""
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    locks = lock_files(path) or lock_files(real)
    if locks:
        lock = locks[0]
        raise WorkbookError(msg("err.read.open_elsewhere", name=path.name, lock=lock.name))
    if real.is_dir():
        raise WorkbookError(msg("err.read.folder_not_file", path=str(path)))
    folder = real.parent if str(real.parent) else Path(".")
    if not folder.is_dir():
        raise WorkbookError(msg("err.read.no_folder", folder=repr(str(folder))))
    # The write bits, not os.access: root may write anything, the user marked it read-only.
    if real.exists() and not real.stat().st_mode & 0o222:
        raise WorkbookError(msg("err.read.read_only", name=path.name))
    return real


@contextlib.contextmanager
def _signals_raise() -> Iterator[list[int]]:
    """TERM, INT and HUP raise Interrupted inside the block, so `finally` clauses run."""
    got: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield got
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        got.append(signum)
        raise Interrupted(signum)

    wanted = [signal.SIGTERM, signal.SIGINT] + ([signal.SIGHUP] if sys.platform != "win32"
                                                else [])
    # A handler Python did not install (None: a host such as LibreOffice embedding Python)
    # could not be put back: leave those signals to their owner.
    before = {s: signal.signal(s, handler) for s in wanted
              if signal.getsignal(s) is not None}
    try:
        yield got
    finally:
        for s, old in before.items():
            signal.signal(s, old)


def _fsync_folder(folder: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - folders cannot be opened there
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`'s real file, renamed over it only if the block succeeds.

    OSErrors (a full disk, no permission) become one WorkbookError naming the file.
    """
    real = writable_target(path)
    existed = real.exists()
    folder = real.parent if str(real.parent) else Path(".")
    tmp: Path | None = None
    with _signals_raise() as got:
        try:
            # Named before it is made (mkstemp makes the file, then hands back its name):
            # whenever a signal arrives, `finally` knows what to remove.
            tmp = folder / f".{real.stem}.{secrets.token_hex(8)}{real.suffix}"
            try:
                os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except OSError:
                tmp = None  # not ours to remove
                raise
            yield tmp
            with tmp.open("rb+") as f:
                os.fsync(f.fileno())  # the bytes are on disk before the name points at them
            if real.exists():  # keep the plan's permissions (a shared folder's group rights)
                os.chmod(tmp, real.stat().st_mode & 0o7777)
            else:
                os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, real)
            tmp = None
            _fsync_folder(folder)
        except OSError as exc:
            if got:  # an error raised while unwinding from a signal
                raise Interrupted(got[0]) from exc
            raise _io_error(path, exc, existed) from exc
        except Exception as exc:
            if got:
                raise Interrupted(got[0]) from exc
            raise
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    tmp.unlink()


def is_workbook(path: Path) -> bool:
    """A spreadsheet file by its name or its first bytes (zip or OLE)."""
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return True
    if not path.is_file():
        return False
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError:
        return False
    return head.startswith(_SIGNATURES[0]) or head == _SIGNATURES[1]


def write_output(path: Path, data: bytes | Iterable[bytes],
                 reading: Sequence[Path] = ()) -> None:
    """Write a report, export or calendar to `path` atomically, never over a workbook
    (the plan being read above all): last week's file stays whole until the new one is."""
    real = Path(os.path.realpath(path))
    for plan in reading:
        if real == Path(os.path.realpath(plan)):
            raise WorkbookError(msg("err.read.output_is_plan", name=path.name))
    if is_workbook(path) or is_workbook(real):
        raise WorkbookError(msg("err.read.output_is_book", name=path.name))
    with atomic_path(path) as tmp:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:  # in pieces: a big report is never whole in memory
            with tmp.open("wb") as f:
                for piece in data:
                    f.write(piece)


def _same_file(fd: int, path: Path) -> bool:
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)


@contextlib.contextmanager
def writer_lock(path: Path, wait: float | None = None) -> Iterator[None]:
    """Hold retrosheet's own lock on a plan while reading it to write it back.

    The lock is the OS's advisory lock (flock) on the plan file itself: nothing is added
    beside the plan, and a crashed process releases it. A second writer waits up to
    `wait` seconds (LOCK_WAIT), then refuses in one line.
    """
    if sys.platform == "win32":  # pragma: no cover - Windows refuses renames of open files
        yield
        return
    import fcntl

    real = Path(os.path.realpath(path))
    deadline = time.monotonic() + (LOCK_WAIT if wait is None else wait)
    while True:
        try:
            fd = os.open(real, os.O_RDONLY)
        except FileNotFoundError:  # nothing to protect: the reader names the missing file
            yield
            return
        except OSError as exc:
            raise WorkbookError(msg("err.read.cannot_open", name=path.name,
                                        reason=str(exc.strerror))) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise WorkbookError(msg("err.read.busy", name=path.name)) from None
            time.sleep(0.05)
            continue
        # The writer we waited for renamed a new file over the plan: lock that one.
        if _same_file(fd, real):
            break
        os.close(fd)
    try:
        yield
    finally:
        os.close(fd)

