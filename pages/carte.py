"""Map of the QPV 2024: filters, layers, a sheet per QPV, the table of the selection and its exports."""

import streamlit as st

from cartographie.ui import barre, carte, mise_en_page

ref = mise_en_page.page("Carte des quartiers prioritaires 2024")
selection = barre.filters_sidebar(ref, layers=True)
qpv = barre.selected_qpv(ref, selection)
carte.selection_count(qpv, total=len(ref.qpv))

colonne_carte, colonne_fiche = st.columns([2, 1], gap="medium")
with colonne_carte:
    carte.map_column(ref, selection, qpv)
with colonne_fiche:
    carte.sheet_column(ref)

selection = carte.with_chosen_qpv(selection)  # a QPV clicked on the map in this run goes into the address
carte.selection_table(ref, qpv, selection)
barre.share_link(selection)
barre.keep_in_url(selection)
