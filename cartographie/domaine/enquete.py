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

import pandas as pd

from cartographie.domaine.secret import SEUIL
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
class Family:
    """An actor family: types of structure the public cross-tables group (too many apart for ~100 answers)."""

    id: str
    libelle: str
    types: tuple[str, ...]


@dataclass(frozen=True)
class Questionnaire:
    """The questionnaire: questions in order, the agreement scale, the sections, the editions, the families."""

    titre: str
    introduction: str
    edition_courante: str
    editions: tuple[Edition, ...]
    echelle: dict[str, str]
    sections: dict[str, str]
    questions: tuple[Question, ...]
    familles: tuple[Family, ...] = ()

    def family_of(self, type_code: str) -> str:
        """The family of a type of structure; a type no family names (a skipped answer) goes to the last one."""
        for family in self.familles:
            if type_code in family.types:
                return family.id
        return self.familles[-1].id

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


def options_of(questionnaire: Questionnaire, question: Question) -> dict[str, str]:
    """A question's answers (code → label): the agreement levels for a statement, its choices otherwise."""
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
        options = options_of(questionnaire, question)
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
            options = list(options_of(questionnaire, question))
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
