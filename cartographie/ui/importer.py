"""The survey import page: a file checked in full before anything is written, and the demo answers' setting."""

from __future__ import annotations

import hashlib

import streamlit as st

from cartographie.domaine.contributions import ValidationError
from cartographie.domaine.enquete.demo import DEMO_MODES, DEMO_SETTING
from cartographie.domaine.formats import format_nombre
from cartographie.lecture.enquete_import import MAX_ROWS, SurveyFileError, auto_mapping, check_import, targets
from cartographie.ui import cache, contributions, mise_en_page, telechargements
from cartographie.ui.connexion import allowed
from cartographie.ui.mise_en_page import md_escape


def introduction() -> None:
    """What the page accepts, and that nothing is written before a full check and a confirmation."""
    st.markdown(
        "Déposez l'export d'un outil d'enquête (CSV séparé par des virgules ou des points-virgules, en UTF-8 "
        f"ou en Windows-1252, ou classeur XLSX ; {format_nombre(MAX_ROWS)} réponses au plus par fichier). "
        "Chaque colonne est associée à une question, automatiquement d'après son titre, puis vous pouvez "
        "corriger. **Rien n'est écrit** tant que vous n'avez pas confirmé, et seulement si toutes les lignes "
        "sont valides."
    )


def choose_edition(questionnaire) -> str:
    """A declared edition, or the identifier of a new one typed by the editor."""
    declared = {e.id: f"{e.titre} ({e.annee})" for e in questionnaire.editions}
    choice = st.selectbox(
        "Édition des réponses importées",
        [*declared, ""],
        format_func=lambda e: declared.get(e, "Autre édition…"),
        key="import_edition",
    )
    return choice or st.text_input(
        "Identifiant de la nouvelle édition (ex. 2027)", max_chars=60, key="import_edition_autre"
    )


def column_mapping(columns: list[str], questionnaire, *, prefix: str) -> dict[str, str]:
    """One select box per column of the file, preset by the automatic mapping (adjustable)."""
    guessed = auto_mapping(columns, questionnaire)
    options = targets(questionnaire)
    choices = list(options)
    mapping = {}
    grid = st.columns(2)
    for number, column in enumerate(columns):
        mapping[column] = grid[number % 2].selectbox(
            f"Colonne « {md_escape(column)} »",
            choices,
            index=choices.index(guessed[column]),
            format_func=options.get,
            key=f"{prefix}_{number}",
        )
    return mapping


def import_tab(questionnaire, base, editeur) -> None:
    """Upload, read, map, check; the confirmation button appears only when every row is valid."""
    if not allowed(editeur, "importer"):
        return
    edition = choose_edition(questionnaire)
    fichier = mise_en_page.file_field("Fichier de réponses", types=["csv", "txt", "xlsx"], key="import_fichier")
    if fichier is None:
        return
    brut = fichier.getvalue()
    empreinte = hashlib.sha256(brut).hexdigest()[:12]
    try:
        table, lecture = cache.read_survey_upload(brut, fichier.name)
    except SurveyFileError as error:
        st.error(f"Fichier refusé, rien n'a été écrit. {md_escape(error)}", icon=":material/error:")
        return
    st.caption(
        f"{md_escape(lecture)} {format_nombre(len(table))} ligne(s), {format_nombre(len(table.columns))} colonne(s)."
    )
    with st.expander("Correspondance des colonnes avec les questions", expanded=True):
        correspondance = column_mapping(list(table.columns), questionnaire, prefix=f"import_colonne_{empreinte}")
    st.markdown("**Aperçu** (10 premières lignes)")
    mise_en_page.table(table.head(10), key="import_apercu", name="Aperçu du fichier : dix premières lignes")
    rapport = check_import(table, correspondance, questionnaire)
    _report(rapport)
    if rapport.importable:
        _confirm(base, edition, rapport.answers, empreinte, editeur)


def _report(rapport) -> None:
    """The file's problems and refused rows (downloadable), in French; column titles are escaped."""
    for probleme in rapport.problems:
        st.error(md_escape(probleme), icon=":material/error:")
    if not rapport.rejected.empty:
        st.error(
            f"{format_nombre(len(rapport.rejected))} ligne(s) refusée(s) : rien ne sera écrit. Corrigez le "
            "fichier ou la correspondance des colonnes, puis déposez-le à nouveau.",
            icon=":material/error:",
        )
        mise_en_page.table(rapport.rejected, key="import_refus", name="Lignes refusées et leurs motifs")
        telechargements.download_table(rapport.rejected, filename="lignes_refusees", key="import_refus", demo=False)
    if rapport.empty_rows:
        st.caption(f"{format_nombre(rapport.empty_rows)} ligne(s) vide(s) ignorée(s).")


def _confirm(base, edition: str, answers: list[dict], empreinte: str, editeur) -> None:
    """The import button; the whole file is written in one transaction, once."""
    nombre = format_nombre(len(answers))
    st.success(f"{nombre} réponse(s) valide(s), prêtes à être importées.")
    if st.session_state.get("import_fait") == empreinte:
        st.info("Ce fichier vient d'être importé.", icon=":material/info:")
        return
    if st.button(
        f"Importer les {nombre} réponses dans l'édition « {md_escape(edition)} »",
        key="import_confirmer",
        type="primary",
        disabled=not edition,
    ):
        try:
            written = base.add_survey_answers(edition, answers, origine="import", empreinte=empreinte, qui=editeur)
        except ValidationError as error:
            st.error("Import refusé, rien n'a été écrit : " + " ; ".join(error.messages))
        else:
            st.session_state["import_fait"] = empreinte
            st.success(f"{format_nombre(written)} réponse(s) importée(s) dans l'édition « {md_escape(edition)} ».")


def demo_tab(base, editeur) -> None:
    """Whether the results show the generated answers while no real answer exists (an administrator's setting)."""
    st.markdown(
        "Tant qu'aucune vraie réponse n'est enregistrée, les résultats montrent des **données fictives de "
        "démonstration** produites par le code (signalées sur chaque graphique et chaque export). Dès qu'une "
        "réponse est saisie ou importée, elles disparaissent : c'est le réglage automatique."
    )
    if not allowed(editeur, "reglages"):
        return
    actuel = base.setting(DEMO_SETTING, "auto")
    mode = st.radio(
        "Afficher les données de démonstration",
        list(DEMO_MODES),
        index=list(DEMO_MODES).index(actuel),
        format_func=DEMO_MODES.get,
        key="enquete_demo_mode",
    )
    if st.button("Enregistrer ce réglage", key="enquete_demo_enregistrer"):
        contributions.run_action(base.set_setting, DEMO_SETTING, mode, editeur)
    counts = base.survey_editions()
    st.caption(
        "Réponses enregistrées par édition : "
        + (", ".join(f"{md_escape(e)} : {format_nombre(n)}" for e, n in counts.items()) or "aucune")
    )
