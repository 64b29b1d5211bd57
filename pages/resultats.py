"""Results of the cooperation survey: per question, agreement scales, cross-tables, keywords, map, editions."""

import streamlit as st

from cartographie.ui import cache, enquete, mise_en_page, resultats

ref = mise_en_page.page_with_optional_reference(
    "Résultats de l'enquête sur les coopérations", uses="la carte des réponses par département"
)
questionnaire = cache.questionnaire(ref)
par_edition, demo = cache.survey_results(questionnaire)
if demo:
    enquete.demo_banner()
if not par_edition:
    st.info("Aucune réponse n'est enregistrée pour le moment.", icon=":material/info:")
    st.page_link("pages/enquete.py", label="Répondre à l'enquête", icon=":material/edit_note:")
    st.stop()

choisis = resultats.choose_edition(questionnaire, par_edition, demo, ref)
resultats.publication_gate(choisis)
resultats.show_view(choisis)
