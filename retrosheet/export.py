"""The computed plan as records: one per task, ISO dates (for `retrosheet export`)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .labels import axis_label
from .model import Plan, Scheduled

FIELDS = (
    "id", "type", "axis", "action", "owner", "anchor", "offset", "unit", "duration",
    "start", "deadline", "status", "followup", "platform", "kpi", "objective", "result",
    "budget", "spent", "notes",
)


def records(plan: Plan, dates: dict[str, Scheduled]) -> list[dict[str, Any]]:
    lang = plan.settings.lang
    out = []
    for t in plan.tasks:
        d = dates[t.id]
        out.append({
            "id": t.id,
            "type": t.type.label(lang),
            "axis": axis_label(t.axis, lang),
            "action": t.action,
            "owner": t.owner,
            "anchor": ",".join(t.anchors),
            "offset": t.offset,
            "unit": t.unit.label(lang),
            "duration": None if t.is_milestone else t.duration,
            "start": d.start.isoformat(),
            "deadline": d.deadline.isoformat(),
            "status": t.status.label(lang) if t.status else None,
            "followup": t.followup or None,
            "platform": t.platform or None,
            "kpi": t.kpi or None,
            "objective": t.objective,
            "result": t.result,
            "budget": t.budget,
            "spent": t.spent,
            "notes": t.notes or None,
        })
    return sorted(out, key=lambda r: (r["deadline"], r["start"], r["id"]))


def to_json(plan: Plan, dates: dict[str, Scheduled]) -> str:
    st = plan.settings
    doc = {
        "release": st.release.isoformat(), "title": st.title, "artist": st.artist,
        "lang": st.lang, "country": st.country, "region": st.region or None,
        "tasks": records(plan, dates),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# OWASP "CSV Injection": a cell starting with one of these is a formula to a spreadsheet
# (docs/guarantees.md copies the rule).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value as a CSV cell no spreadsheet runs: text that a spreadsheet would take for a
    formula gets a leading apostrophe (numbers from the plan stay numbers)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(plan: Plan, dates: dict[str, Scheduled]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writeheader()
    for r in records(plan, dates):
        w.writerow({k: csv_cell(v) for k, v in r.items()})
    return buf.getvalue()
