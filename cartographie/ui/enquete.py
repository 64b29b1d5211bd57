"""The survey form, QR codes and the live keywords of a room."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from cartographie import config
from cartographie.ui.cache import _qr_png, store
from cartographie.ui.mise_en_page import md_escape

if TYPE_CHECKING:  # the heavy modules are imported where used, so that cached pages start light
    pass


def demo_banner() -> None:
    """The warning every screen built on the generated answers shows."""
    from cartographie.domaine.enquete import DEMO_LABEL

    st.warning(
        f"**{DEMO_LABEL[0].upper() + DEMO_LABEL[1:]}** : aucune vraie réponse n'est encore enregistrée, les "
        "résultats ci-dessous sont produits par un générateur pour montrer l'outil. Ils ne décrivent aucun "
        "territoire ni aucune structure.",
        icon=":material/science:",
    )


def qr_code(url: str, *, caption: str | None, width: int = 220) -> None:
    """A QR code opening ``url`` (drawn here, offline, once per address), with the address below it."""
    st.image(_qr_png(url), width=width)
    if caption:
        st.caption(f"{caption} : {url}")


def survey_form_fields(questionnaire) -> dict:
    """The questionnaire's widgets, section by section (keys ``q_<id>``); returns the raw answer."""
    raw: dict = {}
    section = None
    for question in questionnaire.questions:
        if question.section != section:
            section = question.section
            st.subheader(questionnaire.sections[section])
        label = question.libelle + (" *" if question.obligatoire else "")
        key = f"q_{question.id}"
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
            )
        elif question.type == "mot_cle":
            raw[question.id] = st.text_input(label, max_chars=60, key=key)
        else:
            raw[question.id] = st.text_area(label, max_chars=question.max_caracteres, key=key)
        if question.autre:
            raw[question.autre_key] = st.text_input(
                f"Si « Autre » : précisez ({question.libelle[:60].rstrip(' ?')})",
                max_chars=200,
                key=f"q_{question.autre_key}",
            )
    return raw


def submit_survey_answer(questionnaire, raw: dict) -> bool:
    """Check and store one anonymous answer in the current edition; say what is wrong, in French."""
    from cartographie.domaine.enquete import AnswerError, validate_answer

    try:
        answer = validate_answer(questionnaire, raw)
    except AnswerError as error:
        st.error(
            "Vos réponses ne sont pas encore enregistrées :\n" + "\n".join(f"- {md_escape(m)}" for m in error.messages)
        )
        return False
    store().add_survey_answers(questionnaire.edition_courante, [answer], origine="formulaire")
    return True


def start_new_answer() -> None:
    """Empty the form for another respondent (a paper questionnaire typed in, another person) and rerun."""
    for key in [k for k in st.session_state if str(k).startswith("q_")]:
        del st.session_state[key]
    st.session_state["enquete_envoyee"] = False
    st.rerun()


def keyword_session() -> str:
    """The live-keyword session of the URL (``?session=``), else today's date; kept in the URL."""
    import datetime as dt

    session = " ".join(str(st.query_params.get("session", "")).split())[:60] or dt.date.today().isoformat()
    st.query_params["session"] = session
    return session


#: Keywords one participant (one browser session) may send to a live session.
MOTS_PAR_PARTICIPANT = 3


def submit_keyword(session: str, mot: str) -> None:
    """Store one participant's keyword (a few per person, so that nobody floods the room's chart)."""
    from cartographie.domaine.contributions import ValidationError

    envoyes = st.session_state.setdefault("mots_envoyes", {})
    if envoyes.get(session, 0) >= MOTS_PAR_PARTICIPANT:
        st.warning(f"Vous avez déjà proposé {MOTS_PAR_PARTICIPANT} mots-clés pour cette session : merci !")
        return
    try:
        store().add_keyword(session, mot)
    except ValidationError as error:
        st.error(" ".join(error.messages))
    else:
        envoyes[session] = envoyes.get(session, 0) + 1
        st.success("Merci ! Votre mot est ajouté au nuage de la salle.", icon=":material/check_circle:")


def session_keywords(session: str):
    """The visible keywords of a live session, counted once folded (and how many were sent)."""
    from cartographie.domaine.enquete import keyword_frequencies

    mots = [k["mot"] for k in store().keywords(session)]
    return keyword_frequencies(mots), len(mots)


def keyword_page_url(session: str) -> str:
    """Public address of the page where participants type their keyword."""
    from urllib.parse import quote

    return f"{config.public_address()}/direct?session={quote(session)}"


@st.fragment(run_every=5)
def live_keywords(session: str, *, top: int = 15, font_size: int = 13, key: str = "direct") -> None:
    """The keywords of a live session, refreshed every five seconds (chart and table)."""
    from cartographie.rendu.graphiques import keyword_figure

    table, n = session_keywords(session)
    title = f"Mots-clés de la session « {session} » ({n} contribution{'s' if n > 1 else ''})"
    if table.empty:
        st.info("Aucun mot-clé pour l'instant : scannez le code QR et proposez le vôtre.", icon=":material/forum:")
        return
    graphique, tableau = st.tabs(["Graphique", "Tableau"])
    with graphique:
        st.plotly_chart(
            keyword_figure(table, title, top=top, font_size=font_size),
            width="stretch",
            key=f"{key}_graphique",
            config={"displaylogo": False},
        )
    with tableau:
        st.dataframe(table.drop(columns="Forme comparée"), hide_index=True, width="stretch", key=f"{key}_tableau")
