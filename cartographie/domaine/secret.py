"""Statistical disclosure control of the survey results: primary and secondary cell suppression.

The terms are those of statistical offices. A *cell* counts respondents. A cell counting from
1 to ``threshold − 1`` respondents is hidden (*primary* suppression). Other cells are then
hidden (*secondary*, or complementary, suppression) until no hidden cell can be worked out from
what is shown: the other cells, the totals, and the other views of the same edition. A cell
counting nobody stays visible (it describes nobody).

A table is described by its cells and by the linear relations an attacker knows between them
(a row adds up to its total, a respondent ticks at most three options…), the public totals
being folded into the bounds of those relations. A hidden cell is *protected* when the values
consistent with everything shown include 0 and a value of at least the threshold, wherever the
table's totals allow it. Those values are found by linear programming (the relations of these
tables are those of network flows, whose linear bounds are whole numbers). Cells are hidden
until every hidden cell is protected.

Nothing here imports Streamlit; :mod:`cartographie.enquete` builds the tables of the survey
results on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

#: Cells counting fewer respondents than this (but at least one) are hidden.
SEUIL = 5


#: What a hidden cell shows, in every view and export (primary and secondary alike).
MASQUE = "masqué"


_EPSILON = 1e-6


@dataclass(frozen=True)
class Relation:
    """``lo ≤ Σ coefficient × cell ≤ hi``, what an attacker knows between some cells."""

    terms: tuple[tuple[int, float], ...]
    lo: float
    hi: float

    @classmethod
    def total(cls, cells: Iterable[int], value: float) -> Relation:
        """The cells add up to ``value``."""
        return cls(tuple((c, 1.0) for c in cells), value, value)

    @classmethod
    def between(cls, cells: Iterable[int], lo: float, hi: float) -> Relation:
        """The cells add up to something between ``lo`` and ``hi``."""
        return cls(tuple((c, 1.0) for c in cells), lo, hi)


def bounds(
    values: Sequence[float], relations: Sequence[Relation], hidden: Iterable[int]
) -> dict[int, tuple[float, float]]:
    """For each hidden cell, the smallest and largest value consistent with the visible cells and the relations.

    ``inf`` stands for a cell nothing bounds from above.
    """
    from scipy.optimize import linprog

    hidden = sorted(set(hidden))
    if not hidden:
        return {}
    column = {cell: i for i, cell in enumerate(hidden)}
    rows, upper = [], []
    for relation in relations:
        row = np.zeros(len(hidden))
        known = 0.0
        for cell, coefficient in relation.terms:
            if cell in column:
                row[column[cell]] += coefficient
            else:
                known += coefficient * values[cell]
        if not row.any():
            continue
        if np.isfinite(relation.hi):
            rows.append(row)
            upper.append(relation.hi - known)
        if np.isfinite(relation.lo):
            rows.append(-row)
            upper.append(known - relation.lo)
    a_ub = np.array(rows) if rows else None
    b_ub = np.array(upper) if rows else None
    found: dict[int, list[float]] = {cell: [np.nan, np.nan] for cell in hidden}

    def solve(objective: np.ndarray) -> np.ndarray | None:
        result = linprog(objective, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        if result.status == 3:  # unbounded
            return None
        if result.status != 0:
            raise ValueError(f"tableau incohérent : {result.message}")
        return result.x

    # Two solutions certify many cells at once (most sit at 0 in one, high in the other).
    low = solve(np.ones(len(hidden)))
    for cell, i in column.items():
        if low is not None and low[i] <= _EPSILON:
            found[cell][0] = 0.0
    for cell, i in column.items():
        objective = np.zeros(len(hidden))
        if np.isnan(found[cell][0]):
            objective[i] = 1.0
            x = solve(objective)
            found[cell][0] = 0.0 if x is None else float(x[i])
        objective = np.zeros(len(hidden))
        objective[i] = -1.0
        x = solve(objective)
        found[cell][1] = np.inf if x is None else float(x[i])
    return {cell: (lo, hi) for cell, (lo, hi) in found.items()}


def _neighbours(relations: Sequence[Relation]) -> dict[int, list[int]]:
    linked: dict[int, list[int]] = {}
    for relation in relations:
        cells = [c for c, _ in relation.terms]
        for cell in cells:
            linked.setdefault(cell, []).extend(c for c in cells if c != cell)
    return linked


def suppress(
    values: Sequence[int], relations: Sequence[Relation], *, threshold: int = SEUIL, hidden: Iterable[int] = ()
) -> frozenset[int]:
    """Indices of the cells to hide: the primary ones, then complementary ones until every hidden cell is protected.

    Parameters
    ----------
    values
        The true counts of the table's cells.
    relations
        What is known between cells once the table and the other views are shown (public
        totals are folded into the bounds).
    hidden
        Cells hidden in any case (besides the primary ones).
    """
    values = [float(v) for v in values]
    hidden_set = {i for i, v in enumerate(values) if 0 < v < threshold} | set(hidden)
    if not hidden_set:
        return frozenset()
    linked = _neighbours(relations)
    everything = range(len(values))
    reachable: dict[int, tuple[float, float]] | None = None  # bounds with every cell hidden, computed if needed
    while True:
        found = bounds(values, relations, hidden_set)
        unsafe = []
        for cell, (lo, hi) in found.items():
            if lo <= 0.5 and hi >= threshold - 0.5:
                continue
            if reachable is None:
                reachable = bounds(values, relations, everything)
            best_lo, best_hi = reachable[cell]
            if lo <= best_lo + 0.5 and hi >= min(threshold, best_hi) - 0.5:
                continue  # the table's totals allow no more
            unsafe.append(cell)
        if not unsafe:
            return frozenset(hidden_set)
        added: set[int] = set()
        for cell in sorted(unsafe):
            neighbours = list(dict.fromkeys(linked.get(cell, [])))
            if added & set(neighbours):
                continue  # a cell just hidden beside it may be enough: check again before hiding more
            partners = [c for c in neighbours if c not in hidden_set]
            if not partners:
                continue
            # The smallest non-empty cell first (least information lost), empty cells last.
            partner = min(partners, key=lambda c: (values[c] == 0, values[c], c))
            hidden_set.add(partner)
            added.add(partner)
        if not added:
            return frozenset(hidden_set)


def protect_counts(
    counts: Sequence[int], total: int, *, multiple: int | None = None, threshold: int = SEUIL
) -> frozenset[int]:
    """Cells to hide in a one-way table whose respondents total is shown.

    ``multiple`` is the most options one respondent may tick (a multiple choice); ``None`` for a
    single choice, whose cells add up to ``total``.
    """
    cells = range(len(counts))
    if multiple is None:
        relations = [Relation.total(cells, total)]
    else:
        relations = [Relation.between((c,), 0, total) for c in cells]
        relations.append(Relation.between(cells, total, multiple * total))
    return suppress(counts, relations, threshold=threshold)


def protect_crosstab(
    cells: np.ndarray,
    row_totals: Sequence[int],
    column_totals: Sequence[int],
    *,
    multiple: int | None = None,
    rows_complete: bool = True,
    columns_complete: bool = True,
    threshold: int = SEUIL,
) -> frozenset[tuple[int, int]]:
    """Cells ``(row, column)`` to hide in a cross-table whose row and column totals are public.

    Parameters
    ----------
    cells
        Respondents per group (rows) and answer (columns).
    row_totals
        Respondents of each group (public).
    column_totals
        Respondents of each answer, as the one-way view of the question shows them (public).
    multiple
        For a multiple choice, the most options a respondent may tick: rows then do not add up
        to their totals. ``None`` for a single choice.
    rows_complete
        Whether every respondent of a group answered the column question (rows then add up to
        their totals; otherwise to at most their totals).
    columns_complete
        Whether every respondent of an answer is in one of the rows (columns then add up to
        their totals; otherwise they add up to at most their totals).
    """
    n_rows, n_columns = cells.shape
    index = {(i, j): i * n_columns + j for i in range(n_rows) for j in range(n_columns)}
    values = [int(cells[i, j]) for i in range(n_rows) for j in range(n_columns)]
    relations = []
    for i in range(n_rows):
        row = [index[i, j] for j in range(n_columns)]
        if multiple is None:
            if rows_complete:
                relations.append(Relation.total(row, row_totals[i]))
            else:
                relations.append(Relation.between(row, 0, row_totals[i]))
        else:
            relations.extend(Relation.between((c,), 0, row_totals[i]) for c in row)
            relations.append(Relation.between(row, 0, multiple * row_totals[i]))
    for j in range(n_columns):
        column = [index[i, j] for i in range(n_rows)]
        if columns_complete:
            relations.append(Relation.total(column, column_totals[j]))
        else:
            relations.append(Relation.between(column, 0, column_totals[j]))
    hidden = suppress(values, relations, threshold=threshold)
    return frozenset(divmod(cell, n_columns) for cell in hidden)
