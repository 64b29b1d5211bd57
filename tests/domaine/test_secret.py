"""Statistical disclosure control, tested as an attacker would.

For the tables an edition's results show (one-way views, cross-tables, the department map),
the attacker takes every number displayed, writes down every equation they imply (a one-way
view adds up to its respondents, a cross-table's rows and columns add up to the one-way views,
merged categories add up to the hidden ones…) and asks a linear-programming solver for the
smallest and largest value of each hidden cell consistent with all of them, across the views
of the same edition together. Each hidden cell must still range from 0 to at least the
threshold, wherever the table's totals allow it. The model here is written from the displayed
frames only, independently of ``cartographie.domaine.secret``.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from cartographie.domaine.enquete import (
    AUTRES_REGROUPES,
    answered,
    crosstab,
    crosstab_display,
    demo_answers,
    departement_counts,
    option_counts,
    scale_table,
)
from cartographie.domaine.secret import MASQUE, SEUIL, protect_counts, protect_crosstab
from cartographie.lecture.questionnaire import load_questionnaire

DEPARTEMENTS = {"08": "Ardennes", "10": "Aube", "51": "Marne", "54": "Meurthe-et-Moselle", "57": "Moselle"}


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire().with_departements(DEPARTEMENTS)


class Attack:
    """Unknowns (hidden numbers) and the equations an attacker writes between them."""

    def __init__(self) -> None:
        self.names: dict[str, int] = {}
        self.rows: list[tuple[dict[int, float], float, float]] = []
        self.audited: list[str] = []

    def var(self, name: str, audited: bool = True) -> int:
        if name not in self.names:
            self.names[name] = len(self.names)
            if audited:
                self.audited.append(name)
        return self.names[name]

    def relation(self, terms: list[tuple[object, float]], lo: float, hi: float) -> None:
        """``lo ≤ Σ coefficient × term ≤ hi``; a term is a number shown, or the name of an unknown."""
        coefficients: dict[int, float] = {}
        known = 0.0
        for term, coefficient in terms:
            if isinstance(term, str):
                index = self.var(term, audited=False) if term not in self.names else self.names[term]
                coefficients[index] = coefficients.get(index, 0.0) + coefficient
            else:
                known += coefficient * term
        self.rows.append((coefficients, lo - known, hi - known))

    def range_of(self, name: str) -> tuple[float, float]:
        n = len(self.names)
        a, b = [], []
        for coefficients, lo, hi in self.rows:
            row = np.zeros(n)
            for index, coefficient in coefficients.items():
                row[index] = coefficient
            if np.isfinite(hi):
                a.append(row)
                b.append(hi)
            if np.isfinite(lo):
                a.append(-row)
                b.append(-lo)
        found = []
        for sign in (1.0, -1.0):
            objective = np.zeros(n)
            objective[self.names[name]] = sign
            result = linprog(objective, A_ub=np.array(a), b_ub=np.array(b), bounds=(0, None), method="highs")
            if result.status == 3:
                found.append(np.inf)
                continue
            assert result.status == 0, result.message
            found.append(sign * result.fun)
        return found[0], found[1]


def _shown(value) -> object:
    """A displayed cell: its number, or the marker of a hidden one."""
    if isinstance(value, str):
        return value if value == MASQUE else float(value.replace(",", "."))
    return MASQUE if pd.isna(value) else float(value)


def one_way(attack: Attack, questionnaire, answers, question, prefix: str) -> dict[str, object]:
    """What a one-way view shows, written into the attack; returns each option's count or unknown."""
    shown = crosstab_display(option_counts(questionnaire, answers, question))
    n = len(answered(answers, question))
    terms = {}
    for code, count in zip(shown["Code"], shown["Réponses"], strict=True):
        value = _shown(count)
        if value == MASQUE:
            terms[code] = f"{prefix}:{question.id}:{code}"
            attack.var(terms[code])
        else:
            terms[code] = value
    parts = [(t, 1.0) for t in terms.values()]
    if question.type == "choix_multiple":
        most = question.max_choix or len(terms)
        attack.relation(parts, n, most * n)
        for t in terms.values():
            attack.relation([(t, 1.0)], 0, n)
    else:
        attack.relation(parts, n, n)
    return terms


def cross_table(
    attack: Attack, questionnaire, answers, question, by, rows_view, columns_view, prefix: str, *, all_hidden=False
) -> None:
    """What a cross-table shows, linked to the one-way views of both questions.

    ``all_hidden``: the same table with every cell hidden (what the totals alone allow).
    """
    table = crosstab_display(crosstab(questionnaire, answers, question, by))
    if all_hidden:
        for column in table.columns[1:]:
            if column != "Réponses":
                table[column] = MASQUE
    row_label_to_code = {label: code for code, label in questionnaire_options(questionnaire, by).items()}
    column_label_to_code = {label: code for code, label in questionnaire_options(questionnaire, question).items()}
    multiple = question.type == "choix_multiple"
    most = question.max_choix or len(column_label_to_code)
    hidden_rows = [t for t in rows_view.values() if isinstance(t, str)]
    hidden_columns = [t for t in columns_view.values() if isinstance(t, str)]
    column_terms: dict[str, list] = {}
    for _, row in table.iterrows():
        label = row.iloc[0]
        if label == AUTRES_REGROUPES:
            row_total = [(t, 1.0) for t in hidden_rows]
        else:
            row_total = [(rows_view[row_label_to_code[label]], 1.0)]
        if "Réponses" in table.columns and _shown(row["Réponses"]) != MASQUE:
            attack.relation([*row_total, (_shown(row["Réponses"]), -1.0)], 0, 0)
        cells = []
        for column in table.columns[1:]:
            if column == "Réponses":
                continue
            value = _shown(row[column])
            term = f"{prefix}:{question.id}x{by.id}:{label}:{column}" if value == MASQUE else value
            if value == MASQUE:
                attack.var(term)
            cells.append((term, 1.0))
            column_terms.setdefault(column, []).append((term, 1.0))
            if multiple:
                attack.relation([(term, 1.0), *[(t, -c) for t, c in row_total]], -np.inf, 0)
        if multiple:
            attack.relation([*cells, *[(t, -most * c) for t, c in row_total]], -np.inf, 0)
        else:
            attack.relation([*cells, *[(t, -c) for t, c in row_total]], 0, 0)
    for column, terms in column_terms.items():
        if column == AUTRES_REGROUPES:
            total = [(t, -1.0) for t in hidden_columns]
        else:
            total = [(columns_view[column_label_to_code[column]], -1.0)]
        attack.relation([*terms, *total], 0, 0)


def questionnaire_options(questionnaire, question) -> dict[str, str]:
    return questionnaire.echelle if question.type == "echelle" else question.choices


def assert_protected(attack: Attack, names: list[str], allowed: Attack | None = None) -> list[str]:
    """Every hidden number ranges from 0 to at least the threshold, where ``allowed`` (the totals alone) allows."""
    failures = []
    for name in names:
        lo, hi = attack.range_of(name)
        if lo <= 0.5 and hi >= SEUIL - 0.5:
            continue
        best_lo, best_hi = allowed.range_of(name) if allowed is not None and name in allowed.names else (0, SEUIL)
        if lo <= best_lo + 0.5 and hi >= min(SEUIL, best_hi) - 0.5:
            continue  # the displayed totals allow no better
        failures.append(f"{name} : de {lo:g} à {hi:g} (les totaux permettraient de {best_lo:g} à {best_hi:g})")
    return failures


def _views(questionnaire, answers, questions: list[str], *, all_hidden: bool) -> Attack:
    attack = Attack()
    by_type = questionnaire.question("type_acteur")
    by_dep = questionnaire.question("departement")
    views = {q: one_way(attack, questionnaire, answers, questionnaire.question(q), "vue") for q in questions}
    for q in ("type_acteur", "departement"):
        views.setdefault(q, one_way(attack, questionnaire, answers, questionnaire.question(q), "vue"))
    for q in questions:
        question = questionnaire.question(q)
        for by in (by_type, by_dep):
            if by.id != q:
                cross_table(
                    attack,
                    questionnaire,
                    answers,
                    question,
                    by,
                    views[by.id],
                    views[q],
                    "croise",
                    all_hidden=all_hidden,
                )
    attack.views = views
    return attack


def edition_attack(questionnaire, answers, questions: list[str]) -> list[str]:
    """Attack the one-way views, both cross-tables of each question, and the department map, jointly."""
    attack = _views(questionnaire, answers, questions, all_hidden=False)
    views = attack.views
    by_dep = questionnaire.question("departement")
    # The department map shows the same numbers as the department view.
    carte = departement_counts(answers, by_dep).set_index("Code")["Réponses"]
    for code, term in views["departement"].items():
        assert (isinstance(term, str) and pd.isna(carte[code])) or term == carte[code], code
    return assert_protected(attack, list(attack.audited), _views(questionnaire, answers, questions, all_hidden=True))


def _skewed_answers(questionnaire, n: int, seed: int) -> list[dict]:
    """Answers crowded into a few categories, with a sprinkle of rare ones: what suppression is for."""
    rng = random.Random(seed)
    base = demo_answers(questionnaire, "2026", n, seed=seed)
    for answer in base:
        answer["departement"] = rng.choices(list(DEPARTEMENTS), weights=[1, 1, 8, 2, 12])[0]
        answer["type_acteur"] = rng.choices(["association", "commune", "caf", "bailleur"], weights=[10, 6, 1, 1])[0]
        answer.pop("type_acteur__autre", None)
    return base


QUESTIONS = ["type_acteur", "departement", "frequence", "leviers", "accord_temps"]


@pytest.mark.parametrize("edition,size", [("demo-1", 100), ("demo-2", 80)])
def test_no_hidden_cell_of_the_demo_editions_can_be_narrowed(questionnaire, edition, size):
    answers = demo_answers(questionnaire, edition, size)
    assert edition_attack(questionnaire, answers, QUESTIONS) == []


@pytest.mark.parametrize("n,seed", [(12, 1), (23, 2), (40, 3)])
def test_no_hidden_cell_of_a_small_skewed_edition_can_be_narrowed(questionnaire, n, seed):
    answers = _skewed_answers(questionnaire, n, seed)
    assert edition_attack(questionnaire, answers, QUESTIONS) == []


def test_the_attack_recovers_cells_hidden_only_by_the_primary_rule(questionnaire):
    """The attack is not toothless: hiding only the small cells (the previous rule) is broken by it."""
    attack = Attack()
    counts = {"57": 40, "67": 24, "08": 4, "10": 4, "51": 4, "54": 4}  # 80 answers, 4 small departments
    total = sum(counts.values())
    terms = [(c if c >= SEUIL else f"dep:{code}", 1.0) for code, c in counts.items()]
    for term, _ in terms:
        if isinstance(term, str):
            attack.var(term)
    attack.relation(terms, total, total)
    # With « < 5 » shown, each hidden cell is also known to be at most 4.
    for term, _ in terms:
        if isinstance(term, str):
            attack.relation([(term, 1.0)], 0, SEUIL - 1)
    assert attack.range_of("dep:08") == (4.0, 4.0)
    assert assert_protected(attack, ["dep:08"])  # caught


def test_one_way_suppression_hides_a_complement_and_reaches_the_threshold():
    assert protect_counts([40, 24, 4, 0, 12], 80) == {2, 4}  # 4 alone would be 80 − 76
    assert protect_counts([40, 1, 1, 38], 80) == {1, 2, 3}  # 1 + 1 < 5: a third cell is needed
    assert protect_counts([40, 40], 80) == frozenset()
    assert protect_counts([3, 3, 4], 10) == {0, 1, 2}


def test_a_crosstab_never_leaves_a_lone_hidden_cell_in_a_row_or_column():
    cells = np.array([[10, 2, 8], [6, 7, 9], [12, 11, 3]])
    hidden = protect_crosstab(cells, cells.sum(axis=1), cells.sum(axis=0))
    for i in range(3):
        assert sum((i, j) in hidden for j in range(3)) != 1
        assert sum((j, i) in hidden for j in range(3)) != 1
    assert {(0, 1), (2, 2)} <= hidden


def test_scale_rows_are_protected_like_one_way_views(questionnaire):
    answers = demo_answers(questionnaire, "2026", 80)
    table = scale_table(questionnaire, answers, questionnaire.of_type("echelle"))
    for _, row in table.iterrows():
        levels = list(questionnaire.echelle.values())
        counts = [row[level] for level in levels]
        hidden = [pd.isna(c) for c in counts]
        assert sum(hidden) != 1
        assert all(pd.isna(c) or c == 0 or c >= SEUIL for c in counts)
