"""Answer the cooperation survey in the app: the questionnaire as a form, stored anonymously."""

import streamlit as st

from cartographie.ui import cache, enquete, mise_en_page

ref = mise_en_page.page_with_optional_reference(
    "Enquête sur les coopérations", uses="rien : le questionnaire reste complet"
)
questionnaire = cache.questionnaire(ref)
edition = questionnaire.edition(questionnaire.edition_courante)
st.markdown(questionnaire.introduction)
st.caption(f"Édition en cours : {edition.titre}. Les questions marquées d'un astérisque (*) sont obligatoires.")

if st.session_state.get("enquete_envoyee"):
    st.success("Merci ! Votre réponse est enregistrée de façon anonyme.", icon=":material/check_circle:")
    st.markdown("[Voir les résultats de l'enquête](resultats)")
    if st.button("Saisir une autre réponse (questionnaire papier, autre personne)", key="enquete_nouvelle"):
        enquete.start_new_answer()
    st.stop()

reponse = enquete.survey_form_fields(questionnaire)
if st.button("Envoyer mes réponses", key="enquete_envoyer", type="primary"):
    if enquete.submit_survey_answer(questionnaire, reponse):
        st.session_state["enquete_envoyee"] = True
    st.rerun()  # the errors are shown at their questions, and summed up here
enquete.errors_summary(questionnaire)
