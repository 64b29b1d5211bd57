"""The contrats de ville page: the list with its credits, the picker, and the sheet of a contrat."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cartographie.domaine.chiffres import contrats_table
from cartographie.domaine.indicateurs import contrat_choices
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
    sources = [ref.source(k) for k in ("contrats_ville_2024", "qpv_2024_liste", *credits_sources([annee]))]
    mise_en_page.source_caption(*sources)
    telechargements.table_downloads(
        table, filename=f"contrats_de_ville_credits-{annee}", key="contrats_export", sources=sources, sheet="Contrats"
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


def contrat_sheet_section(ref, code: str) -> bool:
    """The sheet of a contrat (the sections of its printable sheet); ``False`` for an unknown code."""
    from cartographie.domaine.fiches import sheet_of
    from cartographie.domaine.territoires import resolve_territory

    try:
        fiche = sheet_of(ref, resolve_territory(ref, f"cv:{code}"), cache.catalogue(), cache.experiences_registry())
    except KeyError:
        return False
    fiches.render_contrat_sheet(ref, fiche)
    colonne_carte, colonne_qpv = st.columns([1, 1], gap="medium")
    with colonne_carte:
        composant_carte.folium_map(
            [qpv_filter_layer(set(fiche.qpv_codes), fiche.territory.code)], key="contrat_carte", height=420
        )
        composant_carte.legend(base_legend(sizes=cache.symbol_sizes()))
    with colonne_qpv:
        st.subheader(f"Quartiers prioritaires ({len(fiche.qpv_codes)})")
        qpv = ref.qpv.set_index("code_qp").loc[list(fiche.qpv_codes)].reset_index()
        mise_en_page.table(
            qpv_table(qpv)[["Code QPV", "Nom du quartier", "Commune(s)", "Statut par rapport à 2015"]],
            key="contrat_qpv",
            name=f"Quartiers prioritaires du contrat {fiche.title}",
        )
    st.subheader("Crédits adultes-relais et FONJEP par année")
    historique = fiche.credits
    if historique is None:
        st.info(mise_en_page.md_escape(fiche.credits_note))
    else:
        for alerte in fiche.credit_alerts:
            st.warning(f"**Données douteuses dans la source** : {mise_en_page.md_escape(alerte)}",
                       icon=":material/warning:")  # fmt: skip
        graphique, tableau = st.tabs(["Graphique", "Tableau"])
        with graphique:
            st.plotly_chart(credits_history_figure(historique, fiche.title), width="stretch", key="contrat_credits")
        with tableau:
            mise_en_page.table(
                historique.drop(columns="Alerte"),
                key="contrat_credits_tableau",
                name=f"Crédits adultes-relais et FONJEP par année : {fiche.title}",
                column_config={"Montant (€)": st.column_config.NumberColumn(format="localized")},
            )
        sources = [ref.source(k) for k in credits_sources(historique["Année"])]
        mise_en_page.source_caption(*sources, short=True)  # in full in the exports' « Sources » sheet
        telechargements.table_downloads(
            historique.drop(columns="Alerte"),
            filename=f"credits_{fiche.territory.code}",
            key="contrat_credits_export",
            sources=sources,
            sheet="Crédits",
        )
    fiches.render_events_list(
        fiche.meetings, ref, empty="Aucune rencontre recensée sur ce territoire ni consacrée à lui."
    )
    fiches.render_experiences(fiche)
    telechargements.sheet_pdf_button("contrat", fiche.territory.code)
    barre.view_link(
        "pages/carte.py", "Ouvrir la carte filtrée sur ce contrat", icon=":material/map:", cv=fiche.territory.code
    )
    return True


def credits_sources(years) -> list[str]:
    """The reference files behind a contrat's credits of these years (see :func:`credit_sources`)."""
    from cartographie.domaine.chiffres import credit_sources

    return list(dict.fromkeys(k for y in years for k in credit_sources("cv", int(y))))
