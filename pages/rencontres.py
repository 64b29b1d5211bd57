"""Meetings and regional days 2020–2025: timeline, map of places, a sheet per event, methods catalogue."""

import streamlit as st

from cartographie.ui import cache, mise_en_page, rencontres

ref = mise_en_page.page("Rencontres et journées régionales")
cat = cache.catalogue()
st.markdown(
    "Cinq années de travail régional sur les coopérations en quartier populaire : la démarche ORIV – Réseau DSU "
    "Grand Est (2020–2022), puis les journées et rencontres des contrats de ville 2024–2030, et deux rencontres "
    "hors de la région qui nourrissent la réflexion. Ce que les documents sources ne disent pas est indiqué "
    "« non précisé »."
)
frame = rencontres.events(cat)
choisi = rencontres.chosen_event(frame)
haut = st.container()  # a chosen event's sheet comes first: a link to it lands on it

selection = rencontres.filtered_events(ref, cat, frame)
rencontres.timeline(cat, frame, selection, choisi)

st.header("Où ?")
rencontres.places(selection, choisi)

with haut if choisi else st.container():
    rencontres.event_sheet(ref, cat, frame)
rencontres.accepted_proposals(frame)
rencontres.proposal(frame)

st.header("Coopérer : définition et méthodes")
rencontres.methods(cat)
