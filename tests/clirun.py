"""The one way tests run the command line: click's runner, stdout and stderr apart."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from retrosheet.cli import cli


def invoke(*args: str | Path) -> Result:
    """`retrosheet ARGS…` in-process; paths given as Path are passed as text."""
    return CliRunner().invoke(cli, [str(a) for a in args])


_MADE: dict[tuple[object, ...], bytes] = {}


def made_file(dest: Path, *args: str | Path) -> Path:
    """`retrosheet new ARGS… -o DEST` for a test that needs a plan rather than tests `new`:
    written once a session for the same arguments (a template file counts by its content)
    and copied byte for byte after that."""
    key = (dest.suffix.lower(),
           *(Path(a).read_bytes() if Path(a).is_file() else str(a) for a in args))
    if key in _MADE:
        dest.write_bytes(_MADE[key])
        return dest
    r = invoke("new", *args, "-o", dest)
    assert r.exit_code == 0, r.output
    _MADE[key] = dest.read_bytes()
    return dest
