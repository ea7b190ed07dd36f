"""retrosheet's words in English: the same ids as `fr`, the same `{placeholders}`, in
modules of the same names (one an area).
"""

from __future__ import annotations

from .. import areas
from . import check, cli, errors, report, values

WORDS: dict[str, str] = areas(values.WORDS, errors.WORDS, check.WORDS, report.WORDS, cli.WORDS)
