"""The one way tests run the command line: click's runner, stdout and stderr apart."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from retrosheet.cli import cli


def invoke(*args: str | Path) -> Result:
    """`retrosheet ARGS…` in-process; paths given as Path are passed as text."""
    return CliRunner().invoke(cli, [str(a) for a in args])


_MADE: dict[tuple[object, ...], bytes] = {}


def built_once(dest: Path, key: tuple[object, ...], build: Callable[[Path], object]) -> Path:
    """`build(dest)` for a test that needs the file rather than tests its making: run once
    a session for the same `key`, the file copied byte for byte after that."""
    key = (dest.suffix.lower(), *key)
    if key in _MADE:
        dest.write_bytes(_MADE[key])
        return dest
    build(dest)
    _MADE[key] = dest.read_bytes()
    return dest


def made_file(dest: Path, *args: str | Path) -> Path:
    """`retrosheet new ARGS… -o DEST`, once a session for the same arguments (a template
    file counts by its content)."""
    def new(path: Path) -> None:
        r = invoke("new", *args, "-o", path)
        assert r.exit_code == 0, r.output

    key = tuple(Path(a).read_bytes() if Path(a).is_file() else str(a) for a in args)
    return built_once(dest, ("new", *key), new)


def edits_once(edit: Callable[..., None]) -> Callable[..., None]:
    """An in-place edit of a test file (what a team types, made with openpyxl), done once a
    session for the same file content and arguments: later calls copy its result."""
    @functools.wraps(edit)
    def once(path: Path, *args: object) -> None:
        key = (edit.__module__, edit.__qualname__, path.read_bytes(), repr(args))
        built_once(path, key, lambda p: edit(p, *args))

    return once
