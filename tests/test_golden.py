"""`retrosheet new` writes the same workbook as the golden copy, part by part: sheets,
styles, number formats, validations, conditional formats, charts, comments. A change
there is seen here first; when it is meant, `python3 tests/golden.py` rewrites the copy
and `git diff tests/golden` shows it."""

from __future__ import annotations

import difflib

import pytest
from golden import CASES, GOLDEN, parts

AGAIN = "run `python3 tests/golden.py` and review `git diff tests/golden` if it is meant"


@pytest.mark.parametrize("case", sorted(CASES))
def test_new_writes_the_golden_workbook(case: str) -> None:
    got = parts(case)
    folder = GOLDEN / case
    want = {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file()}
    assert sorted(got) == sorted(want), f"the parts differ; {AGAIN}"
    for name in sorted(got):
        if got[name] != want[name]:
            diff = "\n".join(list(difflib.unified_diff(
                want[name].decode("utf-8", "replace").splitlines(),
                got[name].decode("utf-8", "replace").splitlines(),
                f"golden/{name}", f"new/{name}", lineterm="", n=1))[:40])
            pytest.fail(f"{case}: {name} changed; {AGAIN}\n{diff}")
