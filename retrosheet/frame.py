"""The computed plan as a pandas DataFrame, for people who analyse further.

pandas is imported here only (the "report" extra), so the command line never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .export import records
from .model import Plan, Scheduled

if TYPE_CHECKING:
    import pandas as pd


def plan_frame(plan: Plan, dates: dict[str, Scheduled]) -> pd.DataFrame:
    """One row per task, indexed by ID: the columns of `retrosheet export`, with start and
    deadline as datetime64 and the numbers as floats (NaN where empty)."""
    import pandas as pd

    frame = pd.DataFrame.from_records(records(plan, dates)).set_index("id")
    for col in ("start", "deadline"):
        frame[col] = pd.to_datetime(frame[col])
    for col in ("offset", "duration", "objective", "result", "budget", "spent"):
        frame[col] = pd.to_numeric(frame[col])
    return frame
