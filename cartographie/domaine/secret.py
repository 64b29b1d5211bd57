"""Statistical disclosure control of the survey results: linked tables, primary and secondary suppression.

The terms are those of statistical offices. A *cell* counts respondents. A cell counting from
1 to ``threshold − 1`` respondents is hidden (*primary* suppression). Other cells are then
hidden (*secondary*, or complementary, suppression) until every hidden cell is *protected*: the
values consistent with everything published include 0 and a value of at least the threshold.
All hidden cells are held to it, secondary ones too, so that a hidden cell says nothing, not
even that it is not small.

Tables published together are protected together (:class:`Linked`, :func:`protect_linked`): each
published cell is the sum of some *atoms*, the finest counts, never published (a family × an
answer), and what anyone knows of the atoms is written as linear relations (a group's
respondents each give one answer, or one to three…). The bounds of a hidden cell are found by
linear programming over the atoms (scipy's HiGHS). This is the linked-tables setting of τ-Argus
and sdcTable; :mod:`cartographie.domaine.enquete.publication` builds the survey's tables on it and says
why protecting each question's tables protects the edition.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

#: Cells counting fewer respondents than this (but at least one) are hidden.
SEUIL = 5


#: What a hidden cell shows, in every view and export (primary and secondary alike).
MASQUE = "masqué"


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


@dataclass(frozen=True)
class Linked:
    """Tables published together, written over their *atoms*: the finest counts, never published.

    Every published cell is the sum of some atoms (a one-way count sums a column of a
    cross-table, a family sums its types); ``relations`` say what is known of the atoms besides
    (a group's respondents tick from one to three options…), public totals folded in. This is the
    linked-tables setting of statistical offices (τ-Argus, sdcTable): cells are suppressed over
    all the tables at once, so that no hidden cell can be worked out by combining them.
    """

    atoms: tuple[int, ...]
    cells: tuple[tuple[int, ...], ...]
    relations: tuple[Relation, ...]

    def value(self, cell: int) -> int:
        """The true count of a published cell."""
        return sum(self.atoms[a] for a in self.cells[cell])


class _Program:
    """The attacker's linear program: atoms ≥ 0, the relations, and the visible cells' values."""

    def __init__(self, linked: Linked, hidden: set[int]) -> None:
        n = len(linked.atoms)
        rows, upper, equal_rows, equal = [], [], [], []
        for relation in linked.relations:
            row = np.zeros(n)
            for atom, coefficient in relation.terms:
                row[atom] += coefficient
            if relation.lo == relation.hi:
                equal_rows.append(row)
                equal.append(relation.lo)
                continue
            if np.isfinite(relation.hi):
                rows.append(row)
                upper.append(relation.hi)
            if np.isfinite(relation.lo):
                rows.append(-row)
                upper.append(-relation.lo)
        for cell, atoms in enumerate(linked.cells):
            if cell in hidden:
                continue
            row = np.zeros(n)
            row[list(atoms)] = 1.0
            equal_rows.append(row)
            equal.append(float(linked.value(cell)))
        self.n = n
        self.a_ub = np.array(rows) if rows else None
        self.b_ub = np.array(upper) if rows else None
        self.a_eq = np.array(equal_rows) if equal_rows else None
        self.b_eq = np.array(equal) if equal_rows else None

    def _solve(self, objective, a_ub=None, b_ub=None, bounds=(0, None)):
        from scipy.optimize import linprog

        return linprog(
            objective,
            A_ub=self.a_ub if a_ub is None else a_ub,
            b_ub=self.b_ub if b_ub is None else b_ub,
            A_eq=self.a_eq if a_ub is None else _widen(self.a_eq, a_ub.shape[1]),
            b_eq=self.b_eq,
            bounds=bounds,
            method="highs",
        )

    def extreme(self, atoms: Sequence[int], sign: float) -> float:
        """The smallest (``sign`` 1) or largest (``sign`` −1) sum of these atoms; ``inf`` when unbounded."""
        objective = np.zeros(self.n)
        objective[list(atoms)] = sign
        result = self._solve(objective)
        if result.status == 3:
            return np.inf
        if result.status != 0:
            raise ValueError(f"tableaux incohérents : {result.message}")
        return sign * float(result.fun)

    def lowest_together(self, cells: Sequence[Sequence[int]]) -> list[float]:
        """One solution making the cells' sum as small as possible: each cell's value in it."""
        objective = np.zeros(self.n)
        for atoms in cells:
            objective[list(atoms)] += 1.0
        result = self._solve(objective)
        if result.status != 0:
            raise ValueError(f"tableaux incohérents : {result.message}")
        return [float(result.x[list(atoms)].sum()) for atoms in cells]

    def reaching_together(self, cells: Sequence[Sequence[int]], level: float) -> list[float]:
        """One solution bringing as many cells as possible up to ``level``: each cell's value, capped.

        Maximises Σ zᵢ with zᵢ ≤ cellᵢ and zᵢ ≤ ``level`` (extra variables after the atoms).
        """
        k = len(cells)
        width = self.n + k
        rows = [] if self.a_ub is None else [np.hstack([self.a_ub, np.zeros((self.a_ub.shape[0], k))])]
        link = np.zeros((k, width))
        for i, atoms in enumerate(cells):
            link[i, list(atoms)] = -1.0
            link[i, self.n + i] = 1.0
        a_ub = np.vstack([*rows, link])
        b_ub = np.concatenate([[] if self.b_ub is None else self.b_ub, np.zeros(k)])
        objective = np.concatenate([np.zeros(self.n), -np.ones(k)])
        bounds = [(0, None)] * self.n + [(0, level)] * k
        result = self._solve(objective, a_ub, b_ub, bounds)
        if result.status != 0:
            raise ValueError(f"tableaux incohérents : {result.message}")
        return [float(v) for v in result.x[self.n :]]


def _widen(matrix: np.ndarray | None, width: int) -> np.ndarray | None:
    if matrix is None:
        return None
    return np.hstack([matrix, np.zeros((matrix.shape[0], width - matrix.shape[1]))])


def linked_bounds(linked: Linked, hidden: Iterable[int]) -> dict[int, tuple[float, float]]:
    """For each hidden cell, its smallest and largest value consistent with everything else published."""
    hidden = set(hidden)
    program = _Program(linked, hidden)
    return {
        cell: (program.extreme(linked.cells[cell], 1.0), program.extreme(linked.cells[cell], -1.0))
        for cell in sorted(hidden)
    }


def _unsafe(linked: Linked, hidden: set[int], threshold: int) -> list[int]:
    """The hidden cells that cannot be both 0 and at least ``threshold`` given everything else.

    Two joint solutions certify most cells at once (one with many cells at 0, one with many at
    the threshold); the others are solved one by one.
    """
    program = _Program(linked, hidden)
    cells = sorted(hidden)
    atoms = [linked.cells[c] for c in cells]
    lows = program.lowest_together(atoms)
    highs = program.reaching_together(atoms, threshold)
    unsafe = []
    for cell, low, high in zip(cells, lows, highs, strict=True):
        cannot_be_zero = low > 0.5 and program.extreme(linked.cells[cell], 1.0) > 0.5
        if cannot_be_zero or (high < threshold - 0.5 and program.extreme(linked.cells[cell], -1.0) < threshold - 0.5):
            unsafe.append(cell)
    return unsafe


def _cell_neighbours(linked: Linked) -> list[list[int]]:
    """For each cell, the cells an attacker links it with: through a shared atom or a shared relation."""
    groups = [{a for a, _ in r.terms} for r in linked.relations] + [set(c) for c in linked.cells]
    by_atom: dict[int, list[int]] = {}
    for g, atoms in enumerate(groups):
        for atom in atoms:
            by_atom.setdefault(atom, []).append(g)
    neighbours = []
    for cell, atoms in enumerate(linked.cells):
        touched = {g for atom in atoms for g in by_atom.get(atom, [])}
        near = set().union(*(groups[g] for g in touched)) if touched else set()
        neighbours.append([c for c, other in enumerate(linked.cells) if c != cell and near.intersection(other)])
    return neighbours


def protect_linked(
    linked: Linked,
    *,
    threshold: int = SEUIL,
    hidden: Iterable[int] = (),
    cost: Sequence[float] | None = None,
    keep: Iterable[int] = (),
) -> frozenset[int]:
    """Cells to hide so that every hidden cell ranges from 0 to at least ``threshold`` given all the rest.

    Primary cells (1 to ``threshold − 1``) and ``hidden`` are hidden first; then, while a hidden
    cell can be narrowed, the cheapest cell linked to it that protects it is hidden too (else the
    cheapest that widens its range): the smallest count times its ``cost`` (a cell of a main view
    costs more than a cell of a detail table); a cell counting nobody last. Cells in ``keep`` are
    never hidden. When nothing left can protect a cell (the published totals pin it down), it is
    returned unprotected: check with :func:`unprotected` and publish less.
    """
    values = [linked.value(c) for c in range(len(linked.cells))]
    cost = list(cost) if cost is not None else [1.0] * len(values)
    keep = set(keep)
    hidden_set = {c for c, v in enumerate(values) if 0 < v < threshold} | set(hidden)
    if not hidden_set:
        return frozenset()
    neighbours = _cell_neighbours(linked)
    while True:
        unsafe = _unsafe(linked, hidden_set, threshold)
        if not unsafe:
            return frozenset(hidden_set)
        cell = unsafe[0]  # one at a time: a partner hidden for one cell often protects the next
        partners = sorted(
            (c for c in neighbours[cell] if c not in hidden_set and c not in keep),
            key=lambda c: (values[c] == 0, cost[c] * values[c], c),
        )
        if not partners:
            return frozenset(hidden_set)  # nothing left to hide beside it: the totals pin it down
        before = _range(linked, hidden_set, cell)
        chosen = None
        for partner in partners[:PARTNERS_TRIED]:
            lo, hi = _range(linked, hidden_set | {partner}, cell)
            if lo <= 0.5 and hi >= threshold - 0.5:
                chosen = partner  # the cheapest partner that protects it on its own
                break
            if chosen is None and (lo < before[0] - 0.5 or hi > before[1] + 0.5):
                chosen = partner  # else the cheapest that widens its range
        hidden_set.add(chosen if chosen is not None else partners[0])


def unprotected(linked: Linked, hidden: Iterable[int], *, threshold: int = SEUIL) -> list[int]:
    """The hidden cells that can still be narrowed (an empty list: the cells may be published so)."""
    return _unsafe(linked, set(hidden), threshold)


#: Partners tried, cheapest first, before settling for one that only widens a cell's range.
PARTNERS_TRIED = 6


def _range(linked: Linked, hidden: set[int], cell: int) -> tuple[float, float]:
    program = _Program(linked, hidden)
    return program.extreme(linked.cells[cell], 1.0), program.extreme(linked.cells[cell], -1.0)
