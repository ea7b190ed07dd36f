"""Les mots de retrosheet en français — the reference catalogue, one module an area.

Every id used anywhere is here; `en` (and any third language) has the same ids with the
same `{placeholders}` in modules of the same names. Keep each addition in its area.
"""

from __future__ import annotations

from .. import areas
from . import check, cli, errors, report, values

WORDS: dict[str, str] = areas(values.WORDS, errors.WORDS, check.WORDS, report.WORDS, cli.WORDS)
