"""The QPV map page: which layers a rerun draws, the map and its sheet, the selection's table.

Data flow one way: this module reads the cached layers (:mod:`cartographie.ui.cache`), hands
plain GeoJSON to the folium renderers (:mod:`cartographie.rendu.carte`) and gives the result to
the map component (:mod:`cartographie.ui.composant_carte`).
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from cartographie.domaine.chiffres import credit_values, default_credits_year
from cartographie.domaine.formats import format_nombre
from cartographie.lecture.exports import qpv_table
from cartographie.rendu import carte as rendu
from cartographie.rendu import legendes
from cartographie.rendu.carte import MapLayer
from cartographie.ui import cache, composant_carte, fiches, mise_en_page, telechargements

#: Session key of the QPV whose sheet is open (the picker's key: the map's click sets it too).
QPV_CHOISI = "qpv_choisi"


def map_groups(
    *,
    codes: set[str] | None,
    fit_key: str,
    couches: tuple[str, ...] = (),
    selected_qpv: str | None = None,
    credits: pd.Series | None = None,
    annee: int = 2025,
    mesure: str = "montant",
    credits_source: str = "",
    credits_warning: str = "",
    experiences: pd.DataFrame | None = None,
    classes=None,
) -> list:
    """Every layer that depends on the user's choices, in drawing order (bottom to top).

    The optional layers come as :class:`MapLayer` (they depend only on the layer, year and
    measure, or on the experiences' content: built the first time, then reused by key); the QPV
    filter, which also outlines the chosen QPV and fits the map, is rendered at each rerun and is
    small. ``codes`` ``None`` means every QPV; ``classes`` colour the QPV by an INSEE indicator.
    """
    groups: list = []
    if "credits" in couches and credits is not None:
        key = f"credits:{annee}:{mesure}:{credits_source}:{credits_warning}"
        groups.append(
            MapLayer(
                key,
                lambda: rendu.credits_layer(
                    cache.layer_geojson(rendu.credits_perimeters(annee)),
                    credits,
                    annee=annee,
                    mesure=mesure,
                    source=credits_source,
                    warning=credits_warning,
                ),
            )
        )
    for couche, name, build in (
        ("contrats_2015", "contrats_2015", rendu.contrats_2015_layer),
        ("communes", "communes_qpv", rendu.communes_layer),
        ("epci", "epci", rendu.epci_layer),
    ):
        if couche in couches:
            groups.append(MapLayer(couche, lambda name=name, build=build: build(cache.layer_geojson(name))))
    everything = codes is None or len(codes) == cache.qpv_count()
    groups.append(rendu.qpv_filter_layer(None if everything else codes, fit_key, selected_qpv, classes))
    if "experiences" in couches and experiences is not None:
        # Keyed by content: rendered again only when an experience is approved, edited or removed.
        digest = hashlib.sha256(experiences.to_json(orient="records").encode()).hexdigest()[:16]
        groups.append(MapLayer(f"experiences:{digest}", lambda: rendu.experiences_layer(experiences)))
    return groups


def selection_count(qpv: pd.DataFrame, total: int) -> None:
    """How many QPV the filters leave, and what to do when none."""
    n = len(qpv)
    pluriel = "s" if n > 1 else ""
    st.markdown(
        f"**{format_nombre(n)}** quartier{pluriel} prioritaire{pluriel} sur {format_nombre(total)} "
        f"correspond{'ent' if n > 1 else ''} aux filtres."
    )
    if not n:
        st.warning(
            "Aucun quartier prioritaire ne correspond à ces filtres. Retirez un filtre dans le panneau de gauche "
            "ou cliquez sur « Réinitialiser les filtres ».",
            icon=":material/filter_alt_off:",
        )


def map_column(ref, selection, qpv: pd.DataFrame) -> None:
    """The map with the chosen layers, its sources and (credits layer on) the data-quality findings."""
    credits_source = ref.source("credits")
    annee = selection.annee or default_credits_year(ref)
    credits = credit_values(ref, annee, selection.mesure)
    source = f"{credits_source.producteur}, {credits_source.titre}"
    warning = ref.credits_qualite.short_warning(annee) if ref.credits_qualite else ""
    classes = cache.map_classes(selection.indicateur) if selection.indicateur else None
    groups = map_groups(
        codes=set(qpv["code_qp"]),
        fit_key=selection.label(),
        couches=selection.couches,
        selected_qpv=st.session_state.get(QPV_CHOISI),
        credits=credits,
        annee=annee,
        mesure=selection.mesure,
        credits_source=source,
        credits_warning=warning,
        experiences=cache.experience_points(cache.experiences_registry())
        if "experiences" in selection.couches
        else None,
        classes=classes,
    )
    result = composant_carte.folium_map(
        groups, key="carte_qpv", height=600, tiles="osm" in selection.couches, returned_objects=["last_active_drawing"]
    )
    composant_carte.clicked_qpv(result, state_key=QPV_CHOISI, last_click_key="_carte_dernier_clic")
    blocks = [
        *legendes.base_legend(selected=bool(st.session_state.get(QPV_CHOISI)), sizes=cache.symbol_sizes()),
        *legendes.layers_legend(selection.couches),
    ]
    if classes is not None:  # the QPV's colours say the indicator's classes, not their status
        blocks[0] = legendes.indicator_legend(classes, source=ref.source("qpv_indicateurs").mention)
    if "credits" in selection.couches:
        blocks += legendes.credits_legend(credits, annee=annee, mesure=selection.mesure, source=source, warning=warning)
    composant_carte.legend(blocks)
    mise_en_page.source_caption(ref.source("qpv_2024"), ref.source("contrats_ville_2024"), ref.source("departements"))
    if "credits" in selection.couches:
        fiches.credits_warnings(ref, annee)


def sheet_column(ref) -> None:
    """The QPV picker (the map's click fills it) and the chosen QPV's sheet with its meetings."""
    options = cache.qpv_choices(ref)
    code = st.selectbox(
        "Fiche du QPV",
        options=list(options),
        format_func=options.get,
        index=None,
        key=QPV_CHOISI,
        placeholder="Cliquez un quartier sur la carte, ou tapez son nom",
    )
    if not code or code not in options:
        st.info("Cliquez un quartier prioritaire sur la carte (ou choisissez-le dans la liste) pour afficher sa fiche.")
        return
    from cartographie.domaine.fiches import sheet_of
    from cartographie.domaine.territoires import resolve_territory

    fiche = sheet_of(ref, resolve_territory(ref, f"qpv:{code}"), cache.catalogue(), cache.experiences_registry())
    fiches.render_qpv_sheet(ref, fiche)


def with_chosen_qpv(selection):
    """The selection with the QPV whose sheet is shown (clicked on the map during this run, or picked)."""
    from dataclasses import replace

    return replace(selection, qpv=st.session_state.get(QPV_CHOISI) or "")


def selection_table(ref, qpv: pd.DataFrame, selection) -> None:
    """The table of the QPV the filters leave, its sources, and its exports (exactly what is shown)."""
    st.header("Quartiers de la sélection")
    table = qpv_table(qpv)
    mise_en_page.table(table, key="carte_tableau", name="Quartiers prioritaires de la sélection")
    sources = ["qpv_2024_liste", "qpv_correspondance"] + (["qpv_indicateurs"] if ref.indicateurs is not None else [])
    mise_en_page.source_caption(*(ref.source(key) for key in sources))
    if ref.indicateurs is None:
        st.caption("Population et indicateurs de l'INSEE : absents du dossier de données (voir le README).")
    else:
        st.caption("Indicateurs de l'INSEE : une case vide est une valeur non diffusée (secret statistique).")
    telechargements.export_buttons(table, set(qpv["code_qp"]), selection, ref)
    telechargements.map_image_buttons(set(qpv["code_qp"]), selection, ref)
    if len(selection.departements) == 1 and not (selection.contrats or selection.epci or selection.communes):
        telechargements.sheet_pdf_button("departement", selection.departements[0])
