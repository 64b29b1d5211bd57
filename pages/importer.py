"""Editors: import survey answers exported by a survey tool, and choose whether the results show demo answers."""

import hashlib

import streamlit as st

from cartographie.domaine.contributions import ValidationError
from cartographie.domaine.enquete import DEMO_MODES, DEMO_SETTING
from cartographie.lecture.enquete_import import MAX_ROWS, SurveyFileError, check_import
from cartographie.ui import cache, contributions, enquete, mise_en_page, telechargements

ref = mise_en_page.page_without_reference("Importer des réponses à l'enquête", uses="rien : l'import reste complet")
questionnaire = cache.questionnaire(ref)
st.markdown(
    "Déposez l'export d'un outil d'enquête (CSV séparé par des virgules ou des points-virgules, en UTF-8 ou en "
    f"Windows-1252, ou classeur XLSX ; {MAX_ROWS:,} réponses au plus par fichier). ".replace(",", " ")
    + "Chaque colonne est associée à une question, automatiquement d'après son titre, puis vous pouvez corriger. "
    "**Rien n'est écrit** tant que vous n'avez pas confirmé, et seulement si toutes les lignes sont valides."
)
editeur = contributions.editor_signed_in()
if editeur is None:
    st.stop()
base = cache.store()

onglet_import, onglet_demo = st.tabs(["Importer un fichier", "Données de démonstration"])
with onglet_import:
    declarees = {e.id: f"{e.titre} ({e.annee})" for e in questionnaire.editions}
    choix = st.selectbox(
        "Édition des réponses importées",
        [*declarees, ""],
        format_func=lambda e: declarees.get(e, "Autre édition…"),
        key="import_edition",
    )
    edition = choix or st.text_input(
        "Identifiant de la nouvelle édition (ex. 2027)", max_chars=60, key="import_edition_autre"
    )
    fichier = st.file_uploader("Fichier de réponses", type=["csv", "txt", "xlsx"], key="import_fichier")
    if fichier is not None:
        brut = fichier.getvalue()
        empreinte = hashlib.sha256(brut).hexdigest()[:12]
        try:
            table, lecture = cache.read_survey_upload(brut, fichier.name)
        except SurveyFileError as error:
            st.error(f"Fichier refusé, rien n'a été écrit. {error}", icon=":material/error:")
            st.stop()
        st.caption(f"{lecture} {len(table)} ligne(s), {len(table.columns)} colonne(s).")
        with st.expander("Correspondance des colonnes avec les questions", expanded=True):
            correspondance = enquete.column_mapping(
                list(table.columns), questionnaire, prefix=f"import_colonne_{empreinte}"
            )
        st.markdown("**Aperçu** (10 premières lignes)")
        st.dataframe(table.head(10), hide_index=True, width="stretch", key="import_apercu")
        rapport = check_import(table, correspondance, questionnaire)
        for probleme in rapport.problems:  # column titles come from the file: escaped
            st.error(mise_en_page.md_escape(probleme), icon=":material/error:")
        if not rapport.rejected.empty:
            st.error(
                f"{len(rapport.rejected)} ligne(s) refusée(s) : rien ne sera écrit. Corrigez le fichier ou la "
                "correspondance des colonnes, puis déposez-le à nouveau.",
                icon=":material/error:",
            )
            st.dataframe(rapport.rejected, hide_index=True, width="stretch", key="import_refus")
            telechargements.download_table(rapport.rejected, filename="lignes_refusees", key="import_refus", demo=False)
        if rapport.empty_rows:
            st.caption(f"{rapport.empty_rows} ligne(s) vide(s) ignorée(s).")
        if rapport.importable:
            deja = st.session_state.get("import_fait") == empreinte
            st.success(f"{len(rapport.answers)} réponse(s) valide(s), prêtes à être importées.")
            if deja:
                st.info("Ce fichier vient d'être importé.", icon=":material/info:")
            elif st.button(
                f"Importer les {len(rapport.answers)} réponses dans l'édition « {edition} »",
                key="import_confirmer",
                type="primary",
                disabled=not edition,
            ):
                try:
                    nombre = base.add_survey_answers(edition, rapport.answers, origine="import")
                except ValidationError as error:
                    st.error("Import refusé, rien n'a été écrit : " + " ; ".join(error.messages))
                else:
                    st.session_state["import_fait"] = empreinte
                    st.success(f"{nombre} réponse(s) importée(s) dans l'édition « {edition} ».")

with onglet_demo:
    st.markdown(
        "Tant qu'aucune vraie réponse n'est enregistrée, les résultats montrent des **données fictives de "
        "démonstration** produites par le code (signalées sur chaque graphique et chaque export). Dès qu'une "
        "réponse est saisie ou importée, elles disparaissent : c'est le réglage automatique."
    )
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
    st.caption(
        "Réponses enregistrées par édition : "
        + (", ".join(f"{e} : {n}" for e, n in base.survey_editions().items()) or "aucune")
    )
