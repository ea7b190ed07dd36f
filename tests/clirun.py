"""The one way tests run the command line: click's runner, stdout and stderr apart."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from retrosheet.cli import cli


def invoke(*args: str | Path) -> Result:
    """`retrosheet ARGS…` in-process; paths given as Path are passed as text."""
    return CliRunner().invoke(cli, [str(a) for a in args])
