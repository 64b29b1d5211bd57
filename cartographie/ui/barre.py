"""The shared sidebar: search, territorial filters that narrow each other, layers; the view kept in the URL."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import streamlit as st

from cartographie.domaine.territoires import hosting_communes
from cartographie.ui.cache import cached_filter_index, data_key
from cartographie.ui.mise_en_page import address_from_outside, md_escape, remember_address

if TYPE_CHECKING:  # the heavy modules are imported where used, so that cached pages start light
    from cartographie.lecture.reference import ReferenceData


_FILTER_KEYS = {
    "departements": "filtre_departements",
    "contrats": "filtre_contrats",
    "epci": "filtre_epci",
    "communes": "filtre_communes",
    "statuts": "filtre_statuts",
    "couches": "filtre_couches",
}


_SELECTION_KEY = "_selection"


def _restore_selection(ref: ReferenceData) -> None:
    """Fill the filter widgets from the URL (first visit, a link, the back button) or from the session's last view."""
    from cartographie.domaine.filtres import Selection

    from_address = _SELECTION_KEY not in st.session_state or address_from_outside()
    if from_address:
        selection = Selection.from_query(st.query_params.to_dict())
        known = {
            "departements": set(ref.qpv["insee_dep"]),
            "contrats": set(ref.qpv["code_cv_2024"]),
            "epci": set(ref.qpv["siren_epci"]),
            "communes": hosting_communes(ref),
        }
        selection = replace(
            selection,
            **{name: tuple(v for v in getattr(selection, name) if v in codes) for name, codes in known.items()},
            qpv=selection.qpv if selection.qpv in set(ref.qpv["code_qp"]) else "",
            contrat=selection.contrat if selection.contrat in set(ref.contrats_2024["code_cv"]) else "",
        )
        st.session_state[_SELECTION_KEY] = selection
        st.session_state["qpv_choisi"] = selection.qpv or None
        st.session_state["contrat_choisi"] = selection.contrat or None
        st.session_state["credits_annee"] = selection.annee or None
        st.session_state["credits_mesure"] = selection.mesure
        st.session_state["carte_indicateur"] = selection.indicateur
    selection = st.session_state[_SELECTION_KEY]
    for name, key in _FILTER_KEYS.items():
        if from_address or key not in st.session_state:
            st.session_state[key] = list(getattr(selection, name))


def _search_pick(kind: str, code: str) -> None:
    """Callback of a search result: open a QPV's sheet, or filter on a commune."""
    if kind == "qpv":
        st.session_state["qpv_choisi"] = code
    else:
        st.session_state["filtre_communes"] = list(dict.fromkeys([*st.session_state.get("filtre_communes", []), code]))
    st.session_state["recherche"] = ""


def _reset_filters() -> None:
    for key in _FILTER_KEYS.values():
        st.session_state[key] = []
    st.session_state["qpv_choisi"] = None


def selected_qpv(ref: ReferenceData, selection):
    """The QPV the sidebar's filters keep (:func:`cartographie.domaine.filtres.filter_qpv`)."""
    from cartographie.domaine.filtres import filter_qpv

    return filter_qpv(ref.qpv, selection, ref.qpv_communes)


def filters_sidebar(ref: ReferenceData, *, layers: bool = False):
    """The shared sidebar: search, territorial filters that narrow each other, optional layers.

    The choices are kept in the URL so that a link reopens the same view. Returns the
    :class:`~cartographie.filtres.Selection` of this run.
    """
    from cartographie.domaine.filtres import Selection, filter_options

    _restore_selection(ref)
    current = Selection(**{name: tuple(st.session_state.get(key, [])) for name, key in _FILTER_KEYS.items()})
    options = filter_options(cached_filter_index(*data_key()), current)
    with st.sidebar:
        _search_box(ref)
        st.subheader("Filtrer les territoires")
        for name, label, placeholder in (
            ("departements", "Département", "Tous"),
            ("contrats", "Contrat de ville 2024–2030", "Tous"),
            ("epci", "EPCI", "Tous"),
            ("communes", "Commune", "Toutes"),
            ("statuts", "Statut par rapport à 2015", "Tous"),
        ):
            choices = getattr(options, name)
            st.multiselect(
                label,
                list(choices),
                format_func=choices.get,
                key=_FILTER_KEYS[name],
                placeholder=placeholder,
                select_all=False,  # typing « Moselle » then Entrée picks Moselle, not every match
            )
        if layers:
            _layer_choices(ref)
        st.button("Réinitialiser les filtres", on_click=_reset_filters, key="filtres_reinitialiser")

    selection = Selection(
        **{name: tuple(st.session_state.get(key, [])) for name, key in _FILTER_KEYS.items()},
        qpv=st.session_state.get("qpv_choisi") or "",
        contrat=st.session_state.get("contrat_choisi") or "",
        annee=int(st.session_state.get("credits_annee") or 0),
        mesure=st.session_state.get("credits_mesure") or "montant",
        indicateur=(st.session_state.get("carte_indicateur") or "") if layers and ref.indicateurs is not None else "",
    )
    return selection


def _search_box(ref: ReferenceData) -> None:
    """The sidebar's search: a QPV (name or code) or a commune; each hit is a button that opens it."""
    from cartographie.domaine.filtres import search

    st.subheader("Rechercher")
    query = st.text_input(
        "Un quartier (nom ou code) ou une commune",
        key="recherche",
        placeholder="ex. vandoeuvre, QN05415M",
        help="Sans tenir compte des accents ni des majuscules.",
    )
    if query.strip():
        hits = search(ref.qpv, ref.communes, query, ref.qpv_communes)
        if not hits:
            st.caption("Aucun résultat.")
        for i, hit in enumerate(hits):
            st.button(
                hit.label,
                key=f"resultat_{i}",
                on_click=_search_pick,
                args=(hit.kind, hit.code),
                width="stretch",
                type="tertiary",
            )


def _layer_choices(ref: ReferenceData) -> None:
    """The map's extra layers, the credits' year and measure, and what colours the QPV (status or INSEE)."""
    from cartographie.domaine.vocabulaires import COUCHES, COULEURS_QPV, MESURES_CREDITS

    st.subheader("Couches de la carte")
    st.multiselect(
        "Couches supplémentaires",
        list(COUCHES),
        format_func=COUCHES.get,
        key=_FILTER_KEYS["couches"],
        placeholder="Aucune",
        select_all=False,
    )
    if "credits" in st.session_state.get(_FILTER_KEYS["couches"], []):
        credits_year_picker(ref, key="credits_annee")
        st.radio(
            "Mesure",
            list(MESURES_CREDITS),
            format_func=MESURES_CREDITS.get,
            key="credits_mesure",
            horizontal=True,
        )
    if ref.indicateurs is not None:  # INSEE's figures are in the data folder
        st.selectbox(
            "Couleur des quartiers",
            list(COULEURS_QPV),
            format_func=COULEURS_QPV.get,
            key="carte_indicateur",
            help="Statut par rapport à 2015, ou un indicateur de l'INSEE en quatre classes.",
        )


def sheet_choice(choices: dict[str, str], *, key: str, param: str) -> str | None:
    """The sheet a picker shows in this run: the address's (first visit, a link, back button), else the session's.

    Lets a page decide where to put the sheet (at the top when one is chosen) before drawing the picker.
    """
    if key not in st.session_state or address_from_outside():
        asked = st.query_params.get(param)
        st.session_state[key] = asked if asked in choices else None
    return st.session_state[key]


def sheet_picker(label: str, choices: dict[str, str], *, key: str, param: str, placeholder: str) -> str | None:
    """A picker whose choice is kept in the URL (``?param=code``), so that a sheet has its own link."""
    sheet_choice(choices, key=key, param=param)
    chosen = st.selectbox(label, list(choices), format_func=choices.get, index=None, key=key, placeholder=placeholder)
    if chosen:
        st.query_params[param] = chosen
    elif param in st.query_params:
        del st.query_params[param]
    remember_address()
    return chosen


def keep_in_url(selection) -> None:
    """Write the view in the URL (call after the page has updated the selection)."""
    st.session_state[_SELECTION_KEY] = selection
    wanted = selection.to_query()
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    remember_address()


def view_link(page: str, label: str, *, icon: str = ":material/arrow_forward:", **params: str) -> None:
    """A link to another page's view, opened in the same tab (the browser's back button returns here).

    ``label`` is plain text (escaped here); ``params`` are that page's address parameters
    (``contrat``, ``evt``, ``cv``…).
    """
    st.page_link(page, label=md_escape(label), icon=icon, query_params=params)


def share_link(selection) -> None:
    """The link of the current view, as a link (the same address is in the browser's bar).

    Not ``st.code``: its copy button comes with a 1.5 MB syntax-highlighting script that the
    browser evaluates before it can draw the map (0.15 to 0.4 s of a cold start, measured).
    """
    from urllib.parse import quote, urlencode

    base = str(getattr(st.context, "url", "") or "").split("?")[0]
    query = urlencode(selection.to_query(), safe=",")
    url = f"{base}?{query}" if query else base
    if not url:
        return
    # Percent-encoded, the target holds no character Markdown would read (no space, no parenthesis).
    target = quote(url, safe=":/?&=,%#+")
    st.markdown(
        "**Lien vers cette vue** (le même que dans la barre d'adresse ; clic droit pour le copier) : "
        f"[{md_escape(url)}]({target})"
    )


def credits_year_picker(ref: ReferenceData, *, key: str, label: str = "Année des crédits") -> int:
    """A year picker for credits views, opening on the latest year without a data-quality alert."""
    from cartographie.domaine.chiffres import credits_years, default_credits_year

    years = credits_years(ref)
    if st.session_state.get(key) not in years:
        st.session_state[key] = default_credits_year(ref)
    quality = ref.credits_qualite
    return st.selectbox(label, years, key=key, format_func=quality.year_label if quality else str)
