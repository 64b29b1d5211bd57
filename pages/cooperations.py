"""Cooperation experiences: registry with filters, map, a sheet per experience, network of actors, proposals."""

import streamlit as st

from cartographie.ui import cache, cooperations, mise_en_page

ref = mise_en_page.page("Coopérations : expériences et acteurs")
st.markdown(
    "Qui coopère avec qui, sur quoi, où, et ce qui l'a rendu possible. Le registre part des expériences présentées "
    "lors des rencontres (documents publics cités) et s'enrichit des propositions validées par l'équipe éditoriale."
)
registre = cache.experiences_registry()
haut = st.container()  # a chosen experience's sheet comes first: a link to it lands on it
choix = cooperations.filtered_registry(ref, registre)
cooperations.registry_table(choix, registre)
with haut if cooperations.chosen_experience(registre) else st.container():
    cooperations.sheet_and_map(ref, registre, choix)

st.header("Le réseau des acteurs")
cooperations.actors_network(choix)

st.header("Proposer une expérience")
st.caption(
    "Votre proposition est relue par l'équipe éditoriale avant d'apparaître. N'indiquez pas de données "
    "personnelles : des organisations et leurs rôles suffisent."
)
cooperations.proposal_form(ref)
