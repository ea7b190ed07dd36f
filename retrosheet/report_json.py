"""The report as JSON-ready data: a stable, versioned schema (schemas/report-v3.json; v2
added the Monday sections to v1, v3 names a risk's dependents by their IDs)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from json.encoder import encode_basestring  # the C one when built: what json.dumps uses
from typing import TYPE_CHECKING, Any

from .labels import Labeled

if TYPE_CHECKING:
    from .checks import Finding
    from .monday import Monday
    from .report import Report, Result, TaskLine


@cache
def _code(member: Labeled) -> str:
    return member.name.lower()


def task_dict(x: TaskLine, lang: str) -> dict[str, Any]:
    return {
        "id": x.id, "action": x.action, "owner": x.owner, "axis": x.axis,
        "type": _code(x.type), "type_label": x.type.label(lang),
        "start": x.start.isoformat(), "deadline": x.deadline.isoformat(),
        "status": _code(x.status), "status_label": x.status.label(lang),
        "days_late": x.days_late, "cell": x.cell,
    }


_task_dict = task_dict


class Raw(str):
    """JSON text already encoded (`json_chunks` writes it as it is)."""


@cache
def _coded(member: Labeled, key: str, lang: str) -> str:
    """`"todo", "status_label": "À faire"`: a code and its label as JSON text."""
    code, label = encode_basestring(_code(member)), encode_basestring(member.label(lang))
    return f'{code}, "{key}_label": {label}'


def task_text(x: TaskLine, lang: str) -> Raw:
    """`task_dict(x, lang)` as the JSON encoder writes it, made without the dict: a big
    plan's report has 100,000 of them (tests/test_report.py compares the two)."""
    esc = encode_basestring
    cell = "null" if x.cell is None else esc(x.cell)
    return Raw(
        f'{{"id": {esc(x.id)}, "action": {esc(x.action)}, "owner": {esc(x.owner)}, '
        f'"axis": {esc(x.axis)}, "type": {_coded(x.type, "type", lang)}, '
        f'"start": "{x.start.isoformat()}", "deadline": "{x.deadline.isoformat()}", '
        f'"status": {_coded(x.status, "status", lang)}, "days_late": {x.days_late}, '
        f'"cell": {cell}}}')


def result_dict(r: Result, lang: str) -> dict[str, Any]:
    return {
        "key": r.key, "label": r.label, "kpi": r.kpi, "objective": r.objective,
        "result": r.result, "reached": r.reached, "budget": r.budget, "spent": r.spent,
        "cost_per_unit": r.cost_per_unit, "verdict": _code(r.verdict),
        "verdict_label": r.verdict.label(lang),
        "measured_on": r.measured_on.isoformat() if r.measured_on else None,
        "cumulative": r.cumulative,
        "previous": r.previous,
        "previous_on": r.previous_on.isoformat() if r.previous_on else None,
        "change": r.change,
    }


def finding_dict(f: Finding, lang: str) -> dict[str, Any]:
    return {"severity": _code(f.severity), "code": f.code, "message": f.message,
            "task": f.task, "sheet": f.sheet, "cell": f.cell}


def report_to_dict(rep: Report, task: Callable[[TaskLine, str], Any] = _task_dict
                   ) -> dict[str, Any]:
    """The report's data; each task as `task` gives it (`task_text`: its JSON text, for
    `report_chunks`)."""
    lang = rep.lang
    monday, sunday = rep.week
    made: dict[int, Any] = {}

    def task_dict(x: TaskLine, lang: str) -> Any:
        """One object a line, however many sections show it (a late task is a risk too):
        `json_chunks` then encodes it once."""
        d = made.get(id(x))
        if d is None:
            d = made[id(x)] = task(x, lang)
        return d

    def by_owner(groups: dict[str, list[TaskLine]]) -> list[dict[str, Any]]:
        return [{"owner": o, "tasks": [task_dict(x, lang) for x in xs]}
                for o, xs in groups.items()]

    return {
        "schema": "retrosheet-report",
        "version": rep_version(),
        "title": rep.title,
        "artist": rep.artist,
        "lang": lang,
        "release": rep.release.isoformat(),
        "as_of": rep.as_of.isoformat(),
        "days_to_release": rep.days_to_release,
        "j": rep.j_label,
        "owner": rep.owner,
        "week": {"start": monday.isoformat(), "end": sunday.isoformat()},
        "late": [task_dict(x, lang) for x in rep.late],
        "due_this_week": by_owner(rep.due_this_week),
        "due_next_week": by_owner(rep.due_next_week),
        "followups_due": [
            {"task": task_dict(f.line, lang), "waiting": f.waiting,
             "chase": [{"outlet": c.outlet, "name": c.name, "email": c.email,
                        "task": c.task, "sent": c.sent.isoformat(),
                        "followup": c.followup.isoformat(), "round": c.round}
                       for c in f.chase]}
            for f in rep.followups_due
        ],
        "blocked": [task_dict(x, lang) for x in rep.blocked],
        "progress": [
            {"axis": p.axis, "total": p.total, "done": p.done, "in_progress": p.in_progress,
             "late": p.late, "blocked": p.blocked, "cancelled": p.cancelled,
             "share_done": round(p.share_done, 4)}
            for p in rep.progress
        ],
        "results": {
            "by_action": [result_dict(r, lang) for r in rep.results_by_action],
            "by_axis": [result_dict(r, lang) for r in rep.results_by_axis],
            "by_platform": [result_dict(r, lang) for r in rep.results_by_platform],
            "by_indicator": [result_dict(r, lang) for r in rep.results_by_indicator],
        },
        "replies": [
            {"axis": r.axis, "contacts": r.contacts, "replied": r.replied, "yes": r.yes,
             "no": r.no, "rate": round(r.rate, 4)}
            for r in rep.replies
        ],
        "findings": [finding_dict(f, lang) for f in rep.findings],
        "monday": monday_dict(rep.monday, lang, task_dict) if rep.monday else None,
    }


def rep_version() -> int:
    from .report import SCHEMA_VERSION

    return SCHEMA_VERSION


def monday_dict(m: Monday, lang: str,
                task_dict: Callable[[TaskLine, str], Any] = task_dict) -> dict[str, Any]:
    b = m.budget
    return {
        "budget": {"total": b.total, "spent": b.spent, "left": b.left,
                   "unbudgeted": b.unbudgeted,
                   "share_spent": None if b.share_spent is None else round(b.share_spent, 4)},
        "risks": [{"task": task_dict(r.task, lang),
                   "dependents": [x.id for x in r.dependents]}
                  for r in m.risks],
        "checklist": [{"kind": _code(c.kind), "kind_label": c.kind.label(lang),
                       "state": _code(c.state), "state_label": c.state.label(lang),
                       "task": task_dict(c.task, lang) if c.task else None}
                      for c in m.checklist],
        "blocked": [{"task": task_dict(x.task, lang), "reason": x.reason} for x in m.blocked],
        "priorities": [{"task": task_dict(p.task, lang), "why": [_code(y) for y in p.why],
                        "why_labels": [y.label(lang) for y in p.why],
                        "dependents": p.dependents} for p in m.priorities],
    }


def report_chunks(rep: Report) -> Iterator[str]:
    """`json_chunks(rep.to_dict())`, each task's text made once and straight."""
    return json_chunks(report_to_dict(rep, task_text))


def json_text(data: Any) -> str:
    """A report as JSON text (`json_chunks` joined)."""
    return "".join(json_chunks(data))


def json_chunks(data: Any, size: int = 1 << 20) -> Iterator[str]:
    """A report as JSON text in pieces of about `size` characters: objects and lists laid
    out one member or item a line, each item written whole by the json module's C encoder
    (the pure-Python pretty printer that `indent=` selects takes seconds on a 100,000-row
    plan). An object met again (a late task is also a risk) is encoded once; a `Raw` text
    is written as it is."""
    import json

    encode = json.JSONEncoder(ensure_ascii=False).encode  # separators ", " and ": "
    known: dict[int, str] = {}  # id of a flat object met → its text
    keys: dict[str, str] = {}  # a key met → its text
    # Exact types, tested in C (map(type, …)): a subclass is still encoded right, only not
    # reused.
    nested = frozenset({dict, list, Raw})
    text_keys = frozenset({str})

    def key(k: str) -> str:
        text = keys.get(k)
        if text is None:
            text = keys[k] = encode(k)
        return text

    def item(value: Any) -> str:
        """What `encode(value)` gives, reusing the text of the flat objects already met."""
        kind = type(value)
        if kind is Raw:
            raw: str = value
            return raw
        text = known.get(id(value))
        if text is not None:
            return text
        if kind is dict:
            if not nested.isdisjoint(map(type, value.values())) and text_keys.issuperset(
                    map(type, value)):
                return "{" + ", ".join([f"{key(k)}: {item(v)}"
                                        for k, v in value.items()]) + "}"
            text = known[id(value)] = encode(value)
            return text
        if kind is list and not nested.isdisjoint(map(type, value)):
            return "[" + ", ".join([item(v) for v in value]) + "]"
        return encode(value)

    out: list[str] = []
    held = 0

    def dump(value: Any, pad: str) -> Iterator[str]:
        nonlocal held
        inner = pad + "  "
        if isinstance(value, dict) and value:
            out.append("{\n")
            for i, (k, v) in enumerate(value.items()):
                out.append(f"{',' if i else ''}{chr(10) if i else ''}{inner}{encode(k)}: ")
                yield from dump(v, inner)
            out.append(f"\n{pad}}}")
        elif isinstance(value, list) and value:
            out.append("[\n")
            for i, v in enumerate(value):
                text = item(v)
                out.append(f",\n{inner}{text}" if i else f"{inner}{text}")
                held += len(text)
                if held >= size:
                    yield "".join(out)
                    out.clear()
                    held = 0
            out.append(f"\n{pad}]")
        else:
            out.append(item(value))

    yield from dump(data, "")
    out.append("\n")
    yield "".join(out)
