"""The README says what is true: its Python API runs as written, and its command table
names every option of every command."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from retrosheet.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"\n## {title}")
    end = README.find("\n## ", start + 1)
    return README[start: end if end > 0 else None]


def test_the_python_api_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    blocks = re.findall(r"```python\n(.*?)```", section("Python API"), re.DOTALL)
    assert len(blocks) >= 2
    monkeypatch.chdir(tmp_path)  # the examples write plan.xlsx where they run
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "T010" in out and "late" in out and "cells changed" in out
    assert os.listdir(tmp_path) == ["plan.xlsx"]


def test_the_command_table_names_every_option() -> None:
    table = section("Commands")
    for name, command in cli.commands.items():
        rows = [line for line in table.splitlines() if line.startswith(f"| `retrosheet {name}")]
        assert rows, f"{name} is not in the README's command table"
        text = "\n".join(rows)
        for param in command.params:
            opts = getattr(param, "opts", [])
            if getattr(param, "hidden", False) or not any(o.startswith("-") for o in opts):
                continue
            assert any(re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", text) for o in opts), \
                f"retrosheet {name}: {max(opts, key=len)} is missing from the README's table"
