"""Reading a sheet's grid: headers in either language and any spelling, typed values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from retrosheet.errors import PlanError
from retrosheet.grid import find_table, parse_settings, parse_tasks
from retrosheet.labels import Status, TaskType, Unit
from retrosheet.model import Task


def tasks_of(grid: list[list[Any]], lang: str = "fr") -> list[Task]:
    return parse_tasks(grid, find_table(grid, "Planning", lang), lang=lang)


def test_headers_any_language_case_accent_spacing_title_above_and_user_columns() -> None:
    grid: list[list[Any]] = [
        ["Rétroplanning — Nuit blanche", None, None],
        [],
        ["id", "ACTION", " echeance ", "Reference", "décalage", "Unit", "Mon suivi", "duree"],
        ["T1", "Mailing", None, "J", "J-28", "working days", "x", "3"],
        [None, None, None, None, None, None, None, None],
        ["T2", "Pitch", dt.datetime(2027, 4, 23), "T1", -7.0, "jours", None, 2.0],
    ]
    table = find_table(grid, "Planning")
    assert table.header_row == 2
    assert table.extra == {"Mon suivi": 6}
    t1, t2 = parse_tasks(grid, table)
    assert (t1.id, t1.offset, t1.unit, t1.duration, t1.extra) == (
        "T1", -28, Unit.WORKING_DAYS, 3, {"Mon suivi": "x"})
    assert (t2.anchors, t2.offset, t2.unit, t2.deadline) == (
        ("T1",), -7, Unit.DAYS, dt.date(2027, 4, 23))
    assert t2.source is not None and t2.source.cell("offset") == "E6"


def test_language_variant_columns_pick_the_plan_language() -> None:
    grid = [["ID", "Action", "Action (en)", "Référence", "Décalage"],
            ["T1", "Envoyer", "Send", "J", -7]]
    assert tasks_of(grid, "fr")[0].action == "Envoyer"
    assert tasks_of(grid, "en")[0].action == "Send"


@pytest.mark.parametrize(
    ("cell", "value", "lang", "message"),
    [
        ("offset", "abc", "fr", "Planning!C2 (T1) : décalage : 'abc' n'est pas un nombre"),
        ("offset", "abc", "en", "Planning!C2 (T1): offset: 'abc' is not a number"),
        ("offset", 2.5, "fr", "Planning!C2 (T1) : décalage : 2.5 n'est pas un nombre entier"),
        ("offset", 2.5, "en", "Planning!C2 (T1): offset: 2.5 is not a whole number"),
        ("duration", 0, "fr", "Planning!D2 (T1) : la durée 0 est inférieure à 1 jour ouvré"),
        ("duration", 0, "en", "Planning!D2 (T1): duration 0 is below 1 working day"),
        ("unit", "weeks", "fr", "Planning!E2 (T1) : Unité 'weeks' n'est pas une valeur de la "
                                "liste : jours, jours ouvrés, jours fixes"),
        ("unit", "semaines", "en", "Planning!E2 (T1): Unit 'semaines' is not one of days, "
                                   "working days, fixed days"),
        ("status", "Maybe", "fr", "Planning!F2 (T1) : Statut 'Maybe' n'est pas une valeur de la "
                                  "liste : À faire, En cours, Fait, Bloqué, Annulé"),
        ("status", "Maybe", "en", "Planning!F2 (T1): Status 'Maybe' is not one of To do, "
                                 "In progress, Done, Blocked, Cancelled"),
        ("budget", "lots", "fr", "Planning!G2 (T1) : 'lots' n'est pas un nombre"),
        ("budget", "lots", "en", "Planning!G2 (T1): 'lots' is not a number"),
        ("deadline", "31/02/2027", "fr", "Planning!H2 (T1) : '31/02/2027' n'est pas une date "
                                         "(écrivez jj/mm/aaaa ou aaaa-mm-jj)"),
        ("deadline", "31/02/2027", "en", "Planning!H2 (T1): '31/02/2027' is not a date "
                                         "(write dd/mm/yyyy or yyyy-mm-dd)"),
    ],
)
def test_bad_values_name_sheet_cell_and_task(cell: str, value: object, lang: str,
                                             message: str) -> None:
    """Each problem in the plan's language; a list's accepted values in that language."""
    heads = ["ID", "Référence", "Décalage", "Durée", "Unité", "Statut", "Budget", "Échéance"]
    row: list[Any] = ["T1", "J", -7, 1, "jours", "À faire", 100, None]
    col = {"offset": 2, "duration": 3, "unit": 4, "status": 5, "budget": 6, "deadline": 7}[cell]
    row[col] = value
    with pytest.raises(PlanError) as err:
        tasks_of([heads, row], lang)
    assert str(err.value) == message


def test_typed_values() -> None:
    grid = [
        ["ID", "Type", "Référence", "Statut", "Budget", "Échéance", "Objectif", "Décalage"],
        ["T1", "milestone", " t2 ; j ", "done", "1 200,50 €", "2027-05-14", "10000", 0],
        ["t2", "Relance", "J", "EN COURS", 300, 46521, None, "J-7"],
    ]
    t1, t2 = tasks_of(grid)
    assert t1.type is TaskType.MILESTONE and t1.duration is None
    assert t1.anchors == ("t2", "J")
    assert t1.status is Status.DONE and t1.budget == 1200.5 and t1.objective == 10000
    assert t1.deadline == dt.date(2027, 5, 14)
    assert t2.type is TaskType.FOLLOWUP and t2.status is Status.IN_PROGRESS
    assert t2.deadline == dt.date(2027, 5, 14)  # Excel serial 46521


def test_a_row_without_id_is_refused() -> None:
    with pytest.raises(PlanError, match=r"^Planning!A3 : la tâche 'Pitch' n'a pas d'ID : tapez"):
        tasks_of([["ID", "Action", "Référence", "Décalage"], ["T1", "a", "J", 0],
                  [None, "Pitch", "J", -3]])


def test_no_table() -> None:
    with pytest.raises(PlanError, match=r"^Planning : aucun tableau Planning trouvé : "):
        find_table([["Hello"], ["world"]], "Planning")


def test_settings_by_label_either_language() -> None:
    grid: list[list[Any]] = [
        ["Release plan settings"],
        [],
        ["Release date (J)", dt.date(2027, 5, 14)],
        ["Language", "en"],
        ["Region", "Alsace-Moselle"],
        [],
        ["Team"],
        ["Name", "Email", "Role"],
        ["Ana", "ana@example.org", "Manager"],
        [None],
        [None, None, None, None, "Days off"],
        [None, None, None, None, "Date"],
        [None, None, None, None, dt.date(2027, 5, 1)],
        [None, None, None, None, "15/08/2027"],
    ]
    st = parse_settings(grid, "Settings")
    assert st.release == dt.date(2027, 5, 14) and st.lang == "en" and st.region == "Alsace-Moselle"
    assert [m.email for m in st.team] == ["ana@example.org"]
    assert st.days_off == (dt.date(2027, 5, 1), dt.date(2027, 8, 15))


def test_settings_without_a_release_date() -> None:
    with pytest.raises(PlanError, match=r"^Paramètres!B3 : date de sortie : 'soon' n'est pas "
                                        r"une date "):
        parse_settings([[], [], ["Date de sortie (J)", "soon"]], "Paramètres")
    with pytest.raises(PlanError, match=r"^Settings!B3: release date: 'soon' is not a date "):
        parse_settings([[], [], ["Release date (J)", "soon"], ["Language", "English"]],
                       "Settings")


def test_a_table_without_offsets_is_refused() -> None:
    with pytest.raises(PlanError, match=r"^Planning : le tableau Planning \(ligne d'en-tête 1\) "
                                        r"n'a pas de colonne Décalage/Offset$"):
        tasks_of([["ID", "Action", "Référence"], ["T1", "a", "J"]])


def test_a_rows_problems_in_reading_order_whatever_the_columns_order() -> None:
    """Columns are read one at a time, each distinct value once: the problems still come
    row by row, and within a row as its cells are read (an error value first, then
    spaces, a number typed as text, type, offset, unit, duration, status, numbers,
    dates), each at its own cell; a value met on two rows is a problem on both."""
    grid: list[list[Any]] = [
        ["Échéance", "Statut", "Budget", "Durée", "Type", "Décalage", "ID", "Référence"],
        ["bad", 0.0, "x", "2", "Jalon", "J", " T1", "#N/A"],
        [-0.0, 0, 0.0, "bad", "Tâche", 1.5, "T2", "J"],
        [None, True, -0.0, 0, "bogus", 5000, "T3", " T1 "],
        ["bad", 1, 1.0, "x", "Jalon", "J", None, "J"],  # no ID: only that said
    ]
    problems: list[Any] = []
    tasks = parse_tasks(grid, find_table(grid, "Planning"), typed=True, problems=problems)
    assert [(p.cell, p.task, type(p).__name__) for p in problems] == [
        ("H2", "T1", "PlanError"),  # #N/A in the anchor, read first though last
        ("G2", "T1", "PlanError"),  # spaces around the ID
        ("F2", "T1", "PlanError"),  # J in Décalage: text
        ("D2", "T1", "PlanError"),  # a duration typed as text (a milestone's all the same)
        ("B2", "T1", "PlanError"),  # status 0.0
        ("C2", "T1", "PlanError"),  # budget x
        ("A2", "T1", "PlanError"),  # deadline bad
        ("F3", "T2", "PlanError"), ("D3", "T2", "PlanError"), ("B3", "T2", "PlanError"),
        ("A3", "T2", "PlanError"),  # -0.0: no date
        ("H4", "T3", "PlanError"), ("E4", "T3", "PlanError"), ("F4", "T3", "PlanError"),
        ("D4", "T3", "PlanError"), ("B4", "T3", "PlanError"),
        ("G5", None, "RowLost"),
    ]
    assert "0.0" in problems[4].line("fr") and "0 " in problems[9].line("fr")
    assert "True" in problems[15].line("fr")
    # -0.0 and 0.0 are one value to ==, not to the plan: each keeps its own
    assert [str(t.budget) for t in tasks] == ["None", "0.0", "-0.0"]
    assert [t.duration for t in tasks] == [None, 1, 1]


def test_a_long_plans_repeated_texts_are_one_object_each_and_read_as_before() -> None:
    """Rows are kept a block at a time, a dropdown or name column's texts one object each
    (memory); a block where that column holds a number is kept as it is."""
    n = 4096 * 2 + 5
    grid: list[list[Any]] = [["ID", "Responsable", "Référence", "Décalage"]]
    grid += [[f"T{i}", "".join(["Lé", "a"]) if i < 4100 else float(i % 3), "J", -1.0]
             for i in range(n)]
    tasks = parse_tasks(grid, find_table(grid, "Planning"), typed=True)
    assert [t.owner for t in tasks] == ["Léa" if i < 4100 else str(i % 3) for i in range(n)]
    assert len({id(t.owner) for t in tasks[:4096]}) == 1
