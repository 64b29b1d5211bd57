"""The cooperation page: the registry and its filters, a sheet and the map, the network of actors, proposals."""

from __future__ import annotations

import streamlit as st

from cartographie.domaine.contributions import ValidationError, experience_from_form
from cartographie.domaine.cooperations import (
    actors_table,
    build_network,
    experiences_frame,
    filter_experiences,
    focus,
    network_links,
    territory_checker,
)
from cartographie.domaine.vocabulaires import ELEMENTS, NIVEAUX_ELEMENT, STATUTS_EXPERIENCE, THEMES, TYPES_ACTEUR
from cartographie.lecture.experiences import registry_note
from cartographie.rendu.carte import experiences_layer
from cartographie.rendu.graphiques import network_figure
from cartographie.rendu.legendes import base_legend, experiences_legend
from cartographie.ui import barre, cache, composant_carte, fiches, mise_en_page


def filtered_registry(ref, registre: list) -> list:
    """The filters over the registry (theme, actor type, territory, method, status); returns what they keep."""
    filtres = st.columns(5)
    themes = filtres[0].multiselect("Thème", THEMES, key="coop_themes", placeholder="Tous")
    types = filtres[1].multiselect(
        "Type d'acteur", list(TYPES_ACTEUR), format_func=TYPES_ACTEUR.get, key="coop_types", placeholder="Tous"
    )
    known = sorted({t for e in registre for t in e.territoires})
    labels = {f"{k}:{c}": fiches.territory_label(ref, k, c) if k != "contrat" else f"contrat {c}" for k, c in known}
    territoires = filtres[2].multiselect(
        "Territoire", list(labels), format_func=labels.get, key="coop_territoires", placeholder="Tous"
    )
    methodes = filtres[3].multiselect(
        "Méthode", sorted({m for e in registre for m in e.methodes}), key="coop_methodes", placeholder="Toutes"
    )
    statuts = filtres[4].multiselect(
        "Statut", list(STATUTS_EXPERIENCE), format_func=STATUTS_EXPERIENCE.get, key="coop_statuts", placeholder="Tous"
    )
    return filter_experiences(
        registre,
        themes=tuple(themes),
        types_acteur=tuple(types),
        territoires=tuple(tuple(t.split(":", 1)) for t in territoires),
        methodes=tuple(methodes),
        statuts=tuple(statuts),
    )


def registry_table(choix: list, registre: list) -> None:
    """How many experiences the filters keep, their table and the registry's date."""
    st.markdown(f"**{len(choix)}** expérience{'s' if len(choix) > 1 else ''} sur {len(registre)}.")
    if not choix:
        st.warning("Aucune expérience ne correspond à ces filtres.")
    mise_en_page.table(
        experiences_frame(choix).drop(columns="id"), key="coop_liste", name="Expériences de la sélection"
    )
    st.caption(
        f"{registry_note()} Les propositions validées par l'équipe éditoriale s'y ajoutent à la date de leur "
        "validation."
    )


def chosen_experience(registre: list) -> str | None:
    """The experience whose sheet this run shows (from the address, or the picker), before the picker is drawn."""
    return barre.sheet_choice({e.id: e.titre for e in registre}, key="experience_choisie", param="exp")


def sheet_and_map(ref, registre: list, choix: list) -> None:
    """The sheet of the chosen experience (kept in the URL) beside the map of the filtered ones."""
    colonne_fiche, colonne_carte = st.columns([1, 1], gap="medium")
    with colonne_fiche:
        choisie = barre.sheet_picker(
            "Fiche d'une expérience",
            {e.id: e.titre for e in registre},
            key="experience_choisie",
            param="exp",
            placeholder="Choisissez une expérience (ou cliquez-la dans le réseau)",
        )
        if choisie:
            fiches.render_experience_sheet(next(e for e in registre if e.id == choisie), ref)
    with colonne_carte:
        st.markdown("**Où ?** (les expériences hors Grand Est sont dans la liste)")
        composant_carte.folium_map(
            [experiences_layer(cache.experience_points(choix), selected=choisie)], key="coop_carte", height=460
        )
        composant_carte.legend([*experiences_legend(), *base_legend(sizes=cache.symbol_sizes())])


def actors_network(choix: list) -> None:
    """The network of actors and experiences: focus on an actor, clicks, and the tables of the most linked."""
    graphe = build_network(choix)
    acteurs = actors_table(graphe)
    noms = dict(zip(acteurs["noeud"], acteurs["Acteur"] + " (" + acteurs["Type"] + ")", strict=True))
    centre = st.selectbox(
        "Se concentrer sur un acteur (ses expériences et leurs partenaires)",
        list(noms),
        format_func=noms.get,
        index=None,
        key="coop_focus",
        placeholder="Tout le réseau",
    )
    vue = focus(graphe, centre)
    positions = cache.network_positions(tuple(vue.nodes()), tuple(vue.edges()))
    if vue.number_of_nodes():  # a click opens a sheet or centres the network
        evenement = st.plotly_chart(
            network_figure(vue, positions, highlight=centre),
            width="stretch",
            key="coop_reseau",
            on_select="rerun",
            selection_mode="points",
        )
        points = evenement.selection.points if evenement else []
        clique = next((p.get("customdata") for p in points if p.get("customdata")), None)
        if clique and clique.startswith("experience:") and st.session_state.get("_coop_clic") != clique:
            st.session_state["_coop_clic"] = clique
            st.session_state["experience_choisie"] = clique.removeprefix("experience:")
            st.rerun()
        if clique and clique.startswith("acteur:") and st.session_state.get("_coop_clic") != clique:
            st.session_state["_coop_clic"] = clique
            st.session_state["coop_focus"] = clique
            st.rerun()
        st.caption(
            "Cliquez une expérience (carré) pour ouvrir sa fiche, un acteur (rond) pour voir son voisinage. "
            "Taille : nombre de liens. Seuls les nœuds les plus reliés portent leur nom ; survolez les autres."
        )
        with st.expander(f"Les liens du réseau, en tableau ({vue.number_of_edges()})"):
            # The drawing's text alternative: every link, experience ↔ actor, with the actor's role.
            mise_en_page.table(network_links(vue), key="coop_liens", name="Les liens du réseau")
    classement, passeurs = st.columns(2)
    with classement:
        st.markdown("**Acteurs les plus reliés**")
        mise_en_page.table(acteurs.drop(columns="noeud").head(15), key="coop_acteurs", name="Acteurs les plus reliés")
    with passeurs:
        st.markdown("**Acteurs qui relient plusieurs territoires**")
        mise_en_page.table(
            acteurs[acteurs["Territoires reliés"] > 1].drop(columns="noeud"),
            key="coop_passeurs",
            name="Acteurs qui relient plusieurs territoires",
        )


#: Actors a proposal names at most (one line of fields each; lines left without a name are ignored).
ACTOR_LINES = 6


def actor_fields() -> list[dict]:
    """The actors of a proposal: for each, its organisation, type and role, as plain labelled fields.

    Ordinary fields rather than a grid: each is reached with Tab, read by its label, and what is typed
    in it is what the form sends (a grid drawn on a canvas lost a keyboard user's last cell).
    """
    st.markdown("**Acteurs** (un par ligne ; les lignes sans organisation sont ignorées)")
    rows = []
    for number in range(1, ACTOR_LINES + 1):
        nom, type_, role = st.columns([3, 2, 2])
        rows.append(
            {
                "nom": nom.text_input(
                    f"Acteur {number} : organisation", max_chars=200, key=f"prop_acteur_{number}_nom"
                ),
                "type": type_.selectbox(
                    f"Acteur {number} : type",
                    list(TYPES_ACTEUR),
                    format_func=TYPES_ACTEUR.get,
                    index=list(TYPES_ACTEUR).index("association"),
                    key=f"prop_acteur_{number}_type",
                ),
                "role": role.text_input(f"Acteur {number} : rôle", max_chars=200, key=f"prop_acteur_{number}_role"),
            }
        )
    return rows


def proposal_form(ref) -> None:
    """The proposal form; a proposal waits for an editor before it appears."""
    choix_territoires = cache.territory_choices(ref)
    with st.form("proposition_experience", clear_on_submit=False):
        titre = st.text_input("Titre", max_chars=200, key="prop_titre")
        resume = st.text_area(
            "Résumé : qui coopère, sur quoi, ce qui l'a rendu possible", max_chars=5000, key="prop_resume"
        )
        lieux = st.multiselect(
            "Territoire(s)",
            list(choix_territoires),
            format_func=choix_territoires.get,
            key="prop_territoires",
            placeholder="QPV, commune, EPCI ou contrat de ville",
            select_all=False,  # typing a name then Entrée picks that place, not every match
        )
        colonnes = st.columns(3)
        prop_themes = colonnes[0].multiselect("Thèmes", THEMES, key="prop_themes", select_all=False)
        prop_statut = colonnes[1].selectbox(
            "Statut", list(STATUTS_EXPERIENCE), format_func=STATUTS_EXPERIENCE.get, key="prop_statut"
        )
        periode = colonnes[2].text_input("Période", max_chars=60, key="prop_periode", placeholder="ex. 2024–2025")
        niveaux = st.columns(3)
        elements = {
            cle: niveaux[i].selectbox(
                libelle, NIVEAUX_ELEMENT, format_func=lambda n: n or "non précisé", key=f"prop_{cle}"
            )
            for i, (cle, libelle) in enumerate(ELEMENTS.items())
        }
        acteurs_saisis = actor_fields()
        envoyer = st.form_submit_button("Envoyer la proposition", key="prop_envoyer")
    if envoyer:
        donnees = experience_from_form(
            titre=titre,
            resume=resume,
            statut=prop_statut,
            periode=periode,
            themes=prop_themes,
            territoires=lieux,
            elements=elements,
            acteurs=acteurs_saisis,
        )
        try:
            cache.store().propose_experience(donnees, known_territory=territory_checker(ref))
        except ValidationError as erreur:
            st.error("Proposition non enregistrée :\n" + "\n".join(f"- {m}" for m in erreur.messages))
        else:
            st.success("Merci ! Votre proposition sera relue par l'équipe éditoriale avant publication.")
