"""The survey's questionnaire (``data/questionnaire.toml``): questions, editions, families of respondents.

An answer is a plain dict keyed by question identifier: an option code for a single choice
(``"autre"`` with the text under ``"<id>__autre"``), a list of codes for a multiple choice,
a level code for an agreement scale, a string for free text and keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

TYPES_QUESTION = ("choix_unique", "choix_multiple", "echelle", "texte", "mot_cle", "departement")


AUTRE = "autre"


AUTRE_LIBELLE = "Autre"


#: Answer of the department question for actors working region-wide.
REGION = "region"


REGION_LIBELLE = "Toute la région (plusieurs départements)"


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


def free_text_keys(questionnaire: Questionnaire) -> set[str]:
    """The keys of an answer that hold a respondent's own words: free texts, keywords, « Autre » precisions."""
    keys = {q.id for q in questionnaire.of_type("texte", "mot_cle")}
    return keys | {q.autre_key for q in questionnaire.questions if q.autre}
