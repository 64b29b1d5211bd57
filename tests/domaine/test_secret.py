"""Statistical disclosure control, tested as an attacker who combines everything an edition publishes.

The attacker's unknowns are the respondents, as far as anything published can tell them apart:
how many respondents have each profile (actor family × department) and, for each question, how
many respondents of each profile gave each answer. Every number a visitor sees of an edition
(each one-way view, which the map, the comparison of editions, the slide and the CSV exports
repeat; each family table; the keywords) becomes an equation on those unknowns; what anyone
knows of a respondent (one answer to a single choice, one to ``max_choix`` to a multiple choice)
becomes inequalities. For each hidden cell, the solver finds its smallest and largest value
over all of them at once: it must range from 0 to at least the threshold. An integer program
for the small editions (where it runs in seconds), its linear relaxation for the others.

The model is written from the published frames and their notes (which families a row gathers,
which answers a column gathers), independently of ``cartographie.domaine.secret``. It has
teeth: the same attacker narrows cells of the former design (cross-tables by type and by
department, each protected on its own) to a few values.
"""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from cartographie.domaine.enquete.demo import DEMO_EDITIONS, DEMO_SIZES, demo_answers
from cartographie.domaine.enquete.publication import (
    AUTRES_MOTS,
    SANS_REPONSE,
    Publication,
    display,
    masked_share,
)
from cartographie.domaine.enquete.questionnaire import options_of
from cartographie.domaine.secret import MASQUE, SEUIL, Linked, Relation, protect_linked
from cartographie.lecture.questionnaire import load_questionnaire

DEPARTEMENTS = {
    "08": "Ardennes",
    "10": "Aube",
    "51": "Marne",
    "52": "Haute-Marne",
    "54": "Meurthe-et-Moselle",
    "55": "Meuse",
    "57": "Moselle",
    "67": "Bas-Rhin",
    "68": "Haut-Rhin",
    "88": "Vosges",
}


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire().with_departements(DEPARTEMENTS)


class Attacker:
    """Unknowns over respondents' profiles (``kinds`` × departments) and answers; what is published about them."""

    def __init__(self, kinds: list[str], departements: list[str], n: int) -> None:
        self.profiles = [(k, d) for k in kinds for d in departements]
        self.size = 0
        self.y = {p: self._new() for p in self.profiles}
        self.x: dict[str, dict[tuple, dict[str, int]]] = {}
        self.equal: list[tuple[dict[int, float], float]] = []
        self.upper: list[tuple[dict[int, float], float]] = []
        self.hidden: dict[str, dict[int, float]] = {}
        self.equation(self.profiles_sum(), n)

    def _new(self) -> int:
        self.size += 1
        return self.size - 1

    def question(self, question_id: str, codes: list[str], *, most: int | None) -> None:
        """A question's unknowns; each respondent answers once (``most`` None) or cites 1 to ``most`` answers."""
        self.x[question_id] = {p: {c: self._new() for c in codes} for p in self.profiles}
        for p in self.profiles:
            x, y = self.x[question_id][p], self.y[p]
            if most is None:
                self.equation({**{v: 1.0 for v in x.values()}, y: -1.0}, 0)
                continue
            skipped = x.get(SANS_REPONSE)
            cited = [v for c, v in x.items() if c != SANS_REPONSE]
            none = {skipped: 1.0} if skipped is not None else {}
            for v in cited:  # each answer counts a respondent once
                self.inequality({v: 1.0, **none, y: -1.0}, 0)
            # Each respondent who answered cites one to ``most`` answers.
            self.inequality({**{v: -1.0 for v in cited}, **{k: -1.0 for k in none}, y: 1.0}, 0)
            self.inequality({**{v: 1.0 for v in cited}, **{k: float(most) for k in none}, y: -float(most)}, 0)

    def profiles_sum(self, kinds=None, departements=None) -> dict[int, float]:
        return {
            v: 1.0
            for (k, d), v in self.y.items()
            if (kinds is None or k in kinds) and (departements is None or d in departements)
        }

    def answers_sum(self, question_id: str, codes, kinds=None) -> dict[int, float]:
        return {
            x[c]: 1.0
            for (k, _), x in self.x[question_id].items()
            if kinds is None or k in kinds
            for c in codes
            if c in x
        }

    def equation(self, terms: dict[int, float], value: float) -> None:
        self.equal.append((terms, float(value)))

    def inequality(self, terms: dict[int, float], bound: float) -> None:
        self.upper.append((terms, float(bound)))

    def shown(self, name: str, terms: dict[int, float], cell: object) -> None:
        """A published cell: an equation when its number is shown, an unknown to bound when it is hidden."""
        if cell == MASQUE:
            self.hidden[name] = terms
        else:
            self.equation(terms, float(str(cell).replace(",", ".")))

    def _matrix(self, rows, size: int):
        data, ii, jj = [], [], []
        for i, (terms, _) in enumerate(rows):
            for j, coefficient in terms.items():
                ii.append(i)
                jj.append(j)
                data.append(coefficient)
        return sparse.csr_array((data, (ii, jj)), shape=(len(rows), size)), np.array([b for _, b in rows])

    def _solve(self, objective, *, integer: bool, extra: int = 0, rows=(), caps=None):
        """Minimise ``objective`` over the unknowns (and ``extra`` capped helpers tied by ``rows``)."""
        size = self.size + extra
        a_eq, b_eq = self._matrix(self.equal, size)
        a_ub, b_ub = self._matrix([*self.upper, *rows], size)
        upper = np.full(size, np.inf)
        if caps is not None:
            upper[self.size :] = caps
        if integer:
            result = milp(
                objective,
                constraints=[LinearConstraint(a_eq, b_eq, b_eq), LinearConstraint(a_ub, -np.inf, b_ub)],
                integrality=np.ones(size),
                bounds=Bounds(0, upper),
                options={"time_limit": 60},
            )
        else:
            result = linprog(
                objective,
                A_ub=a_ub,
                b_ub=b_ub,
                A_eq=a_eq,
                b_eq=b_eq,
                bounds=list(zip([0] * size, upper, strict=True)),
                method="highs",
            )
        assert result.status == 0, result.message
        return result

    def _value(self, terms: dict[int, float], x) -> float:
        return sum(c * x[j] for j, c in terms.items())

    def narrowed(self, *, integer: bool = False, first: bool = False) -> list[str]:
        """The hidden cells that cannot be both 0 and at least the threshold: what the attacker learns.

        One solution with as many hidden cells at 0 as possible, one with as many as possible up
        to the threshold, certify most cells; the others are solved one by one.
        """
        names = list(self.hidden)
        total = np.zeros(self.size)
        for name in names:
            for j, c in self.hidden[name].items():
                total[j] += c
        low = self._solve(total, integer=integer).x
        # Helpers zᵢ ≤ cellᵢ, zᵢ ≤ threshold: maximise their sum.
        rows = [
            ({**{j: -c for j, c in self.hidden[name].items()}, self.size + i: 1.0}, 0.0) for i, name in enumerate(names)
        ]
        objective = np.concatenate([np.zeros(self.size), -np.ones(len(names))])
        high = self._solve(objective, integer=integer, extra=len(names), rows=rows, caps=SEUIL).x
        found = []
        for name in names:
            terms = self.hidden[name]
            objective = np.zeros(self.size)
            for j, c in terms.items():
                objective[j] = c
            lo = 0.0 if self._value(terms, low) <= 0.5 else self._solve(objective, integer=integer).fun
            hi = SEUIL if self._value(terms, high) >= SEUIL - 0.5 else -self._solve(-objective, integer=integer).fun
            if lo > 0.5 or hi < SEUIL - 0.5:
                found.append(f"{name} : de {lo:g} à {hi:g}")
                if first:
                    break
        return found


def _codes(view: pd.DataFrame) -> list[str]:
    return list(view["Code"])


def attack_publication(questionnaire, publication: Publication) -> Attacker:
    """The attacker's model of everything the edition publishes (its tables and their notes)."""
    tables = publication.tables()
    families = [f.id for f in questionnaire.familles]
    departement = questionnaire.of_type("departement")[0]
    attacker = Attacker(families, _codes(tables[f"question:{departement.id}"]), publication.n)
    gathered = {g.label: list(g.families) for g in publication.groups}
    for name, table in tables.items():
        shown = display(table)
        kind, _, question_id = name.partition(":")
        if kind == "question":
            question = questionnaire.question(question_id)
            if question.type == "departement":
                for code, cell in zip(shown["Code"], shown["Réponses"], strict=True):
                    attacker.shown(f"{name}:{code}", attacker.profiles_sum(departements={code}), cell)
            elif question_id == "type_acteur":
                for code, cell in zip(shown["Code"], shown["Réponses"], strict=True):
                    attacker.shown(f"{name}:{code}", attacker.profiles_sum(kinds={code}), cell)
            else:
                most = (question.max_choix or len(question.choices)) if question.type == "choix_multiple" else None
                attacker.question(question_id, _codes(table), most=most)
                for code, cell in zip(shown["Code"], shown["Réponses"], strict=True):
                    attacker.shown(f"{name}:{code}", attacker.answers_sum(question_id, [code]), cell)
            # A share is shown exactly when its count is.
            assert [c == MASQUE for c in shown["Réponses"]] == [c == MASQUE for c in shown["Part (%)"]], name
        elif kind == "familles":
            columns = dict(publication.columns(question_id))
            for _, row in shown.iterrows():
                kinds = set(gathered[row["Famille d'acteurs"]])
                attacker.shown(f"{name}:{row.iloc[0]}:Réponses", attacker.profiles_sum(kinds=kinds), row["Réponses"])
                for label, codes in columns.items():
                    terms = attacker.answers_sum(question_id, codes, kinds=kinds)
                    attacker.shown(f"{name}:{row.iloc[0]}:{label}", terms, row[label])
        elif name != "mots_cles":
            pytest.fail(f"tableau publié inconnu de l'attaquant : {name}")
    return attacker


def keyword_failures(publication: Publication) -> list[str]:
    """The gathered keywords hidden must range from 0 to the threshold: at most one keyword a respondent."""
    table = publication.keywords()
    shown = [v for v in table["Occurrences"] if not pd.isna(v)]
    failures = [f"{w} : {v}" for w, v in zip(table["Mot-clé"], table["Occurrences"], strict=True) if 0 < v < SEUIL]
    if table["Occurrences"].isna().any():
        assert table["Mot-clé"][table["Occurrences"].isna()].tolist() == [AUTRES_MOTS]
        if publication.n - sum(shown) < SEUIL:
            failures.append(f"{AUTRES_MOTS} : de 0 à {publication.n - sum(shown)}")
    return failures


def skewed_answers(questionnaire, n: int, seed: int, *, dominant: str = "association", small: str = "55") -> list[dict]:
    """Answers crowded into one type of structure, with one department almost empty: what suppression is for."""
    rng = random.Random(seed)
    answers = demo_answers(questionnaire, "demo-1", n, seed=seed)
    others = [t for t in questionnaire.question("type_acteur").options if t != dominant]
    departements = [d for d in DEPARTEMENTS if d != small]
    for number, answer in enumerate(answers):
        answer["type_acteur"] = dominant if rng.random() < 0.7 else rng.choice(others)
        answer.pop("type_acteur__autre", None)
        answer["departement"] = small if number == 0 else rng.choice(departements)
    return answers


EDITIONS = [
    pytest.param(lambda q: demo_answers(q, DEMO_EDITIONS[0].id, DEMO_SIZES[0]), False, id="demo-1"),
    pytest.param(lambda q: demo_answers(q, DEMO_EDITIONS[1].id, DEMO_SIZES[1]), False, id="demo-2"),
    pytest.param(lambda q: skewed_answers(q, 100, 7), False, id="un-type-dominant"),
    pytest.param(lambda q: skewed_answers(q, 12, 11), True, id="12-reponses"),
    pytest.param(lambda q: skewed_answers(q, 40, 13, dominant="commune", small="08"), True, id="40-reponses"),
]


@pytest.mark.parametrize("answers_of,integer", EDITIONS)
def test_no_hidden_cell_can_be_narrowed_by_combining_everything_published(questionnaire, answers_of, integer):
    publication = Publication(questionnaire, answers_of(questionnaire))
    attacker = attack_publication(questionnaire, publication)
    assert attacker.hidden, "rien de masqué : l'attaque ne vérifierait rien"
    assert attacker.narrowed(integer=integer) == []
    assert keyword_failures(publication) == []


def test_no_small_count_is_shown_anywhere(questionnaire):
    publication = Publication(questionnaire, skewed_answers(questionnaire, 40, 13))
    for name, table in publication.tables().items():
        numbers = table.drop(columns=[c for c in table.columns if c.endswith("(%)")]).select_dtypes(include="number")
        values = numbers.astype(float).fillna(0).to_numpy()  # hidden: 0 here
        assert not ((values > 0) & (values < SEUIL)).any(), (name, table)


# ---------------------------------------------------------------------------------------- the former design


def _per_table(cells: np.ndarray, row_totals, column_totals, *, single: bool, complete: bool) -> set[tuple[int, int]]:
    """A cross-table protected on its own (its rows and columns add up to public totals): the former check.

    ``complete``: its rows are all the groups, so that its columns add up to the one-way counts.
    """
    n_rows, n_columns = cells.shape
    relations = []
    for i in range(n_rows):
        row = range(i * n_columns, (i + 1) * n_columns)
        relations.append(Relation.total(row, row_totals[i]) if single else Relation.between(row, 0, 3 * row_totals[i]))
    for j in range(n_columns):
        column = range(j, n_rows * n_columns, n_columns)
        relations.append(
            Relation.total(column, column_totals[j]) if complete else Relation.between(column, 0, column_totals[j])
        )
    linked = Linked(tuple(int(v) for v in cells.ravel()), tuple((c,) for c in range(cells.size)), tuple(relations))
    return {divmod(c, n_columns) for c in protect_linked(linked)}


def _one_way(attacker: Attacker, name: str, counts: dict, terms_of, *, n: int, single: bool) -> list:
    """A one-way view protected on its own; returns the categories shown."""
    codes = list(counts)
    relations = (Relation.total(range(len(codes)), n),) if single else (Relation.between(range(len(codes)), n, 3 * n),)
    hidden = protect_linked(Linked(tuple(counts[c] for c in codes), tuple((i,) for i in range(len(codes))), relations))
    for i, code in enumerate(codes):
        attacker.shown(f"{name}:{code}", terms_of(code), MASQUE if i in hidden else counts[code])
    return [c for i, c in enumerate(codes) if i not in hidden]


def test_the_attacker_narrows_cells_of_the_former_design(questionnaire):
    """One-way views, and cross-tables by type and by department, each protected on its own: combined, they leak.

    Here even with each table protected as strictly as the publication is (every hidden cell of a
    table can be 0 and reach the threshold given that table alone): the second demo edition's
    Caisse d'allocations familiales × Vosges is narrowed to 0–4 by the three tables together.
    """
    answers = demo_answers(questionnaire, DEMO_EDITIONS[1].id, DEMO_SIZES[1])
    n = len(answers)
    types = list(questionnaire.question("type_acteur").choices)
    departements = [*DEPARTEMENTS, "region"]
    question = questionnaire.question("partenaires")
    codes = list(options_of(questionnaire, question))
    attacker = Attacker(types, departements, n)
    attacker.question(question.id, codes, most=question.max_choix or len(codes))
    by_type = Counter(a["type_acteur"] for a in answers)
    by_departement = Counter(a["departement"] for a in answers)
    cited = Counter(c for a in answers for c in a[question.id])
    shown_types = _one_way(
        attacker, "type", {t: by_type[t] for t in types}, lambda t: attacker.profiles_sum(kinds={t}), n=n, single=True
    )
    shown_departements = _one_way(
        attacker,
        "departement",
        {d: by_departement[d] for d in departements},
        lambda d: attacker.profiles_sum(departements={d}),
        n=n,
        single=True,
    )
    shown_codes = _one_way(
        attacker,
        question.id,
        {c: cited[c] for c in codes},
        lambda c: attacker.answers_sum(question.id, [c]),
        n=n,
        single=False,
    )
    # Type × department, over the categories shown one-way (the others were merged).
    profile = Counter((a["type_acteur"], a["departement"]) for a in answers)
    cells = np.array([[profile[t, d] for d in shown_departements] for t in shown_types])
    hidden = _per_table(
        cells,
        [by_type[t] for t in shown_types],
        [by_departement[d] for d in shown_departements],
        single=False,
        complete=False,
    )
    for i, t in enumerate(shown_types):
        for j, d in enumerate(shown_departements):
            attacker.shown(f"{t}×{d}", attacker.profiles_sum({t}, {d}), MASQUE if (i, j) in hidden else cells[i, j])
    # The question crossed by type and by department, each table protected on its own.
    for groups, key, sizes in (
        (shown_types, "type_acteur", by_type),
        (shown_departements, "departement", by_departement),
    ):
        counts = np.array(
            [[sum(a[key] == g and c in a[question.id] for a in answers) for c in shown_codes] for g in groups]
        )
        hidden = _per_table(
            counts, [sizes[g] for g in groups], [cited[c] for c in shown_codes], single=False, complete=False
        )
        side = int(key == "departement")
        for i, g in enumerate(groups):
            attacker.equation(attacker.profiles_sum(**{("departements" if side else "kinds"): {g}}), sizes[g])
            for j, code in enumerate(shown_codes):
                terms = {attacker.x[question.id][p][code]: 1.0 for p in attacker.profiles if p[side] == g}
                attacker.shown(f"{g}×{code}", terms, MASQUE if (i, j) in hidden else counts[i, j])
    narrowed = attacker.narrowed(first=True)
    assert narrowed == ["caf×88 : de 0 à 4"], "l'attaque ne trouve rien sur l'ancienne présentation : sans dents"


# ---------------------------------------------------------------------------------------- readability


def test_the_published_tables_are_mostly_readable(questionnaire):
    """With a demo edition's hundred answers, most published numbers are shown (the former design hid 36 of 45)."""
    publication = Publication(questionnaire, demo_answers(questionnaire, DEMO_EDITIONS[0].id, DEMO_SIZES[0]))
    hidden, total = map(sum, zip(*(masked_share(t) for t in publication.tables().values()), strict=True))
    assert hidden / total < 0.15
    for name, table in publication.tables().items():
        if name.startswith("familles:"):
            h, t = masked_share(table)
            assert h / t <= 0.75, name  # every family table shows something besides its totals
