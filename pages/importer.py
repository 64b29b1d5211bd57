"""Editors: import survey answers exported by a survey tool, and choose whether the results show demo answers."""

import streamlit as st

from cartographie.ui import cache, connexion, importer, mise_en_page

ref = mise_en_page.page_with_optional_reference(
    "Importer des réponses à l'enquête", uses="rien : l'import reste complet"
)
questionnaire = cache.questionnaire(ref)
importer.introduction()
editeur = connexion.editor_signed_in()
if editeur is None:
    st.stop()
base = cache.store()
connexion.signed_in_banner(editeur)

onglet_import, onglet_demo = st.tabs(["Importer un fichier", "Données de démonstration"])
with onglet_import:
    importer.import_tab(questionnaire, base, editeur)
with onglet_demo:
    importer.demo_tab(base, editeur)
