"""The cooperation survey: questionnaire (``data/questionnaire.toml``), answers, demo answers and results.

An answer is a plain dict keyed by question identifier: an option code for a single choice
(``"autre"`` with the text under ``"<id>__autre"``), a list of codes for a multiple choice,
a level code for an agreement scale, a string for free text and keywords. Results are computed
here on those dicts and returned as frames with French headers: the pages show them as tables
and charts and export them as they are.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from cartographie.domaine.secret import MASQUE, SEUIL, protect_counts, protect_crosstab
from cartographie.domaine.texte import fold, mask_contact_details

TYPES_QUESTION = ("choix_unique", "choix_multiple", "echelle", "texte", "mot_cle", "departement")


AUTRE = "autre"


AUTRE_LIBELLE = "Autre"


#: Answer of the department question for actors working region-wide.
REGION = "region"


REGION_LIBELLE = "Toute la région (plusieurs départements)"


#: Cells counting from 1 to this minus one answers are hidden in every table (see ``cartographie.domaine.secret``).
SEUIL_ANONYMAT = SEUIL


#: An edition's results are public from this many answers on (editors see them before, marked as such).
SEUIL_PUBLICATION = 10


#: The wording that marks every chart, table and export built on generated answers.
DEMO_LABEL = "données fictives de démonstration"


class AnswerError(Exception):
    """An answer is not acceptable; ``messages`` lists every problem, in French.

    ``by_question``: the same problems by question id, without the question's label (shown at the question).
    """

    def __init__(self, messages: list[str], by_question: dict[str, list[str]] | None = None) -> None:
        self.messages = messages
        self.by_question = by_question or {}
        super().__init__(" ; ".join(messages))


@dataclass(frozen=True)
class Question:
    """One question, with its stable identifier and its options (code → label)."""

    id: str
    section: str
    type: str
    libelle: str
    obligatoire: bool = False
    options: dict[str, str] = field(default_factory=dict)
    autre: bool = False
    max_choix: int | None = None
    max_caracteres: int = 2000

    @property
    def choices(self) -> dict[str, str]:
        """Options, with "Autre" last when the question accepts it."""
        return {**self.options, AUTRE: AUTRE_LIBELLE} if self.autre else dict(self.options)

    @property
    def autre_key(self) -> str:
        """Key of the "Autre (précisez)" text in an answer."""
        return f"{self.id}__autre"


@dataclass(frozen=True)
class Edition:
    """One edition of the survey (results stay comparable through the question identifiers)."""

    id: str
    annee: int
    titre: str
    note: str = ""

    @property
    def label(self) -> str:
        """The edition as a title or a picker names it: its title, and its year when the title does not say it."""
        return self.titre if not self.annee or str(self.annee) in self.titre else f"{self.titre} ({self.annee})"


#: The editions of the generated demo answers: names no one can take for a real survey. (They are
#: never the declared editions, which real answers fill: the 2020–2021 survey of the ORIV and the
#: Réseau DSU Grand Est asked other questions, which are not public.)
DEMO_EDITIONS = (
    Edition("demo-1", 0, "Démonstration 1 (réponses fictives)", "Réponses tirées au hasard pour montrer l'outil."),
    Edition("demo-2", 0, "Démonstration 2 (réponses fictives)", "Réponses tirées au hasard pour montrer l'outil."),
)


@dataclass(frozen=True)
class Questionnaire:
    """The questionnaire: questions in order, the agreement scale, the sections and the editions."""

    titre: str
    introduction: str
    edition_courante: str
    editions: tuple[Edition, ...]
    echelle: dict[str, str]
    sections: dict[str, str]
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question:
        """The question of this identifier."""
        return next(q for q in self.questions if q.id == question_id)

    def of_type(self, *types: str) -> list[Question]:
        """The questions of these types, in order."""
        return [q for q in self.questions if q.type in types]

    def edition(self, edition_id: str) -> Edition:
        """The declared edition, or one named after its identifier (an imported edition)."""
        for edition in (*self.editions, *DEMO_EDITIONS):
            if edition.id == edition_id:
                return edition
        year = re.search(r"\d{4}", edition_id)
        return Edition(edition_id, int(year.group()) if year else 0, f"Édition {edition_id}")

    def with_departements(self, departements: dict[str, str]) -> Questionnaire:
        """The questionnaire whose department questions offer these departments (code → name), then the region."""
        options = {**departements, REGION: REGION_LIBELLE}
        return replace(
            self,
            questions=tuple(replace(q, options=options) if q.type == "departement" else q for q in self.questions),
        )


def _options_of(questionnaire: Questionnaire, question: Question) -> dict[str, str]:
    return questionnaire.echelle if question.type == "echelle" else question.choices


def validate_answer(questionnaire: Questionnaire, raw: dict) -> dict:
    """The clean answer (only known keys), or :class:`AnswerError` listing every problem in French."""
    errors: list[str] = []
    clean: dict = {}
    for question in questionnaire.questions:
        value = raw.get(question.id)
        label = f"« {question.libelle} »"
        if question.type in ("texte", "mot_cle"):
            text = " ".join(str(value or "").split()) if question.type == "mot_cle" else str(value or "").strip()
            text = mask_contact_details(text)  # before anyone reads it, an editor included
            limit = 60 if question.type == "mot_cle" else question.max_caracteres
            if question.type == "mot_cle" and text and sum(c.isalpha() for c in text) < 2:
                errors.append(f"{label} : le mot-clé doit contenir au moins deux lettres.")
            if len(text) > limit:
                errors.append(f"{label} : {limit} caractères au plus.")
            if text:
                clean[question.id] = text
            elif question.obligatoire:
                errors.append(f"{label} : réponse obligatoire.")
            continue
        options = _options_of(questionnaire, question)
        if question.type == "choix_multiple":
            values = [v for v in (value or []) if v]
            if isinstance(value, str):
                values = [value]
            unknown = [v for v in values if v not in options]
            if unknown:
                errors.append(f"{label} : valeur inconnue « {unknown[0]} ».")
            values = list(dict.fromkeys(v for v in values if v in options))
            if question.max_choix and len(values) > question.max_choix:
                errors.append(f"{label} : {question.max_choix} réponses au plus ({len(values)} cochées).")
            if values:
                clean[question.id] = values
            elif question.obligatoire:
                errors.append(f"{label} : cochez au moins une réponse.")
            chosen_autre = AUTRE in values
        else:
            if value in (None, ""):
                if question.obligatoire:
                    errors.append(f"{label} : réponse obligatoire.")
                continue
            if value not in options:
                errors.append(f"{label} : valeur inconnue « {value} ».")
                continue
            clean[question.id] = value
            chosen_autre = value == AUTRE
        if question.autre:
            other = mask_contact_details(" ".join(str(raw.get(question.autre_key) or "").split()))
            if chosen_autre and not other:
                errors.append(f"{label} : précisez « Autre ».")
            if len(other) > 200:
                errors.append(f"{label} : la précision « Autre » dépasse 200 caractères.")
            if chosen_autre and other:
                clean[question.autre_key] = other
    if errors:
        by_question: dict[str, list[str]] = {}
        for question in questionnaire.questions:
            prefix = f"« {question.libelle} » : "
            found = [m[len(prefix) :] for m in errors if m.startswith(prefix)]
            if found:
                by_question[question.id] = [m[:1].upper() + m[1:] for m in found]
        raise AnswerError(errors, by_question)
    return clean


def stored_answer_problem(questionnaire: Questionnaire, answer: object) -> str | None:
    """What is wrong with an answer read back from a backup, or ``None``.

    Unknown codes, wrong types and texts over their limit are problems; a question left
    unanswered is not (the questionnaire may have gained required questions since).
    """
    if not isinstance(answer, dict) or not all(isinstance(k, str) for k in answer):
        return "réponse attendue sous forme d'objet."
    try:
        validate_answer(questionnaire, answer)
    except AnswerError as error:
        serious = [m for m in error.messages if "obligatoire" not in m and "au moins une" not in m]
        return serious[0] if serious else None
    except (TypeError, AttributeError, ValueError):
        return "réponse mal formée."
    return None


def demo_answers(questionnaire: Questionnaire, edition: str, n: int = 100, seed: int = 2021) -> list[dict]:
    """``n`` fictitious, valid answers drawn by a seeded generator (for demonstration only)."""
    rng = random.Random(f"{seed}-{edition}")
    # Later editions lean slightly towards agreement, so that a comparison shows something.
    shift = 0.15 if edition != DEMO_EDITIONS[0].id else 0.0
    keywords = [
        "Confiance", "confiance", "Coopération", "coopérations", "Écoute", "écoute", "Temps", "temps",
        "Volonté", "Partage", "partages", "But commun", "Respect", "Interconnaissance", "Dialogue", "Réciprocité",
    ]  # fmt: skip
    others = ["Fondation", "Mission locale", "Collectif d'habitants", "Club sportif"]
    answers = []
    for _ in range(n):
        answer: dict = {}
        for question in questionnaire.questions:
            if question.type == "texte":
                if rng.random() < 0.2:
                    answer[question.id] = "Réponse fictive de démonstration."
                continue
            if question.type == "mot_cle":
                if rng.random() < 0.85:
                    answer[question.id] = rng.choice(keywords)
                continue
            options = list(_options_of(questionnaire, question))
            weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(options))]
            if question.type == "echelle":
                weights = [0.10, 0.25 - shift / 2, 0.40, 0.25 + shift]
                if question.id in ("accord_temps", "accord_financement"):
                    weights = list(reversed(weights))
            if question.type == "choix_multiple":
                limit = question.max_choix or 4
                count = rng.randint(1, limit)
                picked: list[str] = []
                while len(picked) < count:
                    choice = rng.choices(options, weights)[0]
                    if choice not in picked:
                        picked.append(choice)
                answer[question.id] = picked
            else:
                answer[question.id] = rng.choices(options, weights)[0]
            chosen = answer[question.id]
            if AUTRE in (chosen if isinstance(chosen, list) else [chosen]):
                answer[question.autre_key] = rng.choice(others)
        answers.append(validate_answer(questionnaire, answer))
    return answers


def answered(answers: list[dict], question: Question) -> list[dict]:
    """The answers that answer this question."""
    return [a for a in answers if a.get(question.id) not in (None, "", [])]


def _values(answer: dict, question: Question) -> list[str]:
    value = answer.get(question.id)
    return list(value) if isinstance(value, list) else [value]


def _multiple(question: Question, options: dict[str, str]) -> int | None:
    """Most options a respondent may tick (``None`` for a single answer)."""
    if question.type != "choix_multiple":
        return None
    return question.max_choix or len(options)


def option_counts(
    questionnaire: Questionnaire, answers: list[dict], question: Question, *, threshold: int = SEUIL
) -> pd.DataFrame:
    """Answers per option, protected: small counts and their complements are hidden (``<NA>``).

    The percentage is of those who answered the question. Visible options come first, most
    frequent first (in questionnaire order for a scale); hidden options come last in
    questionnaire order, so that their place says nothing of their size.
    """
    options = _options_of(questionnaire, question)
    respondents = answered(answers, question)
    counts = Counter(v for a in respondents for v in _values(a, question))
    total = len(respondents)
    values = [counts.get(code, 0) for code in options]
    hidden = protect_counts(values, total, multiple=_multiple(question, options), threshold=threshold)
    table = pd.DataFrame({"Code": list(options), "Réponse": list(options.values()), "Réponses": values})
    table["Part (%)"] = (100 * table["Réponses"] / total).round(1) if total else 0.0
    table["Réponses"] = table["Réponses"].astype("Int64")
    table["Part (%)"] = table["Part (%)"].astype("Float64")
    mask = table.index.isin(sorted(hidden))
    table.loc[mask, ["Réponses", "Part (%)"]] = pd.NA
    table["_masque"] = mask
    if question.type != "echelle":
        table["_rang"] = np.where(mask, -1, table["Réponses"].fillna(0).astype(int))
        table = table.sort_values(["_masque", "_rang"], ascending=[True, False], kind="stable")
        table = table.drop(columns="_rang")
    return table.drop(columns="_masque").reset_index(drop=True)


def scale_table(questionnaire: Questionnaire, answers: list[dict], questions: list[Question]) -> pd.DataFrame:
    """Agreement scales: one row per statement, counts and percentages per level (protected like any table)."""
    rows = []
    for question in questions:
        counts = option_counts(questionnaire, answers, question).set_index("Code")
        row: dict = {"Code": question.id, "Affirmation": question.libelle, "Réponses": len(answered(answers, question))}
        for level, label in questionnaire.echelle.items():
            row[label] = counts.at[level, "Réponses"]
        for level, label in questionnaire.echelle.items():
            row[f"{label} (%)"] = counts.at[level, "Part (%)"]
        rows.append(row)
    table = pd.DataFrame(rows)
    for label in questionnaire.echelle.values():
        if label in table:
            table[label] = table[label].astype("Int64")
            table[f"{label} (%)"] = table[f"{label} (%)"].astype("Float64")
    return table


#: Label of the row or column that gathers the categories too small to be shown apart.
AUTRES_REGROUPES = "Autres (effectifs trop faibles, regroupés)"


@dataclass(frozen=True)
class _Cross:
    """A cross-table before protection: rows from one question, columns from another."""

    row_labels: list[str]
    column_labels: list[str]
    cells: np.ndarray
    row_totals: list[int]  # public: the one-way view of the row question (merged rows: their sum)
    column_totals: list[int]  # public: the one-way view of the column question
    rows_complete: bool  # every respondent of a group answered the column question
    columns_complete: bool  # every respondent of an answer answered the row question
    multiple: int | None


def _cross(
    questionnaire: Questionnaire, answers: list[dict], rows_q: Question, columns_q: Question, *, groups_in_rows: bool
) -> _Cross:
    """Respondents per answer of ``rows_q`` and answer of ``columns_q``, hidden one-way categories merged.

    Categories whose one-way count is hidden are gathered into one row (or column), whose total
    the one-way view already reveals; for a multiple choice, hidden options are left out. The
    groups (rows when ``groups_in_rows``, else columns) nobody belongs to are left out.
    """
    row_options = _options_of(questionnaire, rows_q)
    column_options = _options_of(questionnaire, columns_q)
    row_view = option_counts(questionnaire, answers, rows_q).set_index("Code")
    column_view = option_counts(questionnaire, answers, columns_q).set_index("Code")
    row_hidden = {c for c in row_options if pd.isna(row_view.at[c, "Réponses"])}
    column_hidden = {c for c in column_options if pd.isna(column_view.at[c, "Réponses"])}
    multiple = _multiple(columns_q, column_options)

    def row_of(code: str) -> str:
        return AUTRES_REGROUPES if code in row_hidden else code

    def column_of(code: str) -> str | None:
        if code in column_hidden:
            return None if multiple else AUTRES_REGROUPES
        return code

    row_keys = list(dict.fromkeys(row_of(c) for c in row_options))
    column_keys = [k for k in dict.fromkeys(column_of(c) for c in column_options) if k is not None]
    cells = np.zeros((len(row_keys), len(column_keys)), dtype=int)
    group_sizes = Counter()
    for answer in answered(answered(answers, columns_q), rows_q):
        for group in _values(answer, rows_q):
            i = row_keys.index(row_of(group))
            group_sizes[i] += 1
            for value in dict.fromkeys(column_of(v) for v in _values(answer, columns_q)):
                if value is not None:
                    cells[i, column_keys.index(value)] += 1
    one_way_rows = Counter(row_of(v) for a in answered(answers, rows_q) for v in _values(a, rows_q))
    one_way_columns = Counter(
        column_of(v) for a in answered(answers, columns_q) for v in dict.fromkeys(_values(a, columns_q))
    )
    row_totals = [one_way_rows[k] for k in row_keys]
    column_totals = [one_way_columns[k] for k in column_keys]
    # Left out: groups nobody belongs to (their one-way count, 0, is shown as such).
    keep = [i for i, total in enumerate(row_totals) if total > 0 or not groups_in_rows]
    keep_columns = [j for j, total in enumerate(column_totals) if total > 0 or groups_in_rows]
    cells = cells[np.ix_(keep, keep_columns)]
    column_totals = [column_totals[j] for j in keep_columns]
    labels = {**row_options, AUTRES_REGROUPES: AUTRES_REGROUPES}
    column_labels = {**column_options, AUTRES_REGROUPES: AUTRES_REGROUPES}
    return _Cross(
        row_labels=[labels[row_keys[i]] for i in keep],
        column_labels=[column_labels[column_keys[j]] for j in keep_columns],
        cells=cells,
        row_totals=[row_totals[i] for i in keep],
        column_totals=column_totals,
        rows_complete=all(group_sizes[i] == row_totals[i] for i in keep),
        columns_complete=bool(np.array_equal(cells.sum(axis=0), column_totals)),
        multiple=multiple,
    )


def crosstab(
    questionnaire: Questionnaire,
    answers: list[dict],
    question: Question,
    by: Question,
    *,
    threshold: int = SEUIL,
) -> pd.DataFrame:
    """Respondents per group of ``by`` (rows) and answer of ``question`` (columns), protected.

    Groups and answers whose one-way count is hidden are merged (see :func:`_cross`); then every
    cell from 1 to ``threshold − 1`` is hidden, and enough other cells that none can be
    recomputed from the totals (``<NA>`` in the frame). The ``Réponses`` column (respondents
    of each group) is shown when it equals the one-way view of ``by``. A table and its
    transpose hide the same cells, so that showing both reveals nothing more.
    """
    transposed = question.type != "choix_multiple" and question.id < by.id
    if transposed:
        cross = _cross(questionnaire, answers, question, by, groups_in_rows=False)
    else:
        cross = _cross(questionnaire, answers, by, question, groups_in_rows=True)
    hidden = protect_crosstab(
        cross.cells,
        cross.row_totals,
        cross.column_totals,
        multiple=cross.multiple,
        columns_complete=cross.columns_complete,
        rows_complete=cross.rows_complete,
        threshold=threshold,
    )
    cells = pd.DataFrame(cross.cells, columns=cross.column_labels).astype("Int64")
    for i, j in hidden:
        cells.iat[i, j] = pd.NA
    if transposed:
        cells = cells.T.reset_index(drop=True)
        cells.columns = cross.row_labels
        row_labels, totals, show_totals = cross.column_labels, cross.column_totals, cross.columns_complete
    else:
        row_labels, totals, show_totals = cross.row_labels, cross.row_totals, cross.rows_complete
    table = pd.DataFrame({by.libelle: row_labels})
    if show_totals:
        table["Réponses"] = pd.array(totals, dtype="Int64")
    return pd.concat([table, cells.reset_index(drop=True)], axis=1)


#: Questions a cross-table can show, crossed by ``type_acteur`` or ``departement``.
CROSSABLE_TYPES = ("choix_unique", "choix_multiple", "echelle", "departement")


def crossable_questions(questionnaire: Questionnaire, by: str) -> dict[str, str]:
    """Identifier → label of the questions that can be crossed by the question ``by`` (itself excluded)."""
    return {q.id: q.libelle for q in questionnaire.of_type(*CROSSABLE_TYPES) if q.id != by}


def crosstab_display(table: pd.DataFrame) -> pd.DataFrame:
    """A protected table as shown and exported: hidden cells read « masqué », all alike."""
    shown = table.copy()
    for column in shown.columns[1:]:
        if pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = shown[column].map(lambda v: MASQUE if pd.isna(v) else _number(v))
    return shown


def _number(value) -> str:
    text = f"{value:.1f}".replace(".", ",") if isinstance(value, float) and not float(value).is_integer() else None
    return text or str(int(value))


def departement_counts(answers: list[dict], question: Question, *, threshold: int = SEUIL) -> pd.DataFrame:
    """Answers per department (and region-wide), protected exactly as the question's one-way view."""
    questionnaire_stub = Questionnaire("", "", "", (), {}, {}, (question,))
    counts = option_counts(questionnaire_stub, answers, question, threshold=threshold).set_index("Code")
    table = pd.DataFrame(
        {
            "Code": list(question.options),
            "Département": list(question.options.values()),
            "Réponses": [counts.at[code, "Réponses"] for code in question.options],
        }
    )
    table["Réponses"] = table["Réponses"].astype("Int64")
    return table


def compare_editions(
    questionnaire: Questionnaire,
    answers_a: list[dict],
    answers_b: list[dict],
    question: Question,
    labels: tuple[str, str],
) -> pd.DataFrame:
    """Share of each option in two editions, and the gap in points (B − A); hidden where either edition hides it."""
    a = option_counts(questionnaire, answers_a, question).set_index("Code")
    b = option_counts(questionnaire, answers_b, question).set_index("Code")
    order = list(_options_of(questionnaire, question))
    table = pd.DataFrame(
        {
            "Réponse": [a.at[c, "Réponse"] for c in order],
            f"{labels[0]} (%)": pd.array([a.at[c, "Part (%)"] for c in order], dtype="Float64"),
            f"{labels[1]} (%)": pd.array([b.at[c, "Part (%)"] for c in order], dtype="Float64"),
        }
    )
    table["Écart (points)"] = (table[f"{labels[1]} (%)"] - table[f"{labels[0]} (%)"]).round(1)
    return table


#: French words that carry no meaning on their own in a keyword.
_STOP_WORDS_TEXT = """a au aux avec ce ces cet cette d dans de des du en est et etre il elle j l la le les leur leurs
    ma mes mon ne ni nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes ton tu un une
    vos votre vous y tres plus bien faire avoir"""


STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith(("s", "x")) and not word.endswith("ss"):
        return word[:-1]
    return word


def fold_keyword(text: object) -> str:
    """The comparison form of a keyword: no case, accents, stop-words or plural marks."""
    words = [w for w in fold(text).split() if w not in STOP_WORDS]
    return " ".join(_singular(w) for w in words)


def keyword_frequencies(words: list[str]) -> pd.DataFrame:
    """Keywords counted once folded, most frequent first; each shown under its most common spelling."""
    groups: dict[str, Counter] = {}
    for word in words:
        key = fold_keyword(word)
        if key:
            spelling = " ".join(str(word).split())
            groups.setdefault(key, Counter())[spelling[:1].upper() + spelling[1:]] += 1
    rows = []
    for key, spellings in groups.items():
        # Most common spelling; on a tie, the singular (shorter) one.
        label = min(spellings, key=lambda s: (-spellings[s], len(s), s))
        rows.append({"Mot-clé": label, "Occurrences": sum(spellings.values()), "Forme comparée": key})
    table = pd.DataFrame(rows, columns=["Mot-clé", "Occurrences", "Forme comparée"])
    return table.sort_values(["Occurrences", "Mot-clé"], ascending=[False, True], kind="stable").reset_index(drop=True)


def survey_title(what: str, edition: Edition, n: int, *, demo: bool) -> str:
    """A chart title that says edition and number of answers (and the demo label when it applies)."""
    reponses = "réponse" if n <= 1 else "réponses"
    title = f"{what} – {edition.label} ({n} {reponses})"
    return f"{title} – {DEMO_LABEL}" if demo else title


def comparison_title(what: str, editions: tuple[str, str], counts: tuple[int, int], *, demo: bool) -> str:
    """Title of an edition comparison: both editions with their number of answers (and the demo label)."""
    parts = [f"{e} ({n} réponse{'s' if n > 1 else ''})" for e, n in zip(editions, counts, strict=True)]
    title = f"{what} – éditions {parts[0]} et {parts[1]}"
    return f"{title} – {DEMO_LABEL}" if demo else title


def with_demo_column(table: pd.DataFrame, demo: bool) -> pd.DataFrame:
    """The export table; when built on demo answers, every row says so."""
    if not demo:
        return table
    return table.assign(**{"Nature des données": DEMO_LABEL})


#: Setting kept by the editors: "auto" (demo answers only while no real answer exists), "oui" or "non".
DEMO_SETTING = "enquete_demo"


DEMO_MODES = {
    "auto": "Automatique : tant qu'aucune vraie réponse n'est enregistrée",
    "oui": "Toujours (présentation de l'outil)",
    "non": "Jamais",
}


#: Number of generated answers of each demo edition (about as many as a regional survey gathers).
DEMO_SIZES = (100, 80)


def free_text_keys(questionnaire: Questionnaire) -> set[str]:
    """The keys of an answer that hold a respondent's own words: free texts, keywords, « Autre » precisions."""
    keys = {q.id for q in questionnaire.of_type("texte", "mot_cle")}
    return keys | {q.autre_key for q in questionnaire.questions if q.autre}


def public_answer(questionnaire: Questionnaire, answer: dict, etat: str) -> dict | None:
    """What the results may show of a stored answer: nothing once hidden; its own words only once published.

    Until an editor has read them, an answer's free texts (see :func:`free_text_keys`) stay out of
    every public view; its choices count.
    """
    if etat == "masquee":
        return None
    if etat == "publiee":
        return answer
    private = free_text_keys(questionnaire)
    return {key: value for key, value in answer.items() if key not in private}


def results_answers(
    questionnaire: Questionnaire, stored: list[dict], mode: str = "auto"
) -> tuple[dict[str, list[dict]], bool]:
    """Answers per edition for the results, and whether they are the generated demo answers.

    ``stored`` are the store's rows (``edition``, ``reponses``, ``etat_textes``): what the results
    may show of each (:func:`public_answer`). Demo answers never mix with real ones: either every
    edition shown is generated, or none is.
    """
    real: dict[str, list[dict]] = {}
    for row in stored:
        shown = public_answer(questionnaire, row["reponses"], row.get("etat_textes", "en_attente"))
        if shown is not None:
            real.setdefault(row["edition"], []).append(shown)
    if mode == "oui" or (mode != "non" and not real):
        return {
            e.id: demo_answers(questionnaire, e.id, n) for e, n in zip(DEMO_EDITIONS, DEMO_SIZES, strict=True)
        }, True
    return real, False
