"""What the results may show: answers per edition (demo or real, never mixed), their titles and thresholds."""

from __future__ import annotations

from cartographie.domaine.enquete.demo import DEMO_EDITIONS, DEMO_LABEL, DEMO_SIZES, demo_answers
from cartographie.domaine.enquete.questionnaire import Edition, Question, Questionnaire, free_text_keys
from cartographie.domaine.secret import SEUIL

#: Cells counting from 1 to this minus one answers are hidden in every table (see ``cartographie.domaine.secret``).
SEUIL_ANONYMAT = SEUIL


#: An edition's results are public from this many answers on (editors see them before, marked as such).
SEUIL_PUBLICATION = 10


def answered(answers: list[dict], question: Question) -> list[dict]:
    """The answers that answer this question."""
    return [a for a in answers if a.get(question.id) not in (None, "", [])]


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
