"""The workbook `retrosheet new` writes, kept part by part as a golden copy.

`python3 tests/golden.py` writes tests/golden/<case>/ again from the current code; review
the diff (`git diff tests/golden`) and commit it when the change is meant. Each part is
normalised first: the creation time (the only thing that changes from one run to the
next) is blanked, and XML gets a line break between tags so a diff shows what moved.
"""

from __future__ import annotations

import re
import sys
import tempfile
import zipfile
from pathlib import Path

from click.testing import CliRunner

GOLDEN = Path(__file__).resolve().parent / "golden"
# The frozen `single` template (tests/fixtures): the built-in templates' content may change
# without touching the workbook's design, which is what this copy guards.
SINGLE = str(Path(__file__).resolve().parent / "fixtures" / "single.csv")
# case → the `retrosheet new` arguments (a fixed --today: the plan does not depend on it)
CASES = {
    "single-fr": [SINGLE, "--release", "2027-05-14", "--today", "2027-03-01",
                  "--title", "Nuit blanche", "--artist", "Léa"],
    "single-en": [SINGLE, "--release", "2027-05-14", "--today", "2027-03-01", "--lang", "en"],
}
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def normalise(name: str, data: bytes) -> bytes:
    data = _STAMP.sub(rb"\1(time of writing)\2", data)
    if name.endswith((".xml", ".rels", ".vml")):
        data = re.sub(rb">\s*<", b">\n<", data).rstrip() + b"\n"
    return data


def parts(case: str) -> dict[str, bytes]:
    """The normalised parts of the workbook `new` writes for `case`."""
    from retrosheet.cli import cli

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.xlsx"
        result = CliRunner().invoke(cli, ["new", *CASES[case], "-o", str(path)])
        assert result.exit_code == 0, result.output
        with zipfile.ZipFile(path) as z:
            return {n: normalise(n, z.read(n)) for n in z.namelist()}


def write(case: str) -> None:
    folder = GOLDEN / case
    for old in sorted(folder.rglob("*"), reverse=True) if folder.exists() else []:
        old.unlink() if old.is_file() else old.rmdir()
    for name, data in parts(case).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


if __name__ == "__main__":
    for case in sys.argv[1:] or list(CASES):
        write(case)
        print(f"tests/golden/{case}/ written")
