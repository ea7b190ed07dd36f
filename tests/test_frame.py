from __future__ import annotations

import datetime as dt

import pandas as pd
from conftest import SINGLE

from retrosheet.frame import plan_frame
from retrosheet.labels import Status
from retrosheet.new import new_plan


def test_plan_as_a_dataframe() -> None:
    made = new_plan(SINGLE, dt.date(2027, 5, 14), lang="en")
    by_id = made.plan.by_id()
    by_id["T170"].status = Status.DONE
    by_id["T170"].result = 25
    by_id["T170"].spent = 550
    df = plan_frame(made.plan, made.dates)
    assert len(df) == len(made.plan.tasks) and df.index.name == "id"
    assert df.loc["T170", "deadline"] == pd.Timestamp(made.dates["T170"].deadline)
    assert df.loc["T170", "status"] == "Done"
    spend = df.groupby("axis")["spent"].sum()
    assert spend["Radio"] == 550
    assert df["deadline"].dtype.kind == "M" and df["budget"].dtype.kind == "f"
