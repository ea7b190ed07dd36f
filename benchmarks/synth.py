"""Synthetic plans of any size for benchmarks: anchors, both units, follow-ups."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from retrosheet.labels import Axis, Unit
from retrosheet.model import Task

HEADER = ["ID", "Type", "Axe", "Action", "Responsable", "Référence", "Décalage", "Unité",
          "Durée", "Relance", "Plateforme", "Objectif", "Budget", "Notes"]
OWNERS = ["Léa", "Sam", "Noé", "Inès", "Hugo"]


def synth_tasks(n: int, seed: int = 7) -> list[Task]:
    """n tasks: a third anchored to J, the rest to an earlier task (chains), some to two;
    one in ten with a follow-up rule, one in four in working days."""
    rnd = random.Random(seed)
    axes = [a.fr for a in Axis]
    tasks: list[Task] = []
    for i in range(n):
        tid = f"T{i + 1:05d}"
        if i < 3 or rnd.random() < 0.33:
            anchors: tuple[str, ...] = ("J",)
            offset = -rnd.randint(1, 120)
        elif rnd.random() < 0.1:
            anchors = (tasks[rnd.randrange(i)].id, tasks[rnd.randrange(i)].id)
            offset = rnd.randint(-10, 10)
        else:
            anchors = (tasks[rnd.randrange(max(0, i - 50), i)].id,)
            offset = rnd.randint(-14, 14)
        if len(set(anchors)) < len(anchors):
            anchors = anchors[:1]
        tasks.append(Task(
            id=tid, action=f"Action {i + 1}", axis=axes[i % len(axes)],
            owner=OWNERS[i % len(OWNERS)], anchors=anchors, offset=offset,
            unit=Unit.WORKING_DAYS if rnd.random() < 0.25 else Unit.DAYS,
            duration=rnd.choice([1, 1, 1, 2, 3, 5]),
            followup="+14" if i % 10 == 0 else ("+7 x2" if i % 10 == 5 else ""),
            budget=float(rnd.choice([0, 0, 50, 200])) or None,
        ))
    return tasks


def write_csv(tasks: list[Task], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for t in tasks:
            w.writerow([t.id, "Tâche", t.axis, t.action, t.owner, ",".join(t.anchors), t.offset,
                        t.unit.fr, t.duration, t.followup, "", "", t.budget or "", ""])
    return path
