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
import tomllib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from cartographie import config
from cartographie.filtres import fold

QUESTIONNAIRE_FILE = config.AUTHORED_DATA_DIR / "questionnaire.toml"

TYPES = ("choix_unique", "choix_multiple", "echelle", "texte", "mot_cle", "departement")
AUTRE = "autre"
AUTRE_LIBELLE = "Autre"
#: Answer of the department question for actors working region-wide.
REGION = "region"
REGION_LIBELLE = "Toute la région (plusieurs départements)"
#: Cells counting fewer answers than this are hidden in cross-tables (anonymity).
SEUIL_ANONYMAT = 5
#: The wording that marks every chart, table and export built on generated answers.
DEMO_LABEL = "données fictives de démonstration"

_ID = re.compile(r"[a-z][a-z0-9_]*")


class QuestionnaireError(Exception):
    """The questionnaire file has a mistake; the message names the file, the question and the field."""


class AnswerError(Exception):
    """An answer is not acceptable; ``messages`` lists every problem, in French."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
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
        for edition in self.editions:
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


# --------------------------------------------------------------------------- loading


def load_questionnaire(path: Path = QUESTIONNAIRE_FILE) -> Questionnaire:
    """Read and validate the questionnaire; a mistake raises :class:`QuestionnaireError` in French."""
    path = Path(path)
    where = f"Fichier « {path.name} »"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise QuestionnaireError(f"{where} : introuvable.") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise QuestionnaireError(f"{where} : illisible ({exc}).") from exc

    head = data.get("enquete") or {}
    for key in ("titre", "edition_courante"):
        if not isinstance(head.get(key), str) or not head[key].strip():
            raise QuestionnaireError(f"{where}, [enquete] : champ « {key} » manquant.")
    editions = []
    for number, raw in enumerate(data.get("editions") or [], start=1):
        label = f"{where}, édition n°{number}"
        if not isinstance(raw.get("id"), str) or not raw["id"].strip():
            raise QuestionnaireError(f"{label} : champ « id » manquant.")
        if not isinstance(raw.get("annee"), int) or not 2000 <= raw["annee"] <= 2100:
            raise QuestionnaireError(f"{label} ({raw['id']}) : « annee » doit être une année.")
        if not isinstance(raw.get("titre"), str) or not raw["titre"].strip():
            raise QuestionnaireError(f"{label} ({raw['id']}) : champ « titre » manquant.")
        editions.append(Edition(raw["id"], raw["annee"], raw["titre"].strip(), str(raw.get("note", "")).strip()))
    if len({e.id for e in editions}) != len(editions):
        raise QuestionnaireError(f"{where} : deux éditions portent le même identifiant.")
    if head["edition_courante"] not in {e.id for e in editions}:
        raise QuestionnaireError(f"{where} : l'édition courante « {head['edition_courante']} » n'est pas déclarée.")

    echelle = data.get("echelle") or {}
    if len(echelle) != 4 or not all(isinstance(v, str) and v for v in echelle.values()):
        raise QuestionnaireError(f"{where}, [echelle] : quatre niveaux libellés attendus, du désaccord à l'accord.")
    sections = data.get("sections") or {}

    questions = []
    for number, raw in enumerate(data.get("questions") or [], start=1):
        label = f"{where}, question n°{number} ({raw.get('id', 'sans identifiant')})"
        question_id = raw.get("id")
        if not isinstance(question_id, str) or not _ID.fullmatch(question_id) or "__" in question_id:
            raise QuestionnaireError(f"{label} : identifiant invalide (minuscules, chiffres et « _ »).")
        if raw.get("type") not in TYPES:
            raise QuestionnaireError(f"{label} : type « {raw.get('type')} » inconnu ({', '.join(TYPES)}).")
        if raw.get("section") not in sections:
            raise QuestionnaireError(f"{label} : section « {raw.get('section')} » non déclarée dans [sections].")
        if not isinstance(raw.get("libelle"), str) or not raw["libelle"].strip():
            raise QuestionnaireError(f"{label} : champ « libelle » manquant.")
        options = raw.get("options") or {}
        if raw["type"] in ("choix_unique", "choix_multiple"):
            if len(options) < 2:
                raise QuestionnaireError(f"{label} : au moins deux options attendues.")
            bad = [code for code in options if not _ID.fullmatch(code) or code == AUTRE]
            if bad:
                raise QuestionnaireError(f"{label} : code d'option invalide « {bad[0]} ».")
            labels = [fold(v) for v in options.values()]
            if len(set(labels)) != len(labels):
                raise QuestionnaireError(f"{label} : deux options ont le même libellé.")
        elif options:
            raise QuestionnaireError(f"{label} : une question de type « {raw['type']} » n'a pas d'options.")
        max_choix = raw.get("max_choix")
        if max_choix is not None and (
            raw["type"] != "choix_multiple" or not isinstance(max_choix, int) or max_choix < 1
        ):
            raise QuestionnaireError(f"{label} : « max_choix » ne vaut que pour un choix multiple (entier ≥ 1).")
        questions.append(
            Question(
                id=question_id,
                section=raw["section"],
                type=raw["type"],
                libelle=raw["libelle"].strip(),
                obligatoire=bool(raw.get("obligatoire", False)),
                options=dict(options),
                autre=bool(raw.get("autre", False)),
                max_choix=max_choix,
                max_caracteres=int(raw.get("max_caracteres", 2000)),
            )
        )
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise QuestionnaireError(f"{where} : l'identifiant de question « {duplicate} » est utilisé deux fois.")
    if not questions:
        raise QuestionnaireError(f"{where} : aucune question.")
    return Questionnaire(
        titre=head["titre"].strip(),
        introduction=" ".join(str(head.get("introduction", "")).split()),
        edition_courante=head["edition_courante"],
        editions=tuple(editions),
        echelle=dict(echelle),
        sections=dict(sections),
        questions=tuple(questions),
    )


# --------------------------------------------------------------------------- answers


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
            limit = 60 if question.type == "mot_cle" else question.max_caracteres
            if question.type == "mot_cle" and text and len(text) < 2:
                errors.append(f"{label} : le mot-clé doit compter au moins 2 caractères.")
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
            other = " ".join(str(raw.get(question.autre_key) or "").split())
            if chosen_autre and not other:
                errors.append(f"{label} : précisez « Autre ».")
            if len(other) > 200:
                errors.append(f"{label} : la précision « Autre » dépasse 200 caractères.")
            if chosen_autre and other:
                clean[question.autre_key] = other
    if errors:
        raise AnswerError(errors)
    return clean


def demo_answers(questionnaire: Questionnaire, edition: str, n: int = 100, seed: int = 2021) -> list[dict]:
    """``n`` fictitious, valid answers drawn by a seeded generator (for demonstration only)."""
    rng = random.Random(f"{seed}-{edition}")
    # Later editions lean slightly towards agreement, so that a comparison shows something.
    shift = 0.15 if edition != questionnaire.editions[0].id else 0.0
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


# --------------------------------------------------------------------------- results


def answered(answers: list[dict], question: Question) -> list[dict]:
    """The answers that answer this question."""
    return [a for a in answers if a.get(question.id) not in (None, "", [])]


def _values(answer: dict, question: Question) -> list[str]:
    value = answer.get(question.id)
    return list(value) if isinstance(value, list) else [value]


def option_counts(questionnaire: Questionnaire, answers: list[dict], question: Question) -> pd.DataFrame:
    """Answers per option, most frequent first; the percentage is of those who answered the question."""
    options = _options_of(questionnaire, question)
    respondents = answered(answers, question)
    counts = Counter(v for a in respondents for v in _values(a, question))
    total = len(respondents)
    table = pd.DataFrame(
        {
            "Code": list(options),
            "Réponse": list(options.values()),
            "Réponses": [counts.get(code, 0) for code in options],
        }
    )
    table["Part (%)"] = (100 * table["Réponses"] / total).round(1) if total else 0.0
    if question.type != "echelle":
        table = table.sort_values("Réponses", ascending=False, kind="stable")
    return table.reset_index(drop=True)


def scale_table(questionnaire: Questionnaire, answers: list[dict], questions: list[Question]) -> pd.DataFrame:
    """Agreement scales: one row per statement, counts and percentages per level."""
    rows = []
    for question in questions:
        respondents = answered(answers, question)
        counts = Counter(a[question.id] for a in respondents)
        row: dict = {"Code": question.id, "Affirmation": question.libelle, "Réponses": len(respondents)}
        for level, label in questionnaire.echelle.items():
            row[label] = counts.get(level, 0)
        for level, label in questionnaire.echelle.items():
            row[f"{label} (%)"] = round(100 * counts.get(level, 0) / len(respondents), 1) if respondents else 0.0
        rows.append(row)
    return pd.DataFrame(rows)


def crosstab(
    questionnaire: Questionnaire,
    answers: list[dict],
    question: Question,
    by: Question,
    *,
    threshold: int = SEUIL_ANONYMAT,
) -> pd.DataFrame:
    """Respondents per group of ``by`` (rows) and option of ``question`` (columns).

    Every cell counting fewer than ``threshold`` answers is hidden (``<NA>``), totals included,
    so that no small group can be recognised. Groups without any answer are left out.
    """
    options = _options_of(questionnaire, question)
    groups = _options_of(questionnaire, by)
    counts: dict[str, Counter] = {}
    for answer in answered(answered(answers, question), by):
        for group in _values(answer, by):
            counts.setdefault(group, Counter())["__total__"] += 1
            for value in _values(answer, question):
                counts[group][value] += 1
    rows = []
    for group, label in groups.items():
        if group not in counts:
            continue
        row = {by.libelle: label, "Réponses": counts[group]["__total__"]}
        row.update({options[o]: counts[group].get(o, 0) for o in options})
        rows.append(row)
    columns = [by.libelle, "Réponses", *options.values()]
    table = pd.DataFrame(rows, columns=columns)
    numbers = table[columns[1:]].astype("Int64")
    table[columns[1:]] = numbers.mask(numbers < threshold)
    return table


def crosstab_display(table: pd.DataFrame) -> pd.DataFrame:
    """The cross-table as shown and exported: hidden cells read « < 5 »."""
    shown = table.copy()
    for column in shown.columns[1:]:
        shown[column] = shown[column].map(lambda v: f"< {SEUIL_ANONYMAT}" if pd.isna(v) else str(int(v)))
    return shown


def departement_counts(answers: list[dict], question: Question, *, threshold: int = SEUIL_ANONYMAT) -> pd.DataFrame:
    """Answers per department (and region-wide), hidden under the anonymity threshold."""
    counts = Counter(a[question.id] for a in answered(answers, question))
    table = pd.DataFrame(
        {
            "Code": list(question.options),
            "Département": list(question.options.values()),
            "Réponses": [counts.get(code, 0) for code in question.options],
        }
    )
    table["Réponses"] = table["Réponses"].astype("Int64")
    table["Réponses"] = table["Réponses"].mask(table["Réponses"] < threshold)
    return table


def compare_editions(
    questionnaire: Questionnaire,
    answers_a: list[dict],
    answers_b: list[dict],
    question: Question,
    labels: tuple[str, str],
) -> pd.DataFrame:
    """Share of each option in two editions, and the gap in points (B − A)."""
    a = option_counts(questionnaire, answers_a, question).set_index("Code")
    b = option_counts(questionnaire, answers_b, question).set_index("Code")
    order = list(_options_of(questionnaire, question))
    table = pd.DataFrame(
        {
            "Réponse": [a.at[c, "Réponse"] for c in order],
            f"{labels[0]} (%)": [a.at[c, "Part (%)"] for c in order],
            f"{labels[1]} (%)": [b.at[c, "Part (%)"] for c in order],
        }
    )
    table["Écart (points)"] = (table[f"{labels[1]} (%)"] - table[f"{labels[0]} (%)"]).round(1)
    return table


# --------------------------------------------------------------------------- keywords

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
    title = f"{what} – {edition.titre} ({n} {reponses})"
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


# --------------------------------------------------------------------------- which answers the results show

#: Setting kept by the editors: "auto" (demo answers only while no real answer exists), "oui" or "non".
DEMO_SETTING = "enquete_demo"
DEMO_MODES = {
    "auto": "Automatique : tant qu'aucune vraie réponse n'est enregistrée",
    "oui": "Toujours (présentation de l'outil)",
    "non": "Jamais",
}
#: Number of generated answers per declared edition (the 2020–2021 survey gathered about a hundred).
DEMO_SIZES = (100, 80)


def results_answers(
    questionnaire: Questionnaire, stored: list[dict], mode: str = "auto"
) -> tuple[dict[str, list[dict]], bool]:
    """Answers per edition for the results, and whether they are the generated demo answers.

    ``stored`` are the store's rows (``edition`` and ``reponses``). Demo answers never mix with
    real ones: either every edition shown is generated, or none is.
    """
    real: dict[str, list[dict]] = {}
    for row in stored:
        real.setdefault(row["edition"], []).append(row["reponses"])
    if mode == "oui" or (mode != "non" and not real):
        sizes = dict(zip((e.id for e in questionnaire.editions), DEMO_SIZES, strict=False))
        return {e.id: demo_answers(questionnaire, e.id, sizes.get(e.id, 80)) for e in questionnaire.editions}, True
    return real, False
