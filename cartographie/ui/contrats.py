"""The contrats de ville page: the list with its credits, the picker, and the sheet of a contrat."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cartographie.domaine.indicateurs import contrat_choices, contrats_table, credits_history
from cartographie.domaine.presentation import resolve_territory
from cartographie.domaine.rencontres import events_for_territory
from cartographie.lecture.exports import qpv_table
from cartographie.rendu.carte import qpv_filter_layer
from cartographie.rendu.graphiques import credits_history_figure
from cartographie.rendu.legendes import base_legend
from cartographie.ui import barre, cache, composant_carte, fiches, mise_en_page, telechargements


def contrats_list(ref, qpv: pd.DataFrame) -> pd.DataFrame:
    """The contrats with a QPV among ``qpv``, their credits of a chosen year and its data-quality notes."""
    annee = barre.credits_year_picker(ref, key="contrats_annee_credits")
    table = contrats_table(ref, annee, codes=set(qpv["code_cv_2024"]))
    st.markdown(
        f"**{len(table)}** contrat{'s' if len(table) > 1 else ''} de ville sur {len(ref.contrats_2024)} "
        "(ceux dont au moins un quartier correspond aux filtres)."
    )
    fiches.credits_warnings(ref, annee)
    if table.empty:
        st.warning("Aucun contrat de ville ne correspond à ces filtres : retirez un filtre dans le panneau de gauche.")
    else:
        mise_en_page.table(
            table,
            key="contrats_tableau",
            name="Contrats de ville de la sélection",
            column_config={
                c: st.column_config.NumberColumn(format="localized") for c in table.columns if "Crédits" in c
            },
        )
    mise_en_page.source_caption(ref.source("contrats_ville_2024"), ref.source("qpv_2024_liste"), ref.source("credits"))
    telechargements.table_downloads(
        table,
        filename=f"contrats_de_ville_credits-{annee}",
        key="contrats_export",
        note=fiches.sources_note(ref),
        sheet="Contrats",
    )
    return table


def contrat_picker(ref, table: pd.DataFrame) -> str | None:
    """The picker of a contrat (its code, or ``None``): those of the list, and the one already chosen."""
    options = contrat_choices(ref, table["Code"], keep=st.session_state.get("contrat_choisi"))
    return st.selectbox(
        "Contrat de ville",
        list(options),
        format_func=lambda c: f"{options[c]} ({c})",
        index=None,
        key="contrat_choisi",
        placeholder="Choisissez un contrat de ville",
    )


def contrat_sheet_section(ref, fiche) -> None:
    """The sheet of a contrat: header, map and QPV, credits by year, meetings, link to the map."""
    fiches.render_contrat_sheet(fiche, ref)
    colonne_carte, colonne_qpv = st.columns([1, 1], gap="medium")
    with colonne_carte:
        composant_carte.folium_map(
            [qpv_filter_layer(set(fiche.qpv["code_qp"]), fiche.code)], key="contrat_carte", height=420
        )
        composant_carte.legend(base_legend())
    with colonne_qpv:
        st.subheader(f"Quartiers prioritaires ({len(fiche.qpv)})")
        mise_en_page.table(
            qpv_table(fiche.qpv)[["Code QPV", "Nom du quartier", "Commune(s)", "Statut par rapport à 2015"]],
            key="contrat_qpv",
            name=f"Quartiers prioritaires du contrat {fiche.nom}",
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
            mise_en_page.table(
                historique.drop(columns="Alerte"),
                key="contrat_credits_tableau",
                name=f"Crédits adultes-relais et FONJEP par année : {fiche.nom}",
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
    telechargements.sheet_pdf_button("contrat", fiche.code)
    barre.view_link("pages/carte.py", "Ouvrir la carte filtrée sur ce contrat", icon=":material/map:", cv=fiche.code)
