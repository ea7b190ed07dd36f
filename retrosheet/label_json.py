"""The label report as JSON-ready data (schemas/label-report-v1.json)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .report_json import finding_dict, task_dict

if TYPE_CHECKING:
    from .label import LabelReport, Release, ReleaseTask


def _release_dict(r: Release) -> dict[str, Any]:
    st, rep = r.plan.settings, r.report
    return {
        "name": r.name, "title": st.title, "artist": st.artist, "lang": st.lang,
        "release": st.release.isoformat(), "days_to_release": rep.days_to_release,
        "j": rep.j_label, "state": r.state.name.lower(),
        "state_label": r.state.label(rep.lang),
        "tasks": len(rep.timeline), "done_share": round(r.done_share, 4),
        "late": len(rep.late),
        "due_this_week": sum(len(xs) for xs in rep.due_this_week.values()),
        "blocked": len(rep.blocked),
        "errors": sum(f.severity.name == "ERROR" for f in rep.findings),
        "budget": _money(r.budget), "spent": _money(r.spent),
    }


def _money(x: float) -> float:
    # Sums of cents in binary floats: 0.1 + 0.2 would say 0.30000000000000004.
    return round(x, 2)


def _task(t: ReleaseTask, lang: str) -> dict[str, Any]:
    return {"release": t.release, **task_dict(t.line, lang)}


def label_to_dict(rep: LabelReport) -> dict[str, Any]:
    lang = rep.lang
    monday, sunday = rep.week
    return {
        "schema": "retrosheet-label-report",
        "version": 1,
        "lang": lang,
        "as_of": rep.as_of.isoformat(),
        "owner": rep.owner,
        "week": {"start": monday.isoformat(), "end": sunday.isoformat()},
        "releases": [_release_dict(r) for r in rep.releases],
        "late": [_task(t, lang) for t in rep.late],
        "due_this_week": [_task(t, lang) for t in rep.due_this_week],
        "findings": [finding_dict(f, lang) for f in rep.findings],
        "budget": {"total": _money(rep.budget), "spent": _money(rep.spent),
                   "left": _money(rep.budget - rep.spent)},
        "unreadable": [{"name": u.name, "error": u.text(lang)} for u in rep.unreadable],
    }
