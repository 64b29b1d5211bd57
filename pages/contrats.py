"""The contrats de ville 2024–2030: the list, and a sheet per contrat (addressable by URL)."""

import streamlit as st

from cartographie.domaine.filtres import filter_qpv
from cartographie.domaine.indicateurs import contrat_sheet
from cartographie.ui import barre, contrats, mise_en_page

ref = mise_en_page.page("Contrats de ville 2024–2030")
selection = barre.filters_sidebar(ref)
qpv = filter_qpv(ref.qpv, selection, ref.qpv_communes)
table = contrats.contrats_list(ref, qpv)

st.header("Fiche d'un contrat de ville")
code = contrats.contrat_picker(ref, table)
fiche = contrat_sheet(ref, code) if code else None
if fiche is None:
    st.info(
        "Choisissez un contrat de ville pour afficher sa fiche : porteur, quartiers, crédits, évolution depuis 2015."
    )
else:
    contrats.contrat_sheet_section(ref, fiche)
barre.share_link(selection)
barre.keep_in_url(selection)
