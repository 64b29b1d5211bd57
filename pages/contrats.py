"""The contrats de ville 2024–2030: the list, and a sheet per contrat (addressable by URL)."""

import streamlit as st

from cartographie.domaine.filtres import filter_qpv
from cartographie.domaine.indicateurs import contrat_sheet, contrats_table, credits_history
from cartographie.domaine.presentation import resolve_territory
from cartographie.domaine.rencontres import events_for_territory
from cartographie.lecture.exports import qpv_table
from cartographie.rendu.carte import qpv_filter_layer
from cartographie.rendu.graphiques import credits_history_figure
from cartographie.ui import barre, cache, composant_carte, fiches, mise_en_page, telechargements

ref = mise_en_page.page("Contrats de ville 2024–2030")
selection = barre.filters_sidebar(ref)
qpv = filter_qpv(ref.qpv, selection, ref.qpv_communes)

annee = barre.credits_year_picker(ref, key="contrats_annee_credits")
table = contrats_table(ref, annee)
table = table[table["Code"].isin(set(qpv["code_cv_2024"]))].reset_index(drop=True)
st.markdown(
    f"**{len(table)}** contrat{'s' if len(table) > 1 else ''} de ville sur {len(ref.contrats_2024)} "
    "(ceux dont au moins un quartier correspond aux filtres)."
)
fiches.credits_warnings(ref, annee)
if table.empty:
    st.warning("Aucun contrat de ville ne correspond à ces filtres : retirez un filtre dans le panneau de gauche.")
else:
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="contrats_tableau",
        column_config={c: st.column_config.NumberColumn(format="localized") for c in table.columns if "Crédits" in c},
    )
mise_en_page.source_caption(ref.source("contrats_ville_2024"), ref.source("qpv_2024_liste"), ref.source("credits"))
telechargements.table_downloads(
    table,
    filename=f"contrats_de_ville_credits-{annee}",
    key="contrats_export",
    note=fiches.sources_note(ref),
    sheet="Contrats",
)

st.header("Fiche d'un contrat de ville")
options = dict(zip(table["Code"], table["Contrat de ville"], strict=True)) or dict(
    zip(ref.contrats_2024["code_cv"], ref.contrats_2024["lib_cv"], strict=True)
)
if st.session_state.get("contrat_choisi") and st.session_state["contrat_choisi"] not in options:
    options[st.session_state["contrat_choisi"]] = ref.contrats_2024.set_index("code_cv").loc[
        st.session_state["contrat_choisi"], "lib_cv"
    ]
code = st.selectbox(
    "Contrat de ville",
    list(options),
    format_func=lambda c: f"{options[c]} ({c})",
    index=None,
    key="contrat_choisi",
    placeholder="Choisissez un contrat de ville",
)
fiche = contrat_sheet(ref, code) if code else None
if fiche is None:
    st.info(
        "Choisissez un contrat de ville pour afficher sa fiche : porteur, quartiers, crédits, évolution depuis 2015."
    )
else:
    fiches.render_contrat_sheet(fiche, ref)
    colonne_carte, colonne_qpv = st.columns([1, 1], gap="medium")
    with colonne_carte:
        composant_carte.folium_map(
            [qpv_filter_layer(set(fiche.qpv["code_qp"]), fiche.code)], key="contrat_carte", height=420
        )
    with colonne_qpv:
        st.subheader(f"Quartiers prioritaires ({len(fiche.qpv)})")
        st.dataframe(
            qpv_table(fiche.qpv)[["Code QPV", "Nom du quartier", "Commune(s)", "Statut par rapport à 2015"]],
            hide_index=True,
            width="stretch",
            key="contrat_qpv",
        )
    st.subheader("Crédits adultes-relais et FONJEP par année")
    historique = credits_history(ref, fiche.code)
    if historique.empty:
        st.info("Aucun poste adultes-relais ou FONJEP n'est rattaché à ce contrat dans les données.")
    else:
        graphique, tableau = st.tabs(["Graphique", "Tableau"])
        with graphique:
            st.plotly_chart(credits_history_figure(historique, fiche.nom), width="stretch", key="contrat_credits")
        with tableau:
            st.dataframe(
                historique.drop(columns="Alerte"),
                hide_index=True,
                width="stretch",
                key="contrat_credits_tableau",
                column_config={"Montant (€)": st.column_config.NumberColumn(format="localized")},
            )
        fiches.credits_warnings(ref)
        mise_en_page.source_caption(ref.source("credits"))
        telechargements.table_downloads(
            historique.drop(columns="Alerte"),
            filename=f"credits_{fiche.code}",
            key="contrat_credits_export",
            note=fiches.sources_note(ref),
            sheet="Crédits",
        )
    territoire = resolve_territory(ref, f"cv:{fiche.code}")
    fiches.render_events_list(
        events_for_territory(
            cache.catalogue(),
            qpv=tuple(territoire.qpv_codes),
            communes=tuple(territoire.communes),
            epci=tuple(territoire.epci),
        ),
        ref,
        empty="Aucune rencontre recensée sur ce territoire ni consacrée à lui.",
    )
    st.markdown(f"[Ouvrir la carte filtrée sur ce contrat](carte?cv={fiche.code})")
barre.share_link(selection)
barre.keep_in_url(selection)
