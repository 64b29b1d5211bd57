"""Home: what the dashboard is for, key figures from the data, and the sources."""

import streamlit as st

from cartographie.ui import fiches, mise_en_page

ref = mise_en_page.page("Contrats de ville et quartiers prioritaires")

st.markdown(
    "Ce tableau de bord rassemble la géographie prioritaire de la région "
    f"**{mise_en_page.md_escape(ref.region_info.nom)}** : "
    "les quartiers prioritaires de la politique de la ville (QPV) 2024, les contrats de ville "
    "« Engagements Quartiers 2030 » et leurs territoires. Il s'adresse aux délégués du préfet, chefs de projet "
    "politique de la ville et centres de ressources qui préparent une rencontre ou un diagnostic."
)

fiches.render_key_figures(ref)

st.header("QPV 2024 par département")
fiches.render_qpv_by_departement(ref)

st.header("Sources des données")
fiches.sources_table(ref)
st.header("Explorer")
liens = st.columns(4)
liens[0].page_link("pages/carte.py", label="Carte des QPV : filtres, fiches, exports", icon=":material/map:")
liens[1].page_link("pages/contrats.py", label="Contrats de ville 2024–2030", icon=":material/handshake:")
liens[2].page_link("pages/rencontres.py", label="Rencontres et journées régionales", icon=":material/event:")
liens[3].page_link("pages/cooperations.py", label="Coopérations et réseau d'acteurs", icon=":material/hub:")
liens[0].page_link("pages/enquete.py", label="Répondre à l'enquête sur les coopérations", icon=":material/edit_note:")
liens[1].page_link("pages/resultats.py", label="Résultats de l'enquête", icon=":material/bar_chart:")
liens[2].page_link("pages/direct.py", label="Mots-clés en direct (salle)", icon=":material/forum:")
liens[3].page_link("pages/presentation.py", label="Écran de présentation", icon=":material/slideshow:")
