"""The meetings page: filters and timeline, places, a sheet per event, proposals, the methods catalogue."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cartographie.domaine.rencontres import all_themes, event_titles, events_frame, events_table, filter_events
from cartographie.domaine.vocabulaires import TYPES_EVENEMENT
from cartographie.rendu.carte import events_layer
from cartographie.rendu.graphiques import TYPE_COULEURS, events_timeline_figure
from cartographie.rendu.legendes import base_legend, events_legend
from cartographie.ui import barre, cache, composant_carte, contributions, fiches, mise_en_page
from cartographie.ui.mise_en_page import md_escape


def events(cat) -> pd.DataFrame:
    """Every event of the catalogue, one row each (:func:`cartographie.domaine.rencontres.events_frame`)."""
    return events_frame(cat)


def filtered_events(ref, cat, frame: pd.DataFrame) -> pd.DataFrame:
    """The filters (type, theme, department, year); returns the events they keep."""
    filtres = st.columns(4)
    types = filtres[0].multiselect(
        "Type", list(TYPES_EVENEMENT), format_func=TYPES_EVENEMENT.get, key="rencontres_types", placeholder="Tous"
    )
    themes = filtres[1].multiselect("Thème", all_themes(cat), key="rencontres_themes", placeholder="Tous")
    deps = sorted(d for d in frame["departement"].unique() if d)
    dep_names = dict(zip(ref.departements["insee_dep"], ref.departements["lib_dep"], strict=True))
    departements = filtres[2].multiselect(
        "Département",
        deps,
        format_func=lambda d: f"{dep_names.get(d, d)} ({d})",
        key="rencontres_departements",
        placeholder="Tous",
    )
    annees = filtres[3].multiselect(
        "Année", sorted(int(a) for a in frame["annee"].dropna().unique()), key="rencontres_annees", placeholder="Toutes"
    )
    return filter_events(
        frame, types=tuple(types), themes=tuple(themes), departements=tuple(departements), annees=tuple(annees)
    )


def timeline(cat, frame: pd.DataFrame, selection: pd.DataFrame, chosen: str | None = None) -> None:
    """How many events are kept, their timeline (the chosen one ringed) and their table."""
    st.markdown(f"**{len(selection)}** événement{'s' if len(selection) > 1 else ''} sur {len(frame)}.")
    if selection.empty:
        st.warning("Aucun événement ne correspond à ces filtres.")

    frise, tableau = st.tabs(["Frise 2020–2025", "Tableau"])
    with frise:
        st.plotly_chart(
            events_timeline_figure(selection, TYPES_EVENEMENT, highlight=chosen),
            width="stretch",
            key="rencontres_frise",
        )
        sans_date = selection[selection["date"].isna()]
        if not sans_date.empty:
            st.caption("Sans date connue : " + " ; ".join(sans_date["titre"]))
    with tableau:
        mise_en_page.table(events_table(selection), key="rencontres_tableau", name="Rencontres de la sélection")
    st.caption("Sources : " + " ; ".join(cat.sources.values()))


def places(selection: pd.DataFrame, chosen: str | None = None) -> None:
    """The map of the events held in a known place (the chosen one ringed), and the list of the others."""
    colonne_carte, colonne_liste = st.columns([2, 1], gap="medium")
    with colonne_carte:
        composant_carte.folium_map(
            [events_layer(selection, TYPE_COULEURS, selected=chosen)], key="rencontres_carte", height=480
        )
        composant_carte.legend(
            [*events_legend(TYPES_EVENEMENT, TYPE_COULEURS), *base_legend(sizes=cache.symbol_sizes())]
        )
    with colonne_liste:
        sans_lieu = selection[selection["latitude"].isna()]
        st.markdown("**Sans lieu sur la carte** (en ligne, lieu non précisé ou hors Grand Est)")
        st.markdown(
            "\n".join(
                f"- {md_escape(r.date_libelle)} – {md_escape(r.titre)} ({md_escape(r.lieu)})"
                for r in sans_lieu.itertuples()
            )
            or "Aucun."
        )


def chosen_event(frame: pd.DataFrame) -> str | None:
    """The event whose sheet this run shows (from the address, or the picker), before the picker is drawn."""
    return barre.sheet_choice(event_titles(frame), key="evenement_choisi", param="evt")


def event_sheet(ref, cat, frame: pd.DataFrame) -> None:
    """The sheet of the chosen event (kept in the URL)."""
    st.header("Fiche d'un événement")
    choisi = barre.sheet_picker(
        "Événement", event_titles(frame), key="evenement_choisi", param="evt", placeholder="Choisissez un événement"
    )
    if choisi:
        fiches.render_event_sheet(cat.event(choisi), cat, ref)


def accepted_proposals(frame: pd.DataFrame) -> None:
    """The corrections and missing meetings the editors accepted, as their authors wrote them (text only)."""
    from cartographie.domaine.formats import format_date
    from cartographie.ui.cache import store

    acceptees = store().rencontres_proposees(etats=("publiee",))
    st.subheader("Compléments acceptés par l'équipe éditoriale")
    if not acceptees:
        st.caption("Aucun pour le moment : les propositions acceptées s'afficheront ici.")
        return
    titres = event_titles(frame)
    for proposition in acceptees:
        concerne = titres.get(proposition["evenement_id"], "nouvelle rencontre")
        st.markdown(
            f"**{md_escape(proposition['titre'])}** ({md_escape(concerne)}, acceptée le "
            f"{format_date(proposition['modifie_le'].date())})  \n{md_escape(proposition['contenu'])}"
        )


def proposal(frame: pd.DataFrame) -> None:
    """A correction or a missing meeting, proposed to the editors."""
    titres = event_titles(frame)
    with st.expander("Proposer une correction ou une rencontre manquante"):
        st.caption(
            "Votre proposition est relue par l'équipe éditoriale avant toute publication ; acceptée, elle "
            "s'affiche dans « Compléments acceptés par l'équipe éditoriale ». Ne donnez pas de données personnelles."
        )
        with st.form("proposition_rencontre", clear_on_submit=True):
            evenement = st.selectbox(
                "Événement concerné (facultatif)",
                list(titres),
                format_func=titres.get,
                index=None,
                key="proposition_evenement",
                placeholder="Nouvelle rencontre",
            )
            titre = st.text_input("Titre", max_chars=300, key="proposition_titre")
            contenu = st.text_area("Votre proposition (date, lieu, source…)", max_chars=5000, key="proposition_contenu")
            if st.form_submit_button("Envoyer la proposition", key="proposition_envoyer"):
                contributions.submit_meeting_proposal(evenement, titre, contenu)


def methods(cat) -> None:
    """What cooperating means, its three determining elements and the methods catalogue."""
    st.markdown(md_escape(cat.definition))
    st.markdown("**Trois éléments déterminants**\n" + "\n".join(f"1. {md_escape(e)}" for e in cat.elements))
    for methode in cat.methodes.values():
        with st.expander(methode.nom):
            st.markdown(md_escape(methode.resume))
            if methode.roles:
                st.markdown("**Rôles**\n" + "\n".join(f"- {md_escape(r)}" for r in methode.roles))
            if methode.etapes:
                st.markdown("**Étapes**\n" + "\n".join(f"{i}. {md_escape(e)}" for i, e in enumerate(methode.etapes, 1)))
            st.caption("Source(s) : " + " ; ".join(cat.sources[s] for s in methode.sources))
