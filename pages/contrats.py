"""The contrats de ville 2024–2030: a sheet per contrat (addressable by URL, shown first), and the list."""

import streamlit as st

from cartographie.ui import barre, contrats, mise_en_page

ref = mise_en_page.page("Contrats de ville 2024–2030")
selection = barre.filters_sidebar(ref)
qpv = barre.selected_qpv(ref, selection)
haut = st.container()  # the sheet goes first: a link to a contrat lands on it

st.header("Tous les contrats de ville")
table = contrats.contrats_list(ref, qpv)

with haut:
    st.header("Fiche d'un contrat de ville")
    code = contrats.contrat_picker(ref, table)
    if not (code and contrats.contrat_sheet_section(ref, code)):
        st.info(
            "Choisissez un contrat de ville pour afficher sa fiche : porteur, quartiers, crédits, évolution depuis "
            "2015. La liste de tous les contrats est plus bas."
        )
barre.share_link(selection)
barre.keep_in_url(selection)
