"""Editors' space: moderation of proposals, audit log, backup and restore."""

import streamlit as st

from cartographie.ui import cache, connexion, mise_en_page, moderation

mise_en_page.plain_page("Contributions et modération")
st.markdown(
    "Les propositions du public (expériences de coopération, corrections de rencontres) restent invisibles "
    "jusqu'à leur validation par un éditeur. Chaque action est inscrite au journal."
)
editeur = connexion.editor_signed_in()
if editeur is None:
    st.stop()

base = cache.store()
connexion.signed_in_banner(editeur)

for onglet, section in zip(st.tabs(moderation.ONGLETS), moderation.SECTIONS, strict=True):
    with onglet:
        section(base, editeur)
