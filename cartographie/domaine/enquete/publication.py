"""What an edition of the survey publishes, protected as a whole.

Everything a visitor sees of an edition (the results page, its downloads, the presentation
slide) is read from one :class:`Publication`, computed once per edition:

- each question's **one-way view**: respondents per answer and their share of the edition's
  respondents (a respondent who skipped the question counts under « Sans réponse »);
- the **actor families** (four groups of the types of structure, declared in
  ``data/questionnaire.toml``), with the types one-way as their detail;
- for the questions that can be crossed, **one cross-table only: by actor family**;
- the **keywords** cited at least :data:`~cartographie.domaine.secret.SEUIL` times, the others
  gathered in one row.

Why the protection holds for all of them together. No published table crosses two questions,
nor a question with the types or the departments: two tables share at most the families'
sizes, which are published (or, for families too small to show, merged into one group whose
size the other families give away). Within a family, any answers to one question can be
paired with any answers to another by shuffling respondents, so that whatever one table allows
for its hidden cells, the others still allow: they constrain nothing in common but public
numbers. Each question's tables are therefore protected together (its one-way view and its
family table, over the *atoms* family × answer, :func:`~cartographie.domaine.secret.protect_linked`),
and so is the profile (types and families); together these protect the edition. Keywords are
linked to nothing else. ``tests/domaine/test_secret.py`` checks it as an attacker: all the
published numbers of an edition at once, against the respondents' full profile.

Editors see, besides, the detail by type and by department (:func:`detail_crosstab`),
unprotected and marked as not for publication.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cartographie.domaine.enquete.mots_cles import keyword_frequencies
from cartographie.domaine.enquete.questionnaire import Question, Questionnaire, options_of
from cartographie.domaine.secret import MASQUE, SEUIL, Linked, Relation, protect_linked, unprotected

#: The answer of a respondent who skipped a question (shown when someone did).
SANS_REPONSE = "sans_reponse"


SANS_REPONSE_LIBELLE = "Sans réponse"


#: The row of a family table gathering the families too small to be shown apart.
AUTRES_FAMILLES = "Autres familles (regroupées)"


#: Fewest respondents in a row of a family table: smaller families are gathered (with ~5 answers a row,
#: a smaller row would be mostly hidden cells).
TAILLE_MIN_GROUPE = 20


#: The column of a cross-table gathering the answers whose one-way count is hidden.
AUTRES_REPONSES = "Autres réponses (regroupées)"


#: Fewest citations for an answer to have its own column in a family table: about eight a row with three
#: rows, so that a family table is mostly readable with a hundred answers (each hidden cell must be able
#: to be 0 and to reach the threshold, which hides whole columns of small counts).
COLONNE_MIN = 25


#: The two columns of a family table of an agreement statement.
DESACCORD = "Pas d'accord (pas du tout ou plutôt pas)"
ACCORD = "D'accord (plutôt ou tout à fait)"


#: The keywords cited fewer than the threshold times each, gathered.
AUTRES_MOTS = f"Autres mots-clés (cités moins de {SEUIL} fois chacun)"


#: Header of a cross-table's first column.
FAMILLE = "Famille d'acteurs"


#: How much more hiding a cell of a one-way view costs than a cell of a family table (the main views first).
ONE_WAY_COST = 10.0


#: Questions a visitor can cross by actor family (types and departments only one-way).
CROSSABLE_TYPES = ("choix_unique", "choix_multiple", "echelle")


#: The mark of a table an editor sees in full detail.
NE_PAS_DIFFUSER = "Détail réservé à l'équipe : ne pas diffuser"


def crossable_questions(questionnaire: Questionnaire) -> dict[str, str]:
    """Identifier → label of the questions a visitor can cross by actor family."""
    return {q.id: q.libelle for q in questionnaire.of_type(*CROSSABLE_TYPES) if q.id != PROFILE_QUESTION}


#: The question the families group.
PROFILE_QUESTION = "type_acteur"


def _values(answer: dict, question: Question) -> list[str]:
    value = answer.get(question.id)
    if value in (None, "", []):
        return [SANS_REPONSE]
    return list(dict.fromkeys(value)) if isinstance(value, list) else [value]


def _labels(questionnaire: Questionnaire, question: Question, answers: list[dict]) -> dict[str, str]:
    """The question's answers (code → label), with « Sans réponse » last when someone skipped it."""
    labels = dict(options_of(questionnaire, question))
    if any(question.id not in a or a[question.id] in (None, "", []) for a in answers):
        labels[SANS_REPONSE] = SANS_REPONSE_LIBELLE
    return labels


@dataclass(frozen=True)
class Group:
    """A row of the family tables: one family, or the families too small to be shown apart."""

    label: str
    families: tuple[str, ...]
    size: int


def _one_way_frame(
    codes: list[str], labels: dict[str, str], counts: list[int], hidden: set[int], n: int, *, ranked: bool
) -> pd.DataFrame:
    table = pd.DataFrame({"Code": codes, "Réponse": [labels[c] for c in codes], "Réponses": counts})
    table["Part (%)"] = (100 * table["Réponses"] / n).round(1) if n else 0.0
    table["Réponses"] = table["Réponses"].astype("Int64")
    table["Part (%)"] = table["Part (%)"].astype("Float64")
    mask = table.index.isin(sorted(hidden))
    table.loc[mask, ["Réponses", "Part (%)"]] = pd.NA
    if ranked:  # visible answers first, most frequent first; hidden ones last, in questionnaire order
        table["_masque"] = mask
        table["_rang"] = np.where(mask, -1, table["Réponses"].fillna(0).astype(int))
        table = table.sort_values(["_masque", "_rang"], ascending=[True, False], kind="stable")
        table = table.drop(columns=["_masque", "_rang"])
    return table.reset_index(drop=True)


class Publication:
    """The protected numbers of one edition: every view and export of a visitor reads them here.

    Built once per edition (the pages cache it); a question's tables are computed on first use.
    """

    def __init__(self, questionnaire: Questionnaire, answers: list[dict], *, threshold: int = SEUIL) -> None:
        self.questionnaire = questionnaire
        self.answers = answers
        self.n = len(answers)
        self.threshold = threshold
        self._lock = threading.Lock()
        self._blocks: dict[str, tuple[pd.DataFrame, pd.DataFrame | None, list[tuple[str, list[str]]]]] = {}
        self._keywords: pd.DataFrame | None = None
        self._profile()

    # ------------------------------------------------------------------ profile

    def _family_of(self, type_code: str) -> str:
        return self.questionnaire.family_of(type_code)

    def _profile(self) -> None:
        """The families one-way (the type of structure's published view), and the rows of the family tables."""
        question = self.questionnaire.question(PROFILE_QUESTION)
        families = self.questionnaire.familles
        counts = Counter(self._family_of(_values(a, question)[0]) for a in self.answers)
        sizes = [counts.get(f.id, 0) for f in families]
        linked = Linked(
            tuple(sizes), tuple((k,) for k in range(len(families))), (Relation.total(range(len(families)), self.n),)
        )
        hidden = protect_linked(linked, threshold=self.threshold)
        if unprotected(linked, hidden, threshold=self.threshold):
            hidden = frozenset(range(len(families)))
        labels = {f.id: f.libelle for f in families}
        self._families_view = _one_way_frame([f.id for f in families], labels, sizes, set(hidden), self.n, ranked=False)
        type_labels = question.choices
        self._families_types = {f.libelle: [type_labels[t] for t in f.types] for f in families}
        # Rows of the family tables: the families of at least TAILLE_MIN_GROUPE respondents, the others gathered
        # (hidden families always gathered), the smallest shown one joining them until they are big enough.
        shown = [k for k in range(len(families)) if k not in hidden and sizes[k] >= TAILLE_MIN_GROUPE]
        gathered = [k for k in range(len(families)) if k not in shown]
        while gathered and 0 < sum(sizes[k] for k in gathered) < TAILLE_MIN_GROUPE and shown:
            smallest = min(shown, key=lambda k: (sizes[k], k))
            shown.remove(smallest)
            gathered.append(smallest)
        groups = [Group(families[k].libelle, (families[k].id,), sizes[k]) for k in shown]
        if len(gathered) == 1:
            k = gathered[0]
            groups.append(Group(families[k].libelle, (families[k].id,), sizes[k]))
        elif gathered:
            merged = tuple(families[k].id for k in sorted(gathered))
            groups.append(Group(AUTRES_FAMILLES, merged, sum(sizes[k] for k in gathered)))
        self.groups = groups

    def families(self) -> dict[str, list[str]]:
        """Each family's label and the types of structure it gathers (said under every family table)."""
        return {family: list(types) for family, types in self._families_types.items()}

    # ------------------------------------------------------------------ questions

    def _block(self, question: Question) -> tuple[pd.DataFrame, pd.DataFrame | None, list[tuple[str, list[str]]]]:
        """The question's one-way view and family table, protected together."""
        labels = _labels(self.questionnaire, question, self.answers)
        codes = list(labels)
        groups = [g for g in self.groups if g.size > 0]
        group_of = {f: k for k, g in enumerate(groups) for f in g.families}
        counts = np.zeros((len(groups), len(codes)), dtype=int)
        type_question = self.questionnaire.question(PROFILE_QUESTION)
        for answer in self.answers:
            k = group_of[self._family_of(_values(answer, type_question)[0])]
            for value in _values(answer, question):
                counts[k, codes.index(value)] += 1
        atoms = tuple(int(v) for v in counts.ravel())

        def atom(k: int, j: int) -> int:
            return k * len(codes) + j

        relations = self._relations(question, codes, groups, atom)
        one_way = [tuple(atom(k, j) for k in range(len(groups))) for j in range(len(codes))]
        crossed = question.id in crossable_questions(self.questionnaire) and len(groups) > 1
        alone = Linked(atoms, tuple(one_way), relations)
        hidden_one_way = protect_linked(alone, threshold=self.threshold)
        if unprotected(alone, hidden_one_way, threshold=self.threshold):
            hidden_one_way = frozenset(range(len(codes)))  # too few answers to show any of them
        values = counts.sum(axis=0).tolist()
        hidden: frozenset[int] = hidden_one_way
        columns: list[tuple[str, list[int]]] = []
        gathered: set[int] = set()
        for _attempt in range(len(codes) if crossed else 0):
            # The one-way view stays as it is: only the family table's cells are hidden for it.
            columns = self._columns(question, codes, labels, values, hidden_one_way | gathered)
            if not columns:
                break
            cells = list(one_way) + [tuple(atom(k, j) for j in js) for _, js in columns for k in range(len(groups))]
            linked = Linked(atoms, tuple(cells), relations)
            hidden = protect_linked(linked, threshold=self.threshold, hidden=hidden_one_way, keep=range(len(one_way)))
            stuck = [c for c in unprotected(linked, hidden, threshold=self.threshold) if c >= len(codes)]
            if not stuck:
                break
            # The totals pin a cell down whatever is hidden: the answer of the smallest such cell joins the
            # gathered ones (or leaves the table), and the table is protected again.
            smallest = min(stuck, key=lambda c: (linked.value(c), c))
            gathered.update(columns[(smallest - len(codes)) // len(groups)][1])
            columns = []
        view = _one_way_frame(
            codes, labels, values, set(hidden_one_way), self.n, ranked=question.type not in ("echelle", "departement")
        )
        if not columns:
            return view, None, []
        table = pd.DataFrame(
            {FAMILLE: [g.label for g in groups], "Réponses": pd.array([g.size for g in groups], dtype="Int64")}
        )
        for c, (label, js) in enumerate(columns):
            column = []
            for k in range(len(groups)):
                cell = len(codes) + c * len(groups) + k
                column.append(pd.NA if cell in hidden else int(counts[k, js].sum()))
            table[label] = pd.array(column, dtype="Int64")
        return view, table, [(label, [codes[j] for j in js]) for label, js in columns]

    def _columns(
        self, question: Question, codes: list[str], labels: dict[str, str], values: list[int], hidden: frozenset[int]
    ) -> list[tuple[str, list[int]]]:
        """The family table's columns (label, answers gathered in it).

        An answer has its own column when it is cited at least :data:`COLONNE_MIN` times (its
        cells would be mostly hidden otherwise); the others are gathered in one column, or left
        out for a multiple choice (a respondent may cite several: their sum counts no one). The
        agreement scales read as two columns: disagreement and agreement.
        """
        if question.type == "echelle":
            levels = list(self.questionnaire.echelle)
            half = len(levels) // 2
            columns = [
                (DESACCORD, [codes.index(c) for c in levels[:half]]),
                (ACCORD, [codes.index(c) for c in levels[half:]]),
            ]
            if SANS_REPONSE in codes:
                columns.append((SANS_REPONSE_LIBELLE, [codes.index(SANS_REPONSE)]))
            return columns
        own = [j for j in range(len(codes)) if j not in hidden and values[j] >= COLONNE_MIN]
        rest = [j for j in range(len(codes)) if j not in own]
        columns = [(labels[codes[j]], [j]) for j in own]
        if not own:
            return []  # nothing but the families' sizes to show
        if question.type == "choix_multiple" or not rest:
            return columns
        if len(rest) == 1:  # one answer gathered alone would be itself under another name
            return [(labels[c], [j]) for j, c in enumerate(codes)]
        return [*columns, (AUTRES_REPONSES, rest)]

    def _relations(self, question: Question, codes: list[str], groups: list[Group], atom) -> tuple[Relation, ...]:
        """What anyone knows of the atoms: each group's respondents answered once (or one to ``max_choix`` times)."""
        relations = []
        skipped = codes.index(SANS_REPONSE) if SANS_REPONSE in codes else None
        answers = [j for j in range(len(codes)) if j != skipped]
        for k, group in enumerate(groups):
            if question.type != "choix_multiple":
                relations.append(Relation.total([atom(k, j) for j in range(len(codes))], group.size))
                continue
            most = question.max_choix or len(answers)
            none = [] if skipped is None else [(atom(k, skipped), 1.0)]
            for j in answers:  # an answer counts each respondent once
                relations.append(Relation(((atom(k, j), 1.0), *none), 0, group.size))
            ticks = tuple((atom(k, j), 1.0) for j in answers)
            # Each respondent who answered ticks one to ``most`` answers.
            relations.append(Relation(ticks + tuple(none), group.size, np.inf))
            relations.append(Relation(ticks + tuple((a, most * c) for a, c in none), -np.inf, most * group.size))
        return tuple(relations)

    def _question_tables(self, question_id: str):
        with self._lock:
            if question_id not in self._blocks:
                question = self.questionnaire.question(question_id)
                if question_id == PROFILE_QUESTION:  # published by family
                    self._blocks[question_id] = (self._families_view, None, [])
                else:
                    self._blocks[question_id] = self._block(question)
            return self._blocks[question_id]

    def one_way(self, question_id: str) -> pd.DataFrame:
        """Respondents per answer of a question and their share of the edition's respondents, protected.

        Columns ``Code``, ``Réponse``, ``Réponses``, ``Part (%)``; hidden cells ``<NA>``. Visible
        answers come first, most frequent first (questionnaire order for a scale or the
        departments); hidden ones last, in questionnaire order, so that their place says nothing.
        """
        return self._question_tables(question_id)[0].copy()

    def cross(self, question_id: str) -> pd.DataFrame:
        """Respondents per actor family (rows) and answer (columns), protected with the one-way view."""
        table = self._question_tables(question_id)[1]
        if table is None:
            raise KeyError(f"la question « {question_id} » ne se croise pas par famille d'acteurs")
        return table.copy()

    def crossed(self, question_id: str) -> bool:
        """Whether the question has a family table (there are two groups of families at least)."""
        return self._question_tables(question_id)[1] is not None

    def columns(self, question_id: str) -> list[tuple[str, list[str]]]:
        """The family table's columns: each label and the answer codes it gathers (said under the table)."""
        return [(label, list(codes)) for label, codes in self._question_tables(question_id)[2]]

    def scales(self) -> pd.DataFrame:
        """The agreement statements: one row each, respondents and share per level (hidden cells ``<NA>``)."""
        rows = []
        levels = dict(self.questionnaire.echelle)
        for question in self.questionnaire.of_type("echelle"):
            view = self.one_way(question.id).set_index("Code")
            if SANS_REPONSE in view.index:
                levels[SANS_REPONSE] = SANS_REPONSE_LIBELLE
            rows.append((question, view))
        table = []
        for question, view in rows:
            row: dict = {"Code": question.id, "Affirmation": question.libelle}
            for code, label in levels.items():
                row[label] = view.at[code, "Réponses"] if code in view.index else 0
            for code, label in levels.items():
                row[f"{label} (%)"] = view.at[code, "Part (%)"] if code in view.index else 0.0
            table.append(row)
        frame = pd.DataFrame(table)
        for label in levels.values():
            if label in frame:
                frame[label] = frame[label].astype("Int64")
                frame[f"{label} (%)"] = frame[f"{label} (%)"].astype("Float64")
        return frame

    def departements(self) -> pd.DataFrame:
        """Respondents per department (``Code``, ``Département``, ``Réponses``), as the department question's view."""
        question = self.questionnaire.of_type("departement")[0]
        view = self.one_way(question.id)
        return view.rename(columns={"Réponse": "Département"})[["Code", "Département", "Réponses", "Part (%)"]]

    def keywords(self, question_id: str | None = None) -> pd.DataFrame:
        """Keywords cited at least the threshold times (folded), and one row gathering all the others.

        The gathered row is hidden when it counts 1 to ``threshold − 1``: it is then protected by
        the number of respondents who gave no frequent keyword (each gives at most one), which
        must leave room for ``threshold`` — else the least cited keyword joins it.
        """
        with self._lock:
            if self._keywords is not None:
                return self._keywords.copy()
        question = self.questionnaire.question(question_id) if question_id else self.questionnaire.of_type("mot_cle")[0]
        words = [a[question.id] for a in self.answers if a.get(question.id)]
        table = keyword_frequencies(words)
        frequent = table[table["Occurrences"] >= self.threshold]
        others = int(table["Occurrences"].sum() - frequent["Occurrences"].sum())
        while (
            0 < others < self.threshold
            and self.n - int(frequent["Occurrences"].sum()) < self.threshold
            and len(frequent)
        ):
            others += int(frequent["Occurrences"].iloc[-1])
            frequent = frequent.iloc[:-1]
        shown = frequent[["Mot-clé", "Occurrences"]].copy()
        shown["Occurrences"] = shown["Occurrences"].astype("Int64")
        if others or len(table) > len(frequent):
            gathered = pd.NA if 0 < others < self.threshold else others
            shown = pd.concat(
                [shown, pd.DataFrame({"Mot-clé": [AUTRES_MOTS], "Occurrences": pd.array([gathered], dtype="Int64")})],
                ignore_index=True,
            )
        with self._lock:
            self._keywords = shown.reset_index(drop=True)
            return self._keywords.copy()

    def tables(self) -> dict[str, pd.DataFrame]:
        """Everything published for the edition, by name (the audit and the exports read it here)."""
        found = {}
        for question in self.questionnaire.of_type("choix_unique", "choix_multiple", "echelle", "departement"):
            found[f"question:{question.id}"] = self.one_way(question.id)
            if self.crossed(question.id):
                found[f"familles:{question.id}"] = self.cross(question.id)
        if self.questionnaire.of_type("mot_cle"):
            found["mots_cles"] = self.keywords()
        return found


def masked_share(table: pd.DataFrame) -> tuple[int, int]:
    """Hidden cells and published cells of a table (numbers only; labels and codes left out)."""
    numbers = table.select_dtypes(include="number")
    return int(numbers.isna().to_numpy().sum()), int(numbers.size)


def compare_editions(
    questionnaire: Questionnaire,
    a: Publication,
    b: Publication,
    question: Question,
    labels: tuple[str, str],
) -> pd.DataFrame:
    """Share of each answer in two editions and the gap in points (B − A), in questionnaire order.

    A share hidden in either edition stays hidden (``<NA>``), and so does the gap.
    """
    view_a = a.one_way(question.id).set_index("Code")
    view_b = b.one_way(question.id).set_index("Code")
    order = [c for c in options_of(questionnaire, question)]
    order += [c for c in (SANS_REPONSE,) if c in view_a.index or c in view_b.index]
    label_of = {**options_of(questionnaire, question), SANS_REPONSE: SANS_REPONSE_LIBELLE}

    def share(view: pd.DataFrame, code: str):
        return view.at[code, "Part (%)"] if code in view.index else 0.0

    table = pd.DataFrame(
        {
            "Réponse": [label_of[c] for c in order],
            f"{labels[0]} (%)": pd.array([share(view_a, c) for c in order], dtype="Float64"),
            f"{labels[1]} (%)": pd.array([share(view_b, c) for c in order], dtype="Float64"),
        }
    )
    table["Écart (points)"] = (table[f"{labels[1]} (%)"] - table[f"{labels[0]} (%)"]).round(1)
    return table


def detail_crosstab(
    questionnaire: Questionnaire, answers: list[dict], question: Question, by: Question
) -> pd.DataFrame:
    """Respondents per answer of ``by`` (rows) and of ``question`` (columns), unprotected: for editors only."""
    row_labels = _labels(questionnaire, by, answers)
    column_labels = _labels(questionnaire, question, answers)
    counts = np.zeros((len(row_labels), len(column_labels)), dtype=int)
    sizes = Counter()
    rows, columns = list(row_labels), list(column_labels)
    for answer in answers:
        for group in _values(answer, by):
            sizes[group] += 1
            for value in _values(answer, question):
                counts[rows.index(group), columns.index(value)] += 1
    table = pd.DataFrame({by.libelle: list(row_labels.values()), "Réponses": [sizes[r] for r in rows]})
    for j, label in enumerate(column_labels.values()):
        table[label] = counts[:, j]
    return table[table["Réponses"] > 0].reset_index(drop=True)


def display(table: pd.DataFrame) -> pd.DataFrame:
    """A protected table as shown and exported: numbers in French, hidden cells « masqué », all alike."""
    shown = table.copy()
    for column in shown.columns:
        if column == "Code" or not pd.api.types.is_numeric_dtype(shown[column]):
            continue
        shown[column] = shown[column].map(lambda v: MASQUE if pd.isna(v) else _number(v))
    return shown


def _number(value) -> str:
    """A number in French: decimal comma, and the typographic minus (a spreadsheet never reads it as a formula)."""
    if isinstance(value, float) and not float(value).is_integer():
        text = f"{value:.1f}".replace(".", ",")
    else:
        text = str(int(value))
    return text.replace("-", "\u2212")
