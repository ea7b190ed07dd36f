"""A new plan's whole workbook design, sheet by sheet, in SPEC §2 order."""

from __future__ import annotations

import datetime as dt

from ..model import Plan, Scheduled
from .context import Context
from .dashboard import dashboard
from .looks import looks
from .model import Workbook
from .planning import planning
from .sheets import contacts, history, report, settings


def build_workbook(plan: Plan, dates: dict[str, Scheduled], today: dt.date) -> Workbook:
    cx = Context(plan, dates, today)
    return Workbook(cx.lang, looks(cx.lang), [
        planning(cx), contacts(cx), settings(cx), dashboard(cx), report(cx), history(cx)])
