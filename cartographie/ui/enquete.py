"""The survey form: its questions, the errors at each question, and storing an answer."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import streamlit as st

from cartographie.ui.cache import store
from cartographie.ui.mise_en_page import md_escape

if TYPE_CHECKING:  # the heavy modules are imported where used, so that cached pages start light
    pass


def demo_banner() -> None:
    """The warning every screen built on the generated answers shows."""
    from cartographie.domaine.enquete.demo import DEMO_LABEL

    st.warning(
        f"**{DEMO_LABEL[0].upper() + DEMO_LABEL[1:]}** : aucune vraie réponse n'est encore enregistrée, les "
        "résultats ci-dessous sont produits par un générateur pour montrer l'outil. Ils ne décrivent aucun "
        "territoire ni aucune structure.",
        icon=":material/science:",
    )


#: Where the errors of the last attempt are kept (question id → messages), shown at each question.
ERRORS_KEY = "enquete_erreurs"


def _question_anchor(question_id: str) -> str:
    return f"question-{question_id}"


def survey_form_fields(questionnaire) -> dict:
    """The questionnaire's widgets, section by section (keys ``q_<id>``); returns the raw answer.

    Not a form: the « Autre » field of a question appears only once « Autre » is chosen. The errors
    of the last attempt are shown just above their question, with an anchor the summary links to.
    """
    from cartographie.domaine.enquete.questionnaire import AUTRE

    errors = st.session_state.get(ERRORS_KEY, {})
    raw: dict = {}
    section = None
    for question in questionnaire.questions:
        if question.section != section:
            section = question.section
            st.header(questionnaire.sections[section])  # right under the page's title: second level
        label = question.libelle + (" *" if question.obligatoire else "")
        key = f"q_{question.id}"
        if question.id in errors:  # just above its question, as the summary's link lands here
            st.html(
                f'<div class="enquete-erreur" id="{_question_anchor(question.id)}" role="alert">'
                + "<br>".join(
                    f"À compléter ou corriger : {html.escape(m[:1].lower() + m[1:])}" for m in errors[question.id]
                )
                + "</div>"
            )
        if question.type == "echelle":
            options = questionnaire.echelle
            raw[question.id] = st.radio(
                label, list(options), format_func=options.get, index=None, horizontal=True, key=key
            )
        elif question.type == "departement":
            options = question.choices
            raw[question.id] = st.selectbox(
                label, list(options), format_func=options.get, index=None, key=key, placeholder="Choisissez"
            )
        elif question.type == "choix_unique":
            options = question.choices
            raw[question.id] = st.radio(label, list(options), format_func=options.get, index=None, key=key)
        elif question.type == "choix_multiple":
            options = question.choices
            raw[question.id] = st.multiselect(
                label,
                list(options),
                format_func=options.get,
                max_selections=question.max_choix,
                key=key,
                placeholder="Choisissez une ou plusieurs réponses",
                select_all=False,  # a respondent chooses each answer (no « select all » ticking the first ones)
            )
        elif question.type == "mot_cle":
            raw[question.id] = st.text_input(label, max_chars=60, key=key)
        else:
            raw[question.id] = st.text_area(label, max_chars=question.max_caracteres, key=key)
        if question.autre:
            value = raw[question.id]
            if value == AUTRE or (isinstance(value, list) and AUTRE in value):
                raw[question.autre_key] = st.text_input(
                    f"Précisez « Autre » ({question.libelle.rstrip(' ?')})",
                    max_chars=200,
                    key=f"q_{question.autre_key}",
                )
    return raw


def errors_summary(questionnaire) -> None:
    """The errors of the last attempt, each a link to its question (shown above the questions)."""
    errors = st.session_state.get(ERRORS_KEY, {})
    if not errors:
        return
    n = len(errors)
    links = "\n".join(
        f"- [{md_escape(questionnaire.question(qid).libelle)}](#{_question_anchor(qid)}) : "
        f"{md_escape(' '.join(messages))}"
        if qid
        else f"- {md_escape(' '.join(messages))}"
        for qid, messages in errors.items()
    )
    st.error(
        f"Vos réponses ne sont pas encore enregistrées : {n} question{'s' if n > 1 else ''} à compléter ou "
        f"corriger.\n\n{links}",
        icon=":material/error:",
    )


def submit_survey_answer(questionnaire, raw: dict) -> bool:
    """Check and store one anonymous answer in the current edition; keep the errors for their questions."""
    from cartographie.domaine.enquete.questionnaire import AnswerError
    from cartographie.domaine.enquete.validation import validate_answer

    try:
        answer = validate_answer(questionnaire, raw)
    except AnswerError as error:
        st.session_state[ERRORS_KEY] = error.by_question or {"": error.messages}
        return False
    st.session_state.pop(ERRORS_KEY, None)
    store().add_survey_answers(questionnaire.edition_courante, [answer], origine="formulaire")
    return True


def start_new_answer() -> None:
    """Empty the form for another respondent (a paper questionnaire typed in, another person) and rerun."""
    for key in [k for k in st.session_state if str(k).startswith("q_")]:
        del st.session_state[key]
    st.session_state.pop(ERRORS_KEY, None)
    st.session_state["enquete_envoyee"] = False
    st.rerun()
