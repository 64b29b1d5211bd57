"""Map of the QPV 2024: statuses, departments, contrats de ville, EPCI; a sheet per QPV."""

import streamlit as st
from streamlit_folium import st_folium

from cartographie import ui
from cartographie.carte import build_qpv_map, epci_layer, selection_layer
from cartographie.indicateurs import qpv_options, qpv_sheet
from cartographie.reference import STATUTS

ref = ui.page("Carte des quartiers prioritaires 2024")
layers = ui.map_layers()

reglages = st.columns([3, 1, 1], vertical_alignment="bottom")
statuts = reglages[0].multiselect(
    "Statut des QPV par rapport à 2015",
    options=list(STATUTS),
    default=list(STATUTS),
    format_func=STATUTS.get,
    key="carte_statuts",
)
avec_epci = reglages[1].toggle("Contours des EPCI", key="carte_epci")
avec_fond = reglages[2].toggle(
    "Fond de carte OSM",
    key="carte_fond_osm",
    help="Nécessite Internet ; sans fond, la carte montre les limites.",
)

colonne_carte, colonne_fiche = st.columns([2, 1], gap="medium")
with colonne_carte:
    js, css = ui.leaflet_urls()
    carte = build_qpv_map(layers, leaflet_js=js, leaflet_css=css, tiles=avec_fond, statuts=tuple(statuts))
    ajouts = [
        g
        for g in (
            epci_layer(layers) if avec_epci else None,
            selection_layer(layers, st.session_state.get("qpv_choisi")),
        )
        if g is not None
    ]
    resultat = st_folium(
        carte,
        key="carte_qpv",
        height=640,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
        feature_group_to_add=ajouts or None,
    )
    ui.clicked_qpv(resultat, state_key="qpv_choisi", last_click_key="_carte_dernier_clic")
    ui.source_caption(ref.source("qpv_2024"), ref.source("contrats_ville_2024"), ref.source("departements"))

with colonne_fiche:
    options = qpv_options(ref)
    code = st.selectbox(
        "Fiche du QPV",
        options=list(options),
        format_func=options.get,
        index=None,
        key="qpv_choisi",
        placeholder="Cliquez un quartier sur la carte, ou tapez son nom",
    )
    fiche = qpv_sheet(ref, code) if code else None
    if fiche is None:
        st.info("Cliquez un quartier prioritaire sur la carte (ou choisissez-le dans la liste) pour afficher sa fiche.")
    else:
        ui.render_qpv_sheet(fiche, [ref.source("qpv_2024_liste"), ref.source("qpv_correspondance")])
