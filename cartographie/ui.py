"""Streamlit glue shared by every page: page set-up, cached loading, data errors, sources.

This is the only module of the package that imports Streamlit. Pages call it once at
the top (``ref = ui.page("Titre")``) and then render what ``cartographie`` computes.

The reference data, the map layers and what is derived from them are read-only: they are kept
with ``st.cache_resource``, one copy shared by every session and returned as is at each rerun
(``st.cache_data`` would unpickle a fresh copy each time: 5 MB at national scale). Nothing may
modify what these functions return; derive new frames instead (pandas 3 copies on write), as
the data layer does. ``tests/test_pages.py`` checks that the pages leave them intact.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import threading
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from cartographie import config
from cartographie.errors import MissingReferenceData, ReferenceDataError

if TYPE_CHECKING:  # the heavy modules are imported where used, so that cached pages start light
    from cartographie.carte import MapLayers
    from cartographie.reference import ReferenceData
    from cartographie.sources import SourceFile


def _folder_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of a folder's files: a data update changes the cache key."""
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()))


def reference() -> ReferenceData:
    """The reference data of the configured folder, for the pages (loaded once, cached).

    Shapes are left out: pages only need attributes (the map layers are prepared from the full
    data in their own cache, and :func:`full_reference` serves the rare uses of shapes), so a
    fresh server reads a few hundred kilobytes from the disk cache instead of megabytes.
    Shared by every session: never modify it.
    """
    folder = config.reference_dir()
    return _cached_page_reference(str(folder), _folder_signature(folder))


@st.cache_resource(show_spinner="Chargement des données de référence…", max_entries=4)
def _cached_page_reference(folder: str, signature: tuple) -> ReferenceData:
    from cartographie.cache import cached

    # On disk too, as plain DataFrames: a fresh server's first page run then needs no geopandas.
    return cached("reference-pages", (folder, signature), lambda: _page_reference(folder, signature))


def _page_reference(folder: str, signature: tuple) -> ReferenceData:
    full = _cached_reference(folder, signature)

    def plain(frame):
        return pd.DataFrame(frame.drop(columns=frame.geometry.name))

    return replace(
        full,
        qpv=plain(full.qpv),
        contrats_2024=plain(full.contrats_2024),
        contrats_2015=plain(full.contrats_2015),
        epci=plain(full.epci),
        departements=plain(full.departements),
        region=plain(full.region),
        communes=plain(full.communes),
    )


def full_reference() -> ReferenceData:
    """The reference data with every shape (for the few uses that need them: exports, overlaps)."""
    folder = config.reference_dir()
    return _cached_reference(str(folder), _folder_signature(folder))


@st.cache_resource(show_spinner="Chargement des données de référence…", max_entries=4)
def _cached_reference(folder: str, signature: tuple) -> ReferenceData:
    from cartographie.cache import cached
    from cartographie.reference import load_reference

    return cached("reference", (folder, signature), lambda: load_reference(Path(folder)))


@st.cache_resource(show_spinner="Préparation des couches de la carte…", max_entries=4)
def _cached_map_layers(folder: str, signature: tuple) -> MapLayers:
    from cartographie.cache import cached
    from cartographie.carte import prepare_map_layers

    return cached("couches", (folder, signature), lambda: prepare_map_layers(_cached_reference(folder, signature)))


class _LayerGeojson:
    """``layers.geojson[name]``, read from the cache one layer at a time."""

    def __init__(self, folder: str, signature: tuple) -> None:
        self.folder, self.signature = folder, signature

    def __getitem__(self, name: str) -> dict:
        return _cached_layer_geojson(self.folder, self.signature, name)


class LazyMapLayers:
    """What the page's optional layers need, loaded only when used (a rerun stays light)."""

    def __init__(self, folder: str, signature: tuple) -> None:
        self.folder, self.signature = folder, signature
        self.geojson = _LayerGeojson(folder, signature)

    @property
    def qpv_count(self) -> int:
        """Number of QPV of the region."""
        return _cached_qpv_count(self.folder, self.signature)

    def qpv_feature(self, code_qp: str) -> dict | None:
        """The GeoJSON feature of one QPV (read from the cache for that QPV only)."""
        return _cached_qpv_feature(self.folder, self.signature, code_qp)


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_layer_geojson(folder: str, signature: tuple, name: str) -> dict:
    return _cached_map_layers(folder, signature).geojson[name]


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_qpv_count(folder: str, signature: tuple) -> int:
    return len(_cached_page_reference(folder, signature).qpv)


@st.cache_resource(show_spinner=False, max_entries=256)
def _cached_qpv_feature(folder: str, signature: tuple, code_qp: str) -> dict | None:
    return _cached_map_layers(folder, signature).qpv_feature(code_qp)


def lazy_map_layers() -> LazyMapLayers:
    """The map layers as the map page uses them at each rerun (see :class:`LazyMapLayers`)."""
    folder = config.reference_dir()
    return LazyMapLayers(str(folder), _folder_signature(folder))


def map_layers() -> MapLayers:
    """Simplified display layers (simplified once per data folder, cached)."""
    folder = config.reference_dir()
    return _cached_map_layers(str(folder), _folder_signature(folder))


def show_data_error(error: ReferenceDataError, *, blocking: bool = True) -> None:
    """Explain in French what is wrong with the reference data and how to fix it.

    The server's folder is named to editors only. ``blocking``: the page stops (an error);
    otherwise it goes on without the data (a warning saying what is missing).
    """
    show = st.error if blocking else st.warning
    if isinstance(error, MissingReferenceData):
        show(
            "Les données de référence (QPV, contrats de ville, territoires) sont introuvables.",
            icon=":material/folder_off:",
        )
        where = f"- Dossier consulté : `{html.escape(str(error.dossier))}`\n" if is_editor() else ""
        st.markdown(
            f"{where}- Fichier(s) manquant(s) : {html.escape(', '.join(error.manquants))}\n\n"
            f"**Pour les obtenir**, sur une machine reliée à Internet : `{error.commande}`\n\n"
            f"**Hors ligne**, indiquez un dossier local contenant ces fichiers avec la variable "
            f"d'environnement `{error.variable}` (voir le README)."
        )
    else:
        show(f"Les données de référence sont inutilisables. {md_escape(error)}", icon=":material/error:")
        st.markdown(f"Remplacez le fichier en cause, ou relancez la mise à jour : `{config.UPDATE_COMMAND}`.")


_run = threading.local()


@contextmanager
def entry_point():
    """Mark this script run as started by app.py (its navigation decides which page runs)."""
    _run.entry = True
    try:
        yield
    finally:
        _run.entry = False


def _leave_legacy_multipage_mode() -> None:
    """Make sure the app's own navigation (``st.navigation`` in app.py) is in charge.

    Streamlit treats a ``pages/`` folder beside the entry point as a legacy multipage app
    until ``st.navigation`` has run once in the process: on a freshly started server, the
    first visitor of ``/carte`` would get ``pages/carte.py`` run alone, without the app's
    navigation and page settings. A page run that way switches the process to the
    ``st.navigation`` mode and reruns, so that app.py handles the request.
    """
    from streamlit.runtime.pages_manager import PagesManager  # pinned Streamlit version

    if PagesManager.uses_pages_directory and not getattr(_run, "entry", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def configure_page() -> None:
    """Title, favicon and wide layout; called by the entry point and again by each page."""
    _leave_legacy_multipage_mode()
    st.set_page_config(
        page_title="Cartographie des contrats de ville – Grand Est",
        # A local image: a Material icon here would make the browser fetch the favicon from Google.
        page_icon=str(config.STATIC_DIR / "favicon.png"),
        layout="wide",
        menu_items={"About": "Cartographie des coopérations, contrats de ville et QPV du Grand Est (logiciel libre)."},
    )


def reference_or_stop() -> ReferenceData:
    """Set up a screen without a title (the presentation) and return the reference data, or stop in French."""
    configure_page()
    ensure_leaflet_assets()
    return _reference_or_error()


def page(title: str) -> ReferenceData:
    """Set up a page (title, static assets) and return the reference data, or stop with a French message."""
    configure_page()
    ensure_leaflet_assets()
    st.title(title)
    return _reference_or_error()


def page_without_reference(title: str, *, uses: str = "") -> ReferenceData | None:
    """Set up a page that works without the reference data: the data if usable, else ``None`` and a warning.

    ``uses`` says what the page would take from the data (« la liste des départements… »).
    """
    configure_page()
    st.title(title)
    try:
        return reference()
    except ReferenceDataError as error:
        show_data_error(error, blocking=False)
        st.info(
            "Cette page fonctionne sans les données de référence" + (f" ; seul manque {uses}" if uses else "") + ".",
            icon=":material/info:",
        )
        return None


def page_with_no_reference(title: str) -> None:
    """Set up a page that never needs the reference data (live keywords, moderation)."""
    configure_page()
    st.title(title)


def _reference_or_error() -> ReferenceData:
    try:
        return reference()
    except ReferenceDataError as error:
        show_data_error(error)
        st.stop()
        raise  # unreachable: st.stop() ends the script run


def ensure_leaflet_assets(target: Path = config.LEAFLET_STATIC_DIR) -> Path:
    """Copy Leaflet from its PyPI package into the static folder the app serves (once)."""
    from xstatic.pkg import leaflet as xstatic_leaflet  # imported here: only needed on first copy

    source = Path(xstatic_leaflet.BASE_DIR)
    marker = target / "leaflet.js"
    if marker.is_file() and marker.stat().st_size == (source / "leaflet.js").stat().st_size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging, ignore=shutil.ignore_patterns("*.map", "*-src*"))
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def _static_url(path: str) -> str:
    """Address of a file of the app's static folder (``server.baseUrlPath`` included)."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return f"{prefix}/app/static/{path}"


def leaflet_urls() -> tuple[str, str]:
    """Addresses of Leaflet's script and style sheet, served by this app."""
    return _static_url("leaflet/leaflet.js"), _static_url("leaflet/leaflet.css")


def source_caption(*sources: SourceFile) -> None:
    """A caption naming the sources, with their producer and vintage, under a figure."""
    text = " ; ".join(f"{s.titre} – {s.producteur}, {s.millesime} ({s.licence})" for s in sources)
    st.caption(f"Source{'s' if len(sources) > 1 else ''} : {text}")


def md_escape(text: object) -> str:
    """Text safe to place inside Streamlit markdown: every markdown or HTML character is backslash-escaped.

    (Streamlit does not render raw HTML in markdown; escaping ``<`` and ``>`` as well keeps a
    typed tag visible as text instead of vanishing.)
    """
    return re.sub(r"([\\`*_{}\[\]<>()#+\-.!|~$&])", r"\\\1", str(text))


def clicked_qpv(result: dict | None, state_key: str, last_click_key: str) -> None:
    """Select the QPV clicked on the map (only for a new click, so the picker keeps working)."""
    drawing = (result or {}).get("last_active_drawing") or {}
    code = (drawing.get("properties") or {}).get("code_qp")
    if code and code != st.session_state.get(last_click_key):
        st.session_state[last_click_key] = code
        st.session_state[state_key] = code


def render_qpv_sheet(sheet, sources: list[SourceFile]) -> None:
    """The sheet of a QPV: code, name, communes, EPCI, contrat de ville, status, 2015 codes, sources."""
    st.subheader(sheet.nom)
    lignes = [
        f"**Code** : {md_escape(sheet.code)}",
        f"**Département** : {md_escape(sheet.departement)}",
        f"**Commune{'s' if len(sheet.communes) > 1 else ''}** : {md_escape(', '.join(sheet.communes))}",
        f"**EPCI** : {md_escape(sheet.epci)}",
        f"**Contrat de ville 2024–2030** : {md_escape(sheet.contrat_nom)} ({md_escape(sheet.contrat_code)})",
        f"**Statut par rapport à 2015** : {md_escape(sheet.statut)}",
    ]
    if sheet.codes_2015:
        anciens = ", ".join(
            f"{md_escape(code)} ({md_escape(nom)})" if nom else md_escape(code) for code, nom in sheet.codes_2015
        )
        lignes.append(f"**QPV 2015 d'origine** : {anciens}")
    else:
        lignes.append("**QPV 2015 d'origine** : aucun (nouveau quartier prioritaire en 2024)")
    st.markdown("  \n".join(lignes))
    source_caption(*sources)


def sources_table(ref: ReferenceData) -> None:
    """Every reference file with its producer, vintage, licence and official address."""
    rows = [
        {
            "Données": s.titre,
            "Producteur": s.producteur,
            "Millésime": s.millesime,
            "Licence": s.licence,
            "Adresse officielle": s.adresse,
            "Remarque": s.note,
        }
        for s in ref.sources.values()
    ]
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        key="sources_tableau",
        column_config={"Adresse officielle": st.column_config.LinkColumn(display_text="lien")},
    )
    if is_editor():  # the server's folders are for the people who run it
        st.caption(f"Dossier de données utilisé (visible des éditeurs) : {ref.dossier}")


# --------------------------------------------------------------------------- shared filters

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
    """Fill the filter widgets from the URL (first visit) or from the previous page of the session."""
    from cartographie.filtres import Selection

    if _SELECTION_KEY not in st.session_state:
        selection = Selection.from_query(st.query_params.to_dict())
        known = {
            "departements": set(ref.qpv["insee_dep"]),
            "contrats": set(ref.qpv["code_cv_2024"]),
            "epci": set(ref.qpv["siren_epci"]),
            "communes": {c for cell in ref.qpv["insee_com"] for c in str(cell).split(";")},
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
    selection = st.session_state[_SELECTION_KEY]
    for name, key in _FILTER_KEYS.items():
        if key not in st.session_state:
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


def filters_sidebar(ref: ReferenceData, *, layers: bool = False):
    """The shared sidebar: search, territorial filters that narrow each other, optional layers.

    The choices are kept in the URL so that a link reopens the same view. Returns the
    :class:`~cartographie.filtres.Selection` of this run.
    """
    from cartographie.filtres import COUCHES, Selection, filter_options, search
    from cartographie.indicateurs import MESURES_CREDITS

    _restore_selection(ref)
    current = Selection(**{name: tuple(st.session_state.get(key, [])) for name, key in _FILTER_KEYS.items()})
    folder = config.reference_dir()
    options = filter_options(_cached_filter_index(str(folder), _folder_signature(folder)), current)
    with st.sidebar:
        st.subheader("Rechercher")
        query = st.text_input(
            "Un quartier (nom ou code) ou une commune",
            key="recherche",
            placeholder="ex. vandoeuvre, QN05415M",
            help="Sans tenir compte des accents ni des majuscules.",
        )
        if query.strip():
            hits = search(ref.qpv, ref.communes, query)
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
                label, list(choices), format_func=choices.get, key=_FILTER_KEYS[name], placeholder=placeholder
            )
        if layers:
            st.subheader("Couches de la carte")
            st.multiselect(
                "Couches supplémentaires",
                list(COUCHES),
                format_func=COUCHES.get,
                key=_FILTER_KEYS["couches"],
                placeholder="Aucune",
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
        st.button("Réinitialiser les filtres", on_click=_reset_filters, key="filtres_reinitialiser")

    selection = Selection(
        **{name: tuple(st.session_state.get(key, [])) for name, key in _FILTER_KEYS.items()},
        qpv=st.session_state.get("qpv_choisi") or "",
        contrat=st.session_state.get("contrat_choisi") or "",
        annee=int(st.session_state.get("credits_annee") or 0),
        mesure=st.session_state.get("credits_mesure") or "montant",
    )
    return selection


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_filter_index(folder: str, signature: tuple):
    from cartographie.filtres import filter_index

    return filter_index(_cached_page_reference(folder, signature).qpv)


def qpv_choices(ref: ReferenceData) -> dict[str, str]:
    """Code → label of every QPV for the pickers (cached per data folder)."""
    folder = config.reference_dir()
    return _cached_qpv_choices(str(folder), _folder_signature(folder))


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_qpv_choices(folder: str, signature: tuple) -> dict[str, str]:
    from cartographie.indicateurs import qpv_options

    return qpv_options(_cached_page_reference(folder, signature))


def sheet_picker(label: str, choices: dict[str, str], *, key: str, param: str, placeholder: str) -> str | None:
    """A picker whose choice is kept in the URL (``?param=code``), so that a sheet has its own link."""
    if key not in st.session_state:
        asked = st.query_params.get(param)
        st.session_state[key] = asked if asked in choices else None
    chosen = st.selectbox(label, list(choices), format_func=choices.get, index=None, key=key, placeholder=placeholder)
    if chosen:
        st.query_params[param] = chosen
    elif param in st.query_params:
        del st.query_params[param]
    return chosen


def keep_in_url(selection) -> None:
    """Write the view in the URL (call after the page has updated the selection)."""
    st.session_state[_SELECTION_KEY] = selection
    wanted = selection.to_query()
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


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


def sources_note(ref: ReferenceData) -> str:
    """One line naming the sources of the QPV table, written under exported tables."""
    sources = (ref.source("qpv_2024_liste"), ref.source("qpv_correspondance"), ref.source("contrats_ville_2024"))
    return "Sources : " + " ; ".join(f"{s.producteur}, {s.titre} ({s.millesime}, {s.licence})" for s in sources)


def render_contrat_sheet(sheet, ref: ReferenceData) -> None:
    """Header of a contrat's sheet: carrier, department, population, communes, and what came before it."""
    from cartographie.domaine import statuts_phrase
    from cartographie.formats import format_nombre

    st.subheader(sheet.nom)
    identifiant = "SIREN" if sheet.porteur_type == "EPCI" else "code INSEE"
    lignes = [
        f"**Code** : {md_escape(sheet.code)}",
        f"**Porteur** : {md_escape(sheet.porteur)} "
        f"({sheet.porteur_type}, {identifiant} {md_escape(sheet.porteur_code)})",
        f"**Département** : {md_escape(sheet.departement)}",
        f"**Quartiers prioritaires 2024** : {len(sheet.qpv)}",
        f"**Communes ayant un QPV** : {md_escape(', '.join(sheet.communes))}",
    ]
    if sheet.population is not None:
        pop = sheet.population
        lignes.append(
            f"**Population du territoire du porteur** : {format_nombre(pop.valeur)} habitants "
            f"({format_nombre(pop.communes)} commune{'s' if pop.communes > 1 else ''}"
            + (f", {pop.manquantes} commune(s) hors région non comptée(s)" if not pop.complete else "")
            + ")"
        )
    st.markdown("  \n".join(lignes))
    if sheet.population is not None:
        st.caption(f"Population : {sheet.population.definition}.")
    st.markdown("**Depuis le contrat de ville 2015–2023**")
    before = sheet.predecesseurs
    if before.statut == "documente":
        items = []
        for r in before.contrats.itertuples():
            why = []
            if r.qpv_couverts:
                codes = r.qpv_couverts.split(";")
                why.append(f"couvrait {len(codes)} de ses QPV 2024 ({', '.join(codes)})")
            why.append(f"{format_nombre(r.part_territoire * 100)} % de son territoire")
            item = (
                f"- {md_escape(r.lib_cv)} ({md_escape(r.code_cv)}, périmètre {md_escape(r.perimetre)}, "
                f"{int(r.nb_communes)} communes) : " + md_escape(", ".join(why)) + "."
            )
            if r.partage_avec:
                item += (
                    f" Il a aussi précédé {md_escape(r.partage_avec.replace(';', ', '))} : ses crédits 2020–2023 "
                    "figurent sur les deux fiches."
                )
            items.append(item)
        st.markdown("Contrat(s) 2015–2023 qui l'ont précédé :\n" + "\n".join(items))
    else:
        st.info(before.explication, icon=":material/help:")
    st.markdown(
        f"- Quartiers : {statuts_phrase(sheet.statuts)} par rapport à la géographie prioritaire de 2015.\n"
        "- Règle : un contrat 2015–2023 précède celui-ci s'il couvrait au moins un de ses QPV 2024 (qui succèdent "
        "aux QPV 2015 au même endroit) ou la majeure partie de son territoire, d'après les périmètres (aucune table "
        "officielle ne relie les deux générations)."
    )
    source_caption(
        ref.source("contrats_ville_2024"), ref.source("contrats_ville_2015"), ref.source("qpv_correspondance")
    )


def credits_year_picker(ref: ReferenceData, *, key: str, label: str = "Année des crédits") -> int:
    """A year picker for credits views, opening on the latest year without a data-quality alert."""
    from cartographie.indicateurs import credits_years, default_credits_year

    years = credits_years(ref)
    if st.session_state.get(key) not in years:
        st.session_state[key] = default_credits_year(ref)
    quality = ref.credits_qualite
    return st.selectbox(label, years, key=key, format_func=quality.year_label if quality else str)


def credits_warnings(ref: ReferenceData, annee: int | None = None, dispositif: str | None = None) -> None:
    """The data-quality findings of the credits shown: alerts as a warning, notes as a caption."""
    quality = ref.credits_qualite
    if quality is None:
        return
    years = [annee] if annee is not None else list(quality.annees)
    alerts = [f.texte for y in years for f in quality.of(y, dispositif, niveau="alerte")]
    notes = [f.texte for y in years for f in quality.of(y, dispositif, niveau="note")]
    if alerts:
        st.warning(
            "**Données douteuses dans la source** : " + " ".join(md_escape(a) for a in alerts),
            icon=":material/warning:",
        )
    if notes:
        st.caption("Notes sur les données : " + " ".join(md_escape(n) for n in notes))


def table_downloads(table: pd.DataFrame, *, filename: str, key: str, note: str, sheet: str = "Tableau") -> None:
    """CSV (French Excel) and XLSX of exactly the table shown, built only when downloaded."""
    from cartographie.exports import to_csv_excel, to_xlsx

    colonnes = st.columns(2)
    colonnes[0].download_button(
        "Télécharger (CSV pour Excel)",
        lambda: to_csv_excel(table),
        file_name=f"{filename}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"{key}_csv",
    )
    colonnes[1].download_button(
        "Télécharger (XLSX)",
        lambda: to_xlsx(table, sheet=sheet, note=note),
        file_name=f"{filename}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key=f"{key}_xlsx",
    )


# --------------------------------------------------------------------------- meetings


@st.cache_data(show_spinner="Chargement des rencontres…", max_entries=4)
def _cached_catalogue(folder: str, signature: tuple, file_signature: tuple):
    from cartographie.rencontres import load_catalogue

    return load_catalogue(_cached_reference(folder, signature))


def catalogue():
    """The meetings and methods of ``data/rencontres.toml``, validated (cached), or stop with a French message."""
    from cartographie.rencontres import RENCONTRES_FILE, RencontresError

    folder = config.reference_dir()
    stat = RENCONTRES_FILE.stat() if RENCONTRES_FILE.exists() else None
    try:
        return _cached_catalogue(
            str(folder), _folder_signature(folder), (stat.st_size, stat.st_mtime_ns) if stat else ()
        )
    except RencontresError as error:
        st.error(f"Les données des rencontres sont inutilisables. {error}", icon=":material/error:")
        st.stop()
        raise


def render_events_list(found, ref: ReferenceData, *, empty: str) -> None:
    """The meetings of a territory: those held on it, then those about it held elsewhere (links to their sheets).

    ``found`` is a :class:`cartographie.rencontres.TerritoryEvents`.
    """
    if not len(found):
        st.caption(empty)
        return

    def line(e, subject: str = "") -> str:
        text = f"- {md_escape(e.date_libelle)} – {md_escape(e.type_libelle)} : "
        text += f"[{md_escape(e.titre)}](rencontres?evt={e.id})"
        return text + (f" — consacré à : {md_escape(subject)}" if subject else "")

    if found.sur_place:
        st.markdown("**Rencontres et ateliers tenus sur ce territoire**")
        st.markdown(
            "\n".join(
                line(e, ", ".join(territory_label(ref, k, c) for k, c in found.consacre_a.get(e.id, ())))
                for e in found.sur_place
            )
        )
    if found.ailleurs:
        st.markdown("**Ateliers et rencontres consacrés à ce territoire, tenus ailleurs**")
        st.markdown("\n".join(f"{line(e)} ({md_escape(e.lieu or 'lieu non précisé')})" for e in found.ailleurs))


def territory_label(ref: ReferenceData, kind: str, code: str) -> str:
    """``QPV Chantereigne Montvilliers Beau-Toquat (QN01003M)``, ``commune …``, ``EPCI …``."""
    if kind == "qpv":
        names = dict(zip(ref.qpv["code_qp"], ref.qpv["lib_qp"], strict=True))
        return f"QPV {names.get(code, code)} ({code})"
    if kind == "commune":
        names = dict(zip(ref.communes["insee_com"], ref.communes["nom"], strict=True))
        return f"commune {names.get(code, code)} ({code})"
    names = dict(zip(ref.epci["siren_epci"], ref.epci["lib_epci"], strict=True))
    return f"EPCI {names.get(code, code)} ({code})"


def render_event_sheet(event, cat, ref: ReferenceData) -> None:
    """The sheet of an event: date, place, organisers, contributors, programme, workshops, lessons, sources."""
    from cartographie.rencontres import MODALITES, NON_PRECISE

    st.subheader(event.titre)
    lignes = [
        f"**Type** : {md_escape(event.type_libelle)}",
        f"**Date** : {md_escape(event.date_libelle)}",
        f"**Lieu** : {md_escape(event.lieu or NON_PRECISE)}" + (" (hors Grand Est)" if event.hors_region else ""),
        f"**Modalité** : {md_escape(MODALITES[event.modalite].lower())}",
        f"**Thèmes** : {md_escape(', '.join(event.themes) or NON_PRECISE)}",
        f"**Organisateurs** : {md_escape(', '.join(event.organisateurs) or NON_PRECISE)}",
        f"**Partenaires** : {md_escape(', '.join(event.partenaires) or NON_PRECISE)}",
    ]
    if event.public:
        lignes.append(f"**Public** : {md_escape(event.public)}")
    st.markdown("  \n".join(lignes))
    if event.contributeurs:
        st.markdown("**Contributions**")
        st.markdown(
            "\n".join(
                f"- {md_escape(c.organisation or 'Organisation non précisée')} : {md_escape(c.role or NON_PRECISE)}"
                for c in event.contributeurs
            )
        )
    if event.programme:
        st.markdown("**Programme**")
        st.markdown("\n".join(f"- {md_escape(p)}" for p in event.programme))
    ateliers = cat.children(event.id)
    if ateliers:
        st.markdown(f"**Ateliers ({len(ateliers)})**")
        st.markdown(
            "\n".join(
                f"- {md_escape(a.lieu or NON_PRECISE)} – [{md_escape(a.titre)}](rencontres?evt={a.id})"
                for a in ateliers
            )
        )
    if event.parent:
        parent = cat.event(event.parent)
        st.markdown(f"Fait partie de : [{md_escape(parent.titre)}](rencontres?evt={parent.id})")
    if event.methode:
        methode = cat.methodes[event.methode]
        st.markdown(f"**Méthode** : {md_escape(methode.nom)} – {md_escape(methode.resume)}")
    if event.territoires:
        st.markdown(
            "**Territoire concerné** : " + ", ".join(f"{kind} {md_escape(code)}" for kind, code in event.territoires)
        )
    st.markdown("**À retenir**")
    st.markdown("\n".join(f"- {md_escape(t)}" for t in event.enseignements) or "- non précisé")
    st.caption("Source(s) : " + " ; ".join(cat.sources[s] for s in event.sources))


# --------------------------------------------------------------------------- contributions


@st.cache_resource(show_spinner="Ouverture de la base des contributions…")
def _store(url: str):
    # An engine is a thread-safe shared resource.
    from cartographie.store import open_store

    return open_store(url)


def store():
    """The contribution store (migrated at first use)."""
    from cartographie.store import database_url

    return _store(database_url())


@st.cache_resource
def _throttle():
    from cartographie.auth import LoginThrottle

    return LoginThrottle()


def is_editor() -> bool:
    """Whether an editor has signed in during this session (no sign-in form shown)."""
    return bool(st.session_state.get("editeur"))


def editor_signed_in() -> str | None:
    """The signed-in editor's name, or ``None``; shows the sign-in form (or how to enable it)."""
    from cartographie.auth import HASH_ENV, SECRET_KEY, configured_hash

    if st.session_state.get("editeur"):
        return st.session_state["editeur"]
    try:
        secrets = dict(st.secrets)
    except Exception:  # no secrets file
        secrets = {}
    stored = configured_hash(secrets)
    if not stored:
        st.warning(
            "L'espace des éditeurs est fermé : aucun mot de passe d'éditeur n'est configuré.", icon=":material/lock:"
        )
        st.markdown(
            "Pour l'ouvrir : produisez l'empreinte d'un mot de passe avec `python -m cartographie.auth hash`, puis "
            f"placez-la dans la variable d'environnement `{HASH_ENV}` ou dans le secret Streamlit `{SECRET_KEY}` "
            "(fichier `.streamlit/secrets.toml`), et relancez l'application."
        )
        return None
    with st.form("connexion_editeur"):
        nom = st.text_input("Votre nom (inscrit au journal des actions)", key="editeur_nom", max_chars=60)
        mot_de_passe = st.text_input("Mot de passe des éditeurs", type="password", key="editeur_mdp")
        envoye = st.form_submit_button("Se connecter", key="editeur_connexion")
    if envoye:
        if not nom.strip():
            st.error("Indiquez votre nom : il est inscrit au journal de chaque action.")
        elif _throttle().attempt("editeurs", mot_de_passe, stored):
            st.session_state["editeur"] = nom.strip()
            st.rerun()
        else:
            st.error("Mot de passe incorrect. Après plusieurs échecs, chaque nouvel essai est ralenti.")
    return None


def submit_meeting_proposal(evenement: str | None, titre: str, contenu: str) -> None:
    """Store a meeting proposal and say what happens next (or what is wrong), in French."""
    from cartographie.store import ValidationError

    try:
        store().propose_rencontre({"evenement_id": evenement or "", "titre": titre, "contenu": contenu})
    except ValidationError as error:
        st.error("Proposition non enregistrée : " + " ; ".join(error.messages))
    else:
        st.success("Merci ! Votre proposition sera relue par l'équipe éditoriale avant publication.")


# --------------------------------------------------------------------------- the map component


@st.cache_resource(show_spinner="Préparation de la carte…", max_entries=8)
def _base_map_payload(folder: str, signature: tuple, tiles: bool, leaflet_js: str, leaflet_css: str, key: str) -> dict:
    """The base map rendered once into what the streamlit-folium component receives (strings only).

    Its GeoJSON is written to a static file (see :func:`cartographie.carte.split_base_map_data`)
    and left out of what is returned: each rerun then sends a few kilobytes of map script. Where
    the static folder cannot be written (a read-only installation), the data goes back at the
    head of the map's script: slower reruns, same map.
    """
    payload = _stored_base_map(folder, signature, tiles, leaflet_js, leaflet_css, key)
    light = {name: value for name, value in payload.items() if name != "data"}
    try:
        _write_base_map_data(payload)
    except OSError:
        return {**light, "script": payload["data"] + payload["script"], "js": [leaflet_js], "data_name": None}
    return light


#: Shape of what :func:`_render_base_map` returns (part of its disk cache key).
_BASE_MAP_FORMAT = 2


def _stored_base_map(folder: str, signature: tuple, tiles: bool, leaflet_js: str, leaflet_css: str, key: str) -> dict:
    """The rendered base map with its data, from the disk cache (rendered on the first call)."""
    from cartographie.cache import cached

    return cached(
        "fond-de-carte",
        (_BASE_MAP_FORMAT, folder, signature, tiles, leaflet_js, leaflet_css, key),
        lambda: _render_base_map(folder, signature, tiles, leaflet_js, leaflet_css, key),
    )


def _render_base_map(folder: str, signature: tuple, tiles: bool, leaflet_js: str, leaflet_css: str, key: str) -> dict:
    import streamlit_folium as sf

    from cartographie.carte import build_base_map, split_base_map_data

    carte = build_base_map(
        _cached_map_layers(folder, signature), leaflet_js=leaflet_js, leaflet_css=leaflet_css, tiles=tiles
    )
    carte.get_root().render()
    carte.render()
    html_part = sf._get_html(carte)
    header = sf._get_header(carte)
    script, data = split_base_map_data(carte, sf._get_map_string(carte))
    data_name = f"fond-{hashlib.sha256(data.encode()).hexdigest()[:20]}.js"
    return {
        "script": script,
        "header": header,
        "html": html_part,
        "id": sf.get_full_id(carte),
        "hash": sf.generate_js_hash(script + data_name, key, False),
        "js": [leaflet_js, _static_url(f"fonds/{data_name}")],
        "css": [leaflet_css],
        "data_name": data_name,
        "data": data,
    }


#: Where the base maps' data scripts are written, served at ``app/static/fonds/``.
BASE_MAP_DATA_DIR = config.STATIC_DIR / "fonds"
#: Data scripts kept (the most recently used): a few data folders and code versions.
BASE_MAP_DATA_KEPT = 6


def _write_base_map_data(payload: dict, folder: Path | None = None) -> None:
    """Make sure the base map's data script is served (written atomically; old ones pruned)."""
    from cartographie.cache import keep_most_recent, mark_used, write_atomically

    folder = folder or BASE_MAP_DATA_DIR
    target = folder / payload["data_name"]
    if target.is_file():
        mark_used(target)
        return
    write_atomically(target, payload["data"].encode())
    keep_most_recent(folder.glob("fond-*.js"), BASE_MAP_DATA_KEPT)


def folium_map(groups: list, *, key: str, height: int, tiles: bool = False, returned_objects: list[str] | None = None):
    """Draw the cached base map with the layers that depend on the user's choices.

    streamlit-folium renders a whole folium map (every perimeter) at each rerun. Here the base
    map is rendered once per data folder and kept as text; a rerun only renders the small
    layers in ``groups`` (the QPV filter, the selected QPV, optional layers), which the
    component swaps in without reloading the map. Built on streamlit-folium 0.27.4's component
    (pinned in requirements.txt); the browser tests check the map is drawn.
    """
    import folium
    import streamlit_folium as sf

    folder = config.reference_dir()
    js, css = leaflet_urls()
    arguments = (str(folder), _folder_signature(folder), tiles, js, css, key)
    payload = _base_map_payload(*arguments)
    if payload["data_name"] and not (BASE_MAP_DATA_DIR / payload["data_name"]).is_file():
        _write_base_map_data(_stored_base_map(*arguments))  # pruned since, by another data folder
    host = folium.Map(tiles=None)  # only gives the layers a map to attach to while rendering
    strings = "".join(sf._get_feature_group_string(group, map=host, idx=i) for i, group in enumerate(groups))
    returned_objects = returned_objects or []
    return sf._component_func(
        script=payload["script"],
        header=payload["header"],
        html=payload["html"],
        id=payload["id"],
        key=payload["hash"],
        height=height,
        width=None,
        returned_objects=returned_objects,
        default={name: None for name in returned_objects},
        zoom=None,
        center=None,
        feature_group=strings or None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=payload["css"],
        js_links=payload["js"],
        wrap_longitude=False,
    )


# --------------------------------------------------------------------------- cooperation experiences


@st.cache_data(show_spinner="Chargement du registre des coopérations…", max_entries=4)
def _cached_authored_experiences(folder: str, signature: tuple, file_signature: tuple):
    from cartographie.cooperations import load_authored, territory_checker

    return load_authored(known_territory=territory_checker(_cached_reference(folder, signature)))


@st.cache_data(show_spinner=False, max_entries=4)
def _cached_territory_points(folder: str, signature: tuple) -> dict:
    from cartographie.cooperations import territory_points

    return territory_points(_cached_reference(folder, signature))


def experiences_registry() -> list:
    """Authored experiences (validated, cached) followed by the experiences editors have approved."""
    from cartographie.cooperations import EXPERIENCES_FILE, ExperiencesError, from_store

    folder = config.reference_dir()
    stat = EXPERIENCES_FILE.stat()
    try:
        authored = _cached_authored_experiences(
            str(folder), _folder_signature(folder), (stat.st_size, stat.st_mtime_ns)
        )
    except ExperiencesError as error:
        st.error(f"Le registre des coopérations est inutilisable. {error}", icon=":material/error:")
        st.stop()
        raise
    return [*authored, *from_store(store().experiences())]


def experience_points(experiences: list):
    """Markers of the experiences on their territory."""
    from cartographie.cooperations import experience_points as points_of

    folder = config.reference_dir()
    return points_of(experiences, _cached_territory_points(str(folder), _folder_signature(folder)))


@st.cache_data(show_spinner="Calcul du réseau…", max_entries=16)
def network_positions(nodes: tuple, edges: tuple) -> dict:
    """Network layout, computed once per graph."""
    from cartographie.graphiques import network_layout

    return network_layout(nodes, edges)


def territory_choices(ref: ReferenceData) -> dict[str, str]:
    """Territories a proposal can name (cached per data folder)."""
    folder = config.reference_dir()
    return _cached_territory_choices(str(folder), _folder_signature(folder))


@st.cache_data(show_spinner=False, max_entries=4)
def _cached_territory_choices(folder: str, signature: tuple) -> dict:
    from cartographie.cooperations import territory_options

    return territory_options(_cached_reference(folder, signature))


def render_experience_sheet(experience, ref: ReferenceData) -> None:
    """The sheet of an experience: summary, territories, themes, methods, actors, the three elements, sources."""
    import pandas as pd

    from cartographie.cooperations import element_rows
    from cartographie.store import TYPES_ACTEUR

    st.subheader(experience.titre)
    territoires = (
        f"hors Grand Est ({experience.lieu})"
        if experience.hors_region
        else ", ".join(
            territory_label(ref, kind, code) if kind != "contrat" else f"contrat de ville {code}"
            for kind, code in experience.territoires
        )
    )
    lignes = [
        f"**Territoire** : {md_escape(territoires or 'non précisé')}",
        f"**Statut** : {md_escape(experience.statut_libelle)}",
        f"**Période** : {md_escape(experience.periode or 'non précisée')}",
        f"**Thèmes** : {md_escape(', '.join(experience.themes) or 'non précisé')}",
        f"**Méthodes** : {md_escape(', '.join(experience.methodes) or 'non précisé')}",
    ]
    st.markdown("  \n".join(lignes))
    st.markdown(md_escape(experience.resume))
    st.markdown("**Acteurs et rôles**")
    st.dataframe(
        pd.DataFrame(
            [
                {"Acteur": a["nom"], "Type": TYPES_ACTEUR.get(a["type"], a["type"]), "Rôle": a.get("role", "")}
                for a in experience.acteurs
            ],
            columns=["Acteur", "Type", "Rôle"],
        ),
        hide_index=True,
        width="stretch",
        key="experience_acteurs",
    )
    st.markdown("**Les trois éléments déterminants de la coopération**")
    st.dataframe(pd.DataFrame(element_rows(experience)), hide_index=True, width="stretch", key="experience_elements")
    if experience.origine == "registre":
        cat = catalogue()
        st.caption("Source(s) : " + " ; ".join(cat.sources.get(s, s) for s in experience.sources))
    else:
        st.caption(
            "Contribution validée par l'équipe éditoriale."
            + (f" Sources : {experience.sources[0]}" if experience.sources else "")
        )


def export_buttons(table, codes: set[str], selection, ref: ReferenceData) -> None:
    """CSV (French Excel), XLSX and GeoJSON of exactly the table shown; built only when downloaded."""
    from cartographie.exports import export_filename, to_csv_excel, to_geojson, to_xlsx

    formats = (
        ("Télécharger (CSV pour Excel)", "csv", "text/csv", lambda: to_csv_excel(table)),
        (
            "Télécharger (XLSX)",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            lambda: to_xlsx(table, note=sources_note(ref)),
        ),
        (
            "Télécharger (GeoJSON)",
            "geojson",
            "application/geo+json",
            lambda: to_geojson(full_reference().qpv.loc[lambda f: f["code_qp"].isin(codes)]),
        ),
    )
    for column, (label, extension, mime, build) in zip(st.columns(len(formats)), formats, strict=True):
        column.download_button(
            label,
            build,
            file_name=export_filename(selection, extension),
            mime=mime,
            on_click="ignore",
            key=f"export_{extension}",
            disabled=not codes,
        )


def run_action(action, *args) -> None:
    """Run an editor's action; show its French error, or rerun so the page shows the new state."""
    from cartographie.store import NotFound, ValidationError

    try:
        action(*args)
    except (ValidationError, NotFound) as error:
        st.error(str(error))
    else:
        st.rerun()


def moderation_buttons(item_id: int, prefix: str, *, approve, reject, delete, editor: str, approve_label: str) -> None:
    """Approve, reject with a reason, or delete one pending item (keys ``<verbe>_<prefix><id>``)."""
    colonnes = st.columns(3)
    if colonnes[0].button(approve_label, key=f"approuver_{prefix}{item_id}"):
        run_action(approve, item_id, editor)
    motif = colonnes[1].text_input("Motif du rejet", key=f"motif_{prefix}{item_id}")
    if colonnes[1].button("Rejeter", key=f"rejeter_{prefix}{item_id}"):
        run_action(reject, item_id, editor, motif)
    if colonnes[2].button("Supprimer", key=f"supprimer_{prefix}{item_id}"):
        run_action(delete, item_id, editor)


# --------------------------------------------------------------------------- survey


@st.cache_data(show_spinner=False)
def _cached_questionnaire(file_signature: tuple, departements: tuple):
    from cartographie.enquete import load_questionnaire

    return load_questionnaire().with_departements(dict(departements))


def questionnaire(ref: ReferenceData | None):
    """The questionnaire of ``data/questionnaire.toml`` with the region's departments, or stop in French.

    Without reference data, the departments come from the sources manifest (``data/sources.toml``).
    """
    from cartographie.enquete import QUESTIONNAIRE_FILE, QuestionnaireError

    stat = QUESTIONNAIRE_FILE.stat() if QUESTIONNAIRE_FILE.exists() else None
    if ref is not None:
        departements = tuple(sorted(zip(ref.departements["insee_dep"], ref.departements["lib_dep"], strict=True)))
    else:
        from cartographie.sources import load_manifest

        region = load_manifest().regions.get(config.DEFAULT_REGION)
        departements = tuple(sorted(region.noms_departements.items())) if region else ()
    try:
        return _cached_questionnaire((stat.st_size, stat.st_mtime_ns) if stat else (), departements)
    except QuestionnaireError as error:
        st.error(f"Le questionnaire est inutilisable. {error}", icon=":material/error:")
        st.stop()
        raise


@st.cache_data(show_spinner=False, max_entries=4)
def _cached_results_answers(_questionnaire, questionnaire_key: tuple, stored_key: tuple, mode: str):
    from cartographie.enquete import results_answers

    return results_answers(_questionnaire, store().survey_answers(), mode)


def survey_results(questionnaire):
    """Answers per edition for the results pages, and whether they are the demo answers."""
    from cartographie.enquete import DEMO_SETTING

    base = store()
    mode = base.setting(DEMO_SETTING, "auto")
    # The cache follows what is stored, by any process sharing the database: any write changes the key.
    stored_key = base.survey_signature()
    questionnaire_key = (questionnaire.titre, tuple(q.id for q in questionnaire.questions), len(questionnaire.editions))
    return _cached_results_answers(questionnaire, questionnaire_key, stored_key, mode)


def demo_banner() -> None:
    """The warning every screen built on the generated answers shows."""
    from cartographie.enquete import DEMO_LABEL

    st.warning(
        f"**{DEMO_LABEL[0].upper() + DEMO_LABEL[1:]}** : aucune vraie réponse n'est encore enregistrée, les "
        "résultats ci-dessous sont produits par un générateur pour montrer l'outil. Ils ne décrivent aucun "
        "territoire ni aucune structure.",
        icon=":material/science:",
    )


def chart_with_table(figure, table: pd.DataFrame, *, key: str, filename: str, demo: bool) -> None:
    """A chart, the table behind it (its accessible alternative) and the table's CSV export."""
    graphique, tableau = st.tabs(["Graphique", "Tableau"])
    with graphique:
        st.plotly_chart(figure, width="stretch", key=f"{key}_graphique", config={"displaylogo": False})
    with tableau:
        st.dataframe(table, hide_index=True, width="stretch", key=f"{key}_tableau")
    download_table(table, filename=filename, key=key, demo=demo)


def download_table(table: pd.DataFrame, *, filename: str, key: str, demo: bool) -> None:
    """The table's CSV export (French Excel); built on demo answers, every row and the file name say so."""
    from cartographie.enquete import with_demo_column
    from cartographie.exports import to_csv_excel

    st.download_button(
        "Télécharger le tableau (CSV pour Excel)",
        lambda: to_csv_excel(with_demo_column(table, demo)),
        file_name=f"{filename}{'_donnees-fictives' if demo else ''}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"{key}_export",
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _qr_png(url: str) -> bytes:
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def qr_code(url: str, *, caption: str | None, width: int = 220) -> None:
    """A QR code opening ``url`` (drawn here, offline, once per address), with the address below it."""
    st.image(_qr_png(url), width=width)
    if caption:
        st.caption(f"{caption} : {url}")


def survey_form_fields(questionnaire) -> dict:
    """The questionnaire's widgets, section by section (keys ``q_<id>``); returns the raw answer."""
    raw: dict = {}
    section = None
    for question in questionnaire.questions:
        if question.section != section:
            section = question.section
            st.subheader(questionnaire.sections[section])
        label = question.libelle + (" *" if question.obligatoire else "")
        key = f"q_{question.id}"
        if question.type == "echelle":
            options = questionnaire.echelle
            raw[question.id] = st.radio(
                label, list(options), format_func=options.get, index=None, horizontal=True, key=key
            )
        elif question.type == "departement":
            options = question.choices
            raw[question.id] = st.selectbox(
                label, list(options), format_func=options.get, index=None, key=key, placeholder="Choisissez"
            )
        elif question.type == "choix_unique":
            options = question.choices
            raw[question.id] = st.radio(label, list(options), format_func=options.get, index=None, key=key)
        elif question.type == "choix_multiple":
            options = question.choices
            raw[question.id] = st.multiselect(
                label,
                list(options),
                format_func=options.get,
                max_selections=question.max_choix,
                key=key,
                placeholder="Choisissez une ou plusieurs réponses",
            )
        elif question.type == "mot_cle":
            raw[question.id] = st.text_input(label, max_chars=60, key=key)
        else:
            raw[question.id] = st.text_area(label, max_chars=question.max_caracteres, key=key)
        if question.autre:
            raw[question.autre_key] = st.text_input(
                f"Si « Autre » : précisez ({question.libelle[:60].rstrip(' ?')})",
                max_chars=200,
                key=f"q_{question.autre_key}",
            )
    return raw


def submit_survey_answer(questionnaire, raw: dict) -> bool:
    """Check and store one anonymous answer in the current edition; say what is wrong, in French."""
    from cartographie.enquete import AnswerError, validate_answer

    try:
        answer = validate_answer(questionnaire, raw)
    except AnswerError as error:
        st.error(
            "Vos réponses ne sont pas encore enregistrées :\n" + "\n".join(f"- {md_escape(m)}" for m in error.messages)
        )
        return False
    store().add_survey_answers(questionnaire.edition_courante, [answer], origine="formulaire")
    return True


def keyword_session() -> str:
    """The live-keyword session of the URL (``?session=``), else today's date; kept in the URL."""
    import datetime as dt

    session = " ".join(str(st.query_params.get("session", "")).split())[:60] or dt.date.today().isoformat()
    st.query_params["session"] = session
    return session


#: Keywords one participant (one browser session) may send to a live session.
MOTS_PAR_PARTICIPANT = 3


def submit_keyword(session: str, mot: str) -> None:
    """Store one participant's keyword (a few per person, so that nobody floods the room's chart)."""
    from cartographie.store import ValidationError

    envoyes = st.session_state.setdefault("mots_envoyes", {})
    if envoyes.get(session, 0) >= MOTS_PAR_PARTICIPANT:
        st.warning(f"Vous avez déjà proposé {MOTS_PAR_PARTICIPANT} mots-clés pour cette session : merci !")
        return
    try:
        store().add_keyword(session, mot)
    except ValidationError as error:
        st.error(" ".join(error.messages))
    else:
        envoyes[session] = envoyes.get(session, 0) + 1
        st.success("Merci ! Votre mot est ajouté au nuage de la salle.", icon=":material/check_circle:")


def session_keywords(session: str):
    """The visible keywords of a live session, counted once folded (and how many were sent)."""
    from cartographie.enquete import keyword_frequencies

    mots = [k["mot"] for k in store().keywords(session)]
    return keyword_frequencies(mots), len(mots)


def keyword_page_url(session: str) -> str:
    """Public address of the page where participants type their keyword."""
    from urllib.parse import quote

    return f"{config.public_address()}/direct?session={quote(session)}"


@st.fragment(run_every=5)
def live_keywords(session: str, *, top: int = 15, font_size: int = 13, key: str = "direct") -> None:
    """The keywords of a live session, refreshed every five seconds (chart and table)."""
    from cartographie.graphiques import keyword_figure

    table, n = session_keywords(session)
    title = f"Mots-clés de la session « {session} » ({n} contribution{'s' if n > 1 else ''})"
    if table.empty:
        st.info("Aucun mot-clé pour l'instant : scannez le code QR et proposez le vôtre.", icon=":material/forum:")
        return
    graphique, tableau = st.tabs(["Graphique", "Tableau"])
    with graphique:
        st.plotly_chart(
            keyword_figure(table, title, top=top, font_size=font_size),
            width="stretch",
            key=f"{key}_graphique",
            config={"displaylogo": False},
        )
    with tableau:
        st.dataframe(table.drop(columns="Forme comparée"), hide_index=True, width="stretch", key=f"{key}_tableau")


@st.cache_data(show_spinner="Lecture du fichier…", max_entries=2)
def read_survey_upload(raw: bytes, name: str):
    """The uploaded table and how it was read (see :func:`cartographie.enquete_import.read_survey_file`)."""
    from cartographie.enquete_import import read_survey_file

    return read_survey_file(raw, name)


def column_mapping(columns: list[str], questionnaire, *, prefix: str) -> dict[str, str]:
    """One select box per column of the file, preset by the automatic mapping (adjustable)."""
    from cartographie.enquete_import import auto_mapping, targets

    guessed = auto_mapping(columns, questionnaire)
    options = targets(questionnaire)
    choices = list(options)
    mapping = {}
    grid = st.columns(2)
    for number, column in enumerate(columns):
        mapping[column] = grid[number % 2].selectbox(
            f"Colonne « {md_escape(column)} »",
            choices,
            index=choices.index(guessed[column]),
            format_func=options.get,
            key=f"{prefix}_{number}",
        )
    return mapping


# --------------------------------------------------------------------------- presentation screen


def presentation_settings(ref: ReferenceData):
    """The presentation settings of the URL (unknown values fall back to the defaults)."""
    from cartographie.presentation import Settings, territory_choices

    return Settings.from_query(dict(st.query_params), set(territory_choices(ref)))


def presentation_setup(ref: ReferenceData, current) -> None:
    """The short set-up form; launching puts every choice in the URL (a link to prepare in advance)."""
    from urllib.parse import urlencode

    from cartographie.presentation import INTERVALS, SLIDES, Settings, territory_choices

    territoires = territory_choices(ref)
    with st.form("presentation_reglages"):
        diapos = st.multiselect(
            "Diapositives, dans l'ordre de passage",
            list(SLIDES),
            default=list(current.slides),
            format_func=SLIDES.get,
            key="presentation_diapos",
        )
        territoire = st.selectbox(
            "Territoire",
            list(territoires),
            index=list(territoires).index(current.territoire),
            format_func=territoires.get,
            key="presentation_territoire",
        )
        intervalle = st.select_slider(
            "Durée de chaque diapositive (secondes)",
            INTERVALS,
            value=current.intervalle,
            key="presentation_intervalle",
        )
        session = st.text_input(
            "Session des mots-clés en direct (vide : la date du jour)",
            value=current.session,
            max_chars=60,
            key="presentation_session",
        )
        lancer = st.form_submit_button("Lancer la présentation", type="primary", key="presentation_lancer")
    if lancer:
        if not diapos:
            st.error("Choisissez au moins une diapositive.")
            return
        settings = Settings(tuple(diapos), territoire, intervalle, " ".join(session.split()))
        st.query_params.from_dict({**settings.to_query(), "ecran": "1"})
        st.session_state["presentation_index"] = 0
        st.rerun()
    lien = f"{config.public_address()}/presentation?{urlencode({**current.to_query(), 'ecran': '1'})}"
    st.markdown("**Lien à préparer** (ouvre directement la présentation avec ces réglages) :")
    st.code(lien, language=None)
    st.caption(
        "Sur l'écran : flèches ← → pour changer de diapositive, espace pour la pause. Tout fonctionne sans "
        "Internet (aucune ressource extérieure, pas de fond de carte)."
    )


_SLIDESHOW_FRAGMENTS: dict = {}


def slideshow(ref: ReferenceData, settings) -> None:
    """The full-screen slides: Streamlit's chrome hidden, auto-advance unless paused."""
    from cartographie.presentation import keyboard_js, screen_css

    st.html(screen_css())
    st.html(keyboard_js(), unsafe_allow_javascript=True)
    st.session_state["presentation_complet"] = True  # this run is a full one: show, do not advance
    st.session_state.setdefault("presentation_index", 0)
    paused = st.session_state.get("presentation_pause", False)
    every = None if paused else settings.intervalle
    if every not in _SLIDESHOW_FRAGMENTS:
        _SLIDESHOW_FRAGMENTS[every] = st.fragment(_slides, run_every=every)
    _SLIDESHOW_FRAGMENTS[every](ref, settings)


def _toggle_pause() -> None:
    st.session_state["presentation_pause"] = not st.session_state.get("presentation_pause", False)
    st.session_state["presentation_manuel"] = True


def _move(step: int) -> None:
    st.session_state["presentation_index"] = st.session_state.get("presentation_index", 0) + step
    st.session_state["presentation_manuel"] = True


def _slides(ref: ReferenceData, settings) -> None:
    from cartographie.presentation import SLIDES, header_html, resolve_territory

    manual = st.session_state.pop("presentation_manuel", False)
    full = st.session_state.pop("presentation_complet", False)
    if not (manual or full or st.session_state.get("presentation_pause")):
        st.session_state["presentation_index"] = st.session_state.get("presentation_index", 0) + 1  # the timer
    total = len(settings.slides)
    index = st.session_state.get("presentation_index", 0) % total
    st.session_state["presentation_index"] = index
    slide = settings.slides[index]
    territory = resolve_territory(ref, settings.territoire)
    st.html(header_html(SLIDES[slide], territory.label, index, total))
    with st.container(height=CONTENT_HEIGHT_PX, border=False, key=f"diapo_{slide}"):
        _SLIDE_RENDERERS[slide](ref, territory, settings)
    _slide_footer(settings)


CONTENT_HEIGHT_PX = 780


def _slide_footer(settings) -> None:
    paused = st.session_state.get("presentation_pause", False)
    colonnes = st.columns([1, 1, 1, 1, 3, 1], vertical_alignment="center")
    colonnes[0].button("Précédente", key="diapo_precedente", on_click=_move, args=(-1,), width="stretch")
    if colonnes[1].button(
        "Reprendre" if paused else "Pause", key="diapo_pause", on_click=_toggle_pause, width="stretch"
    ):
        st.rerun()  # a full run: the timer is set up again (or removed)
    colonnes[2].button("Suivante", key="diapo_suivante", on_click=_move, args=(1,), width="stretch")
    if colonnes[3].button("Réglages", key="diapo_reglages", width="stretch"):
        del st.query_params["ecran"]
        st.rerun()
    colonnes[4].html(
        f'<p class="diapo-pied">{"En pause" if paused else f"Défilement toutes les {settings.intervalle} s"}'
        " · ← → pour changer de diapositive · tableau de bord : "
        f"{html.escape(config.public_address())}</p>"
    )
    with colonnes[5]:
        qr_code(config.public_address(), caption=None, width=120)


def _slide_chiffres(ref: ReferenceData, territory, settings) -> None:
    from cartographie.presentation import (
        figures_html,
        key_figures,
        status_line,
        territory_events,
        territory_experiences,
        text_html,
    )

    events = territory_events(catalogue(), territory)
    experiences = territory_experiences(experiences_registry(), territory)
    st.html(figures_html(key_figures(ref, territory, events=len(events), experiences=len(experiences))))
    st.html(text_html([status_line(ref, territory)]))


def _slide_carte(ref: ReferenceData, territory, settings) -> None:
    from cartographie.carte import dynamic_layers

    layers = lazy_map_layers()
    groups = dynamic_layers(layers, codes=set(territory.qpv_codes), fit_key=f"presentation-{territory.code}")
    folium_map(groups, key="diapo_carte_qpv", height=CONTENT_HEIGHT_PX - 90)
    source_caption(ref.source("qpv_2024"), ref.source("departements"))


def _slide_contrats(ref: ReferenceData, territory, settings) -> None:
    from cartographie.graphiques import contrats_figure
    from cartographie.presentation import contrat_lines, contrats_frame, for_screen, text_html

    table = contrats_frame(ref, territory)
    if territory.kind == "cv":
        head, names = contrat_lines(ref, territory)
        st.html(text_html(head))
        st.html(text_html(names, columns=2 if len(names) > 8 else 1))
    else:
        st.plotly_chart(
            for_screen(contrats_figure(table), height=CONTENT_HEIGHT_PX - 100),
            width="stretch",
            key="diapo_contrats_graphique",
            config={"staticPlot": True},
            theme=None,
        )
    source_caption(ref.source("contrats_ville_2024"), ref.source("qpv_2024_liste"))


def _slide_rencontres(ref: ReferenceData, territory, settings) -> None:
    import pandas as pd

    from cartographie.graphiques import events_timeline_figure
    from cartographie.presentation import for_screen, territory_events
    from cartographie.rencontres import TYPES, events_frame

    cat = catalogue()
    events = territory_events(cat, territory)
    frame = events_frame(cat)
    note = ""
    if events:
        frame = frame[frame["id"].isin({e.id for e in events})]
    else:
        note = "Aucune rencontre recensée sur ce territoire : voici celles de toute la région."
        frame = frame[~frame["hors_region"].astype(bool)]
    labels = {code: label for code, label in TYPES.items() if code in set(frame["type"])}
    figure = for_screen(events_timeline_figure(frame, labels), height=CONTENT_HEIGHT_PX - 100, font=24)
    figure.update_traces(marker={"size": 26})
    figure.update_layout(title=f"{len(frame)} rencontres, échanges et ateliers" + (f" – {note}" if note else ""))
    st.plotly_chart(figure, width="stretch", key="diapo_rencontres_frise", config={"staticPlot": True}, theme=None)
    last = frame.dropna(subset=["date"]).sort_values("date").tail(1)
    if not last.empty and pd.notna(last["date"].iloc[0]):
        st.caption(f"Dernière : {last['titre'].iloc[0]} ({last['date_libelle'].iloc[0]}). Source : {RENCONTRES_NOTE}")


RENCONTRES_NOTE = "documents publics de l'ORIV et du Réseau DSU Grand Est (data/rencontres.toml)."


def _slide_enquete(ref: ReferenceData, territory, settings) -> None:
    from cartographie.enquete import DEMO_LABEL, SEUIL_PUBLICATION, option_counts, scale_table
    from cartographie.graphiques import survey_scale_figure
    from cartographie.presentation import demo_html, for_screen, text_html

    questionnaire_ = questionnaire(ref)
    by_edition, demo = survey_results(questionnaire_)
    if not by_edition:
        st.html(text_html(["Aucune réponse à l'enquête pour le moment."]))
        return
    edition_id = max(by_edition, key=lambda e: (questionnaire_.edition(e).annee, e))
    edition = questionnaire_.edition(edition_id)
    answers = by_edition[edition_id]
    if len(answers) < SEUIL_PUBLICATION:  # results are public from this many answers on
        st.html(text_html([f"Moins de {SEUIL_PUBLICATION} réponses pour l'instant : les résultats viendront."]))
        return
    if demo:
        st.html(demo_html(DEMO_LABEL))
    graphique, points = st.columns([3, 2], gap="large")
    table = scale_table(questionnaire_, answers, questionnaire_.of_type("echelle"))
    figure = survey_scale_figure(
        table, list(questionnaire_.echelle.values()), f"Degré d'accord – {len(answers)} réponses"
    )
    figure.update_layout(xaxis_title="← désaccord (%) · accord (%) →")
    with graphique:
        figure = for_screen(figure, height=CONTENT_HEIGHT_PX - 100, font=20)
        figure.update_layout(legend={"orientation": "h", "y": -0.22, "x": 0, "font": {"size": 18}}, margin={"b": 150})
        st.plotly_chart(
            figure,
            width="stretch",
            key="diapo_enquete_graphique",
            config={"staticPlot": True},
            theme=None,
        )
    lines = []
    for question_id, what in (("leviers", "Levier le plus cité"), ("contraintes", "Frein le plus cité")):
        counts = option_counts(questionnaire_, answers, questionnaire_.question(question_id))
        first = counts.iloc[0]
        if not pd.isna(first["Réponses"]):  # the most cited answer is shown only if its count is
            lines.append(f"{what} : {first['Réponse']} ({str(first['Part (%)']).replace('.', ',')} %)")
    with points:
        st.html(text_html(lines, note=f"{edition.titre} ({edition.annee}) – {len(answers)} réponses"))


def _slide_reseau(ref: ReferenceData, territory, settings) -> None:
    from cartographie.cooperations import build_network
    from cartographie.graphiques import network_figure
    from cartographie.presentation import for_screen, territory_experiences, text_html

    experiences = territory_experiences(experiences_registry(), territory)
    graph = build_network(experiences)
    if not graph.number_of_nodes():
        st.html(text_html(["Aucune expérience de coopération recensée sur ce territoire pour le moment."]))
        return
    positions = network_positions(tuple(graph.nodes()), tuple(graph.edges()))
    figure = for_screen(network_figure(graph, positions, labels=14), height=CONTENT_HEIGHT_PX - 100, font=18)
    figure.update_layout(
        title=f"{len(experiences)} expériences, {graph.number_of_nodes() - len(experiences)} acteurs",
        legend={"font": {"size": 18}},
    )
    figure.update_xaxes(range=[-1.45, 1.45])  # room for the labels of the nodes at the edges
    figure.update_yaxes(range=[-1.15, 1.15])
    st.plotly_chart(figure, width="stretch", key="diapo_reseau_graphique", config={"staticPlot": True}, theme=None)


def _slide_mots(ref: ReferenceData, territory, settings) -> None:
    import datetime as dt

    from cartographie.graphiques import keyword_figure
    from cartographie.presentation import for_screen, text_html

    session = settings.session or dt.date.today().isoformat()
    table, n = session_keywords(session)
    graphique, qr = st.columns([3, 1], gap="large")
    with graphique:
        if table.empty:
            st.html(text_html(["Pas encore de mot-clé : scannez le code et proposez le vôtre !"]))
        else:
            figure = keyword_figure(table, f"{n} contribution{'s' if n > 1 else ''}", top=10, font_size=26)
            st.plotly_chart(
                for_screen(figure, height=CONTENT_HEIGHT_PX - 100, font=26),
                width="stretch",
                key="diapo_mots_graphique",
                config={"staticPlot": True},
                theme=None,
            )
    with qr:
        st.html(text_html(["Votre mot-clé :"]))
        qr_code(keyword_page_url(session), caption="Depuis un téléphone", width=300)


_SLIDE_RENDERERS = {
    "chiffres": _slide_chiffres,
    "carte": _slide_carte,
    "contrats": _slide_contrats,
    "rencontres": _slide_rencontres,
    "enquete": _slide_enquete,
    "reseau": _slide_reseau,
    "mots": _slide_mots,
}
