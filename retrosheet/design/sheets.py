"""Contacts, Settings, Report and History: the sheets around the Planning."""

from __future__ import annotations

from .. import layout as L
from ..labels import (
    CONTACT_COLUMNS,
    HISTORY_COLUMNS,
    SETTINGS_FIELDS,
    contact_header,
    header,
    history_header,
    setting_label,
    sheet_name,
    word,
)
from ..values import to_serial
from .context import VALIDATION_EXTRA_ROWS, Context
from .model import Page, SheetDesign, Validation

GRID_ROWS = 1000  # what Google gives a new sheet
GRID_COLS = 26

# Narrow enough that Contacts prints one page wide at 8 points or more.
CONTACT_WIDTHS = {"id": 5, "axis": 9, "outlet": 12, "name": 11, "email": 18, "task": 7,
                  "sent": 10, "reply": 9, "replied": 10, "outcome": 11,
                  "followup1": 10, "followup2": 10, "notes": 12}
CONTACT_LOOKS = {"sent": "date", "replied": "date", "followup1": "date", "followup2": "date",
                 "outlet": "wrap", "name": "wrap", "outcome": "wrap", "notes": "wrap"}


def contacts(cx: Context) -> SheetDesign:
    lang = cx.lang
    sh = SheetDesign("contacts", sheet_name("contacts", lang), VALIDATION_EXTRA_ROWS + 1,
                     GRID_COLS, freeze=(1, 0), filter=(VALIDATION_EXTRA_ROWS,
                                                       len(CONTACT_COLUMNS) - 1))
    for c, key in enumerate(CONTACT_COLUMNS):
        sh.put(0, c, contact_header(key, lang), "header")
        sh.width(c, c, CONTACT_WIDTHS[key], CONTACT_LOOKS.get(key))
    sh.heights[0] = 30
    keys = list(CONTACT_COLUMNS)
    for key, name, strict in (("reply", "reply", True), ("axis", "axis", False)):
        values = L.list_values(name, lang)
        sh.validations.append(Validation(
            1, VALIDATION_EXTRA_ROWS, keys.index(key), "list", contact_title(key, lang),
            ", ".join(values), source=cx.refs.list_range(name, len(values)), strict=strict))
    sh.page = Page(cx.paper, landscape=True, repeat_rows=(0, 0),
                   margins=(0.25, 0.25, 0.4, 0.4))
    return sh


def contact_title(key: str, lang: str) -> str:
    return contact_header(key, lang)


def settings(cx: Context) -> SheetDesign:
    lang, st = cx.lang, cx.plan.settings
    sh = SheetDesign("settings", sheet_name("settings", lang), GRID_ROWS, GRID_COLS)
    sh.put(0, 0, word("settings_title", lang), "title")
    sh.heights[0] = 24
    values: dict[str, str] = {
        "title": st.title, "artist": st.artist, "lang": lang, "country": st.country,
        "region": st.region, "template": st.template,
    }
    for key in SETTINGS_FIELDS:
        r = L.SETTINGS_ROW[key] - 1
        sh.put(r, 0, setting_label(key, lang), "bold")
        if key == "release":
            sh.put(r, 1, to_serial(st.release), "input_date")
            # Wrapped in its own wide column: the holiday table never hides it.
            sh.put(r, 2, word("release_help", lang), "note_wrap")
            sh.heights[r] = 30
        elif key == "created":
            sh.put(r, 1, to_serial(cx.today), "date")
        else:
            sh.put(r, 1, values[key], "input")
    r = L.TEAM_HEADER_ROW - 1
    sh.put(r, 0, word("team", lang), "bold")
    for c, key in enumerate(("name", "email", "role")):
        sh.put(r + 1, c, word(key, lang), "header")
    for i, m in enumerate(st.team):
        for c, v in enumerate((m.name, m.email, m.role)):
            sh.put(r + 2 + i, c, v)
    team_end = r + 2 + max(len(st.team), 3)
    # Days off: public holidays for the years the plan can move into, then the team's.
    e = L.DAYS_OFF_COL
    sh.put(0, e, word("days_off", lang), "bold", note=word("days_off_help", lang))
    sh.put(1, e, word("date", lang), "header")
    sh.put(1, e + 1, word("label", lang), "header")
    for i, (day, label) in enumerate(L.days_off_rows(st, lang)):
        sh.put(L.DAYS_OFF_FIRST_ROW - 1 + i, e, to_serial(day), "date")
        sh.put(L.DAYS_OFF_FIRST_ROW - 1 + i, e + 1, label)
    # The lists behind the dropdowns.
    names = {"status": header("status", lang), "axis": header("axis", lang),
             "unit": header("unit", lang), "type": header("type", lang),
             "reply": word("lists", lang)}
    for j, name in enumerate(L.LISTS):
        c = L.LISTS_FIRST_COL + j
        sh.put(0, c, names[name], "header")
        for i, v in enumerate(L.list_values(name, lang)):
            sh.put(1 + i, c, v)
    sh.width(0, 0, 24)
    sh.width(1, 1, 26)
    sh.width(2, 2, 36)
    sh.width(e, e, 12, "date")
    sh.width(e + 1, e + 1, 26)
    sh.width(L.LISTS_FIRST_COL, L.LISTS_FIRST_COL + len(L.LISTS) - 1, 16)
    # Printed: the settings and the team (the holiday and dropdown lists are for formulas).
    sh.page = Page(cx.paper, area=(0, 0, team_end, 2))
    return sh


def report(cx: Context) -> SheetDesign:
    """The Report sheet of a new plan: a hint until `report --write-sheet` fills it."""
    sh = SheetDesign("report", sheet_name("report", cx.lang), GRID_ROWS, GRID_COLS)
    sh.put(0, 0, word("report_hint", cx.lang), "note")
    # The looks the report will use, on a hidden row: the workbook holds their styles, so
    # `report --write-sheet` points at them instead of adding styles.
    for c, look in enumerate(("section", "header_num", "wrap", "header", "bold", "title")):
        sh.put(2, c, None, look)
    sh.heights[2] = 0
    sh.width(0, 0, 60)
    sh.page = Page(cx.paper, landscape=True, repeat_rows=None)
    return sh


def history(cx: Context) -> SheetDesign:
    lang = cx.lang
    sh = SheetDesign("history", sheet_name("history", lang), GRID_ROWS, GRID_COLS,
                     freeze=(1, 0))
    for c, key in enumerate(HISTORY_COLUMNS):
        sh.put(0, c, history_header(key, lang), "header",
               note=word("history_hint", lang) if c == 0 else None)
        look = {"date": "date", "axis": None, "kpi": None, "budget": "money",
                "spent": "money"}.get(key, "int")
        sh.width(c, c, 14 if key in ("date", "axis", "kpi") else 11, look)
    sh.page = Page(cx.paper, landscape=True, repeat_rows=(0, 0))
    return sh
