"""Map of the QPV 2024: filters, layers, a sheet per QPV, the table of the selection and its exports."""

import streamlit as st

from cartographie.domaine.filtres import filter_qpv
from cartographie.domaine.formats import format_nombre
from cartographie.domaine.indicateurs import credits_by_contrat, default_credits_year, qpv_sheet
from cartographie.domaine.rencontres import events_for_territory
from cartographie.lecture.exports import qpv_table
from cartographie.rendu.carte import dynamic_layers
from cartographie.ui import barre, cache, composant_carte, fiches, mise_en_page, telechargements

ref = mise_en_page.page("Carte des quartiers prioritaires 2024")
layers = cache.lazy_map_layers()
selection = barre.filters_sidebar(ref, layers=True)
qpv = filter_qpv(ref.qpv, selection, ref.qpv_communes)

st.markdown(
    f"**{format_nombre(len(qpv))}** quartier{'s' if len(qpv) > 1 else ''} prioritaire{'s' if len(qpv) > 1 else ''} "
    f"sur {format_nombre(len(ref.qpv))} correspond{'ent' if len(qpv) > 1 else ''} aux filtres."
)
if qpv.empty:
    st.warning(
        "Aucun quartier prioritaire ne correspond à ces filtres. Retirez un filtre dans le panneau de gauche "
        "ou cliquez sur « Réinitialiser les filtres ».",
        icon=":material/filter_alt_off:",
    )

colonne_carte, colonne_fiche = st.columns([2, 1], gap="medium")
with colonne_carte:
    credits_source = ref.source("credits")
    annee = selection.annee or default_credits_year(ref)
    couches = dynamic_layers(
        layers,
        codes=set(qpv["code_qp"]),
        fit_key=selection.label(),
        couches=selection.couches,
        selected_qpv=st.session_state.get("qpv_choisi"),
        credits=credits_by_contrat(ref.credits, annee, selection.mesure),
        annee=annee,
        mesure=selection.mesure,
        credits_source=f"{credits_source.producteur}, {credits_source.titre}",
        credits_warning=ref.credits_qualite.short_warning(annee) if ref.credits_qualite else "",
        experiences=cache.experience_points(cache.experiences_registry())
        if "experiences" in selection.couches
        else None,
    )
    resultat = composant_carte.folium_map(
        couches, key="carte_qpv", height=640, tiles="osm" in selection.couches, returned_objects=["last_active_drawing"]
    )
    composant_carte.clicked_qpv(resultat, state_key="qpv_choisi", last_click_key="_carte_dernier_clic")
    mise_en_page.source_caption(ref.source("qpv_2024"), ref.source("contrats_ville_2024"), ref.source("departements"))
    if "credits" in selection.couches:
        fiches.credits_warnings(ref, annee)

with colonne_fiche:
    options = cache.qpv_choices(ref)
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
        fiches.render_qpv_sheet(fiche, [ref.source("qpv_2024_liste"), ref.source("qpv_correspondance")])
        fiches.render_events_list(
            events_for_territory(
                cache.catalogue(), qpv=fiche.code, communes=tuple(fiche.communes_codes), epci=(fiche.siren_epci,)
            ),
            ref,
            empty="Aucune rencontre recensée sur ce territoire ni consacrée à lui.",
        )

st.header("Quartiers de la sélection")
table = qpv_table(qpv)
st.dataframe(table, hide_index=True, width="stretch", key="carte_tableau")
mise_en_page.source_caption(ref.source("qpv_2024_liste"), ref.source("qpv_correspondance"))
telechargements.export_buttons(table, set(qpv["code_qp"]), selection, ref)
barre.share_link(selection)
barre.keep_in_url(selection)
