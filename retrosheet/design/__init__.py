"""The workbook of a new plan, described once and backend-neutral.

Sheets, cells (values, live formulas from retrosheet/layout.py, the engine's cached
values), style roles, column widths, conditional formats, validations, charts and page
setup are built here as plain data (`build_workbook`). The XlsxWriter writer
(retrosheet/xlsx/create.py) and the Google Sheets batchUpdate (retrosheet/gsheets/create.py)
only render it, so the two kinds of plan cannot drift apart.
"""

from __future__ import annotations

from .build import build_workbook
from .model import (
    Cell,
    Chart,
    Column,
    Look,
    Page,
    Rule,
    Series,
    SheetDesign,
    Validation,
    Workbook,
)

__all__ = ["Cell", "Chart", "Column", "Look", "Page", "Rule", "Series", "SheetDesign",
           "Validation", "Workbook", "build_workbook"]
