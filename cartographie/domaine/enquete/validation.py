"""The one check of an answer, shared by the form, the import of a file and the restore of a backup."""

from __future__ import annotations

from cartographie.domaine.enquete.questionnaire import AUTRE, AnswerError, Questionnaire, options_of
from cartographie.domaine.texte import mask_contact_details


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
