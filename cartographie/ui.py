"""Streamlit glue shared by every page: page set-up, cached loading, data errors, sources.

This is the only module of the package that imports Streamlit. Pages call it once at
the top (``ref = ui.page("Titre")``) and then render what ``cartographie`` computes.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import streamlit as st

from cartographie import config
from cartographie.carte import MapLayers, prepare_map_layers
from cartographie.errors import MissingReferenceData, ReferenceDataError
from cartographie.reference import ReferenceData, load_reference
from cartographie.sources import SourceFile


def _folder_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of a folder's files: a data update changes the cache key."""
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()))


def reference() -> ReferenceData:
    """The reference data of the configured folder (loaded once, cached)."""
    folder = config.reference_dir()
    return _cached_reference(str(folder), _folder_signature(folder))


@st.cache_data(show_spinner="Chargement des données de référence…", max_entries=4)
def _cached_reference(folder: str, signature: tuple) -> ReferenceData:
    return load_reference(Path(folder))


@st.cache_data(show_spinner="Préparation des couches de la carte…", max_entries=4)
def _cached_map_layers(folder: str, signature: tuple) -> MapLayers:
    return prepare_map_layers(_cached_reference(folder, signature))


def map_layers() -> MapLayers:
    """Simplified display layers (simplified once per data folder, cached)."""
    folder = config.reference_dir()
    return _cached_map_layers(str(folder), _folder_signature(folder))


def show_data_error(error: ReferenceDataError) -> None:
    """Explain in French what is wrong with the reference data and how to fix it."""
    if isinstance(error, MissingReferenceData):
        st.error(
            "Les données de référence (QPV, contrats de ville, territoires) sont introuvables.",
            icon=":material/folder_off:",
        )
        st.markdown(
            f"- Dossier consulté : `{html.escape(str(error.dossier))}`\n"
            f"- Fichier(s) manquant(s) : {html.escape(', '.join(error.manquants))}\n\n"
            f"**Pour les obtenir**, sur une machine reliée à Internet : `{error.commande}`\n\n"
            f"**Hors ligne**, indiquez un dossier local contenant ces fichiers avec la variable "
            f"d'environnement `{error.variable}` (voir le README)."
        )
    else:
        st.error(f"Les données de référence sont inutilisables. {error}", icon=":material/error:")
        st.markdown(f"Remplacez le fichier en cause, ou relancez la mise à jour : `{config.UPDATE_COMMAND}`.")


def _leave_legacy_multipage_mode() -> None:
    """Make sure the app's own navigation (``st.navigation`` in app.py) is in charge.

    Streamlit treats a ``pages/`` folder beside the entry point as a legacy multipage app
    until ``st.navigation`` has run once in the process: on a freshly started server, the
    first visitor of ``/carte`` would get ``pages/carte.py`` run alone, without the app's
    navigation and page settings. A page run that way switches the process to the
    ``st.navigation`` mode and reruns, so that app.py handles the request.
    """
    from streamlit.runtime.pages_manager import PagesManager  # pinned Streamlit version

    if PagesManager.uses_pages_directory:
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


def page(title: str) -> ReferenceData:
    """Set up a page (title, static assets) and return the reference data, or stop with a French message."""
    configure_page()
    ensure_leaflet_assets()
    st.title(title)
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


def leaflet_urls() -> tuple[str, str]:
    """Addresses of Leaflet's script and style sheet, served by this app."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return f"{prefix}/app/static/leaflet/leaflet.js", f"{prefix}/app/static/leaflet/leaflet.css"


def source_caption(*sources: SourceFile) -> None:
    """A caption naming the sources, with their producer and vintage, under a figure."""
    text = " ; ".join(f"{s.titre} – {s.producteur}, {s.millesime} ({s.licence})" for s in sources)
    st.caption(f"Source{'s' if len(sources) > 1 else ''} : {text}")


def md_escape(text: object) -> str:
    """Text safe to place inside Streamlit markdown (no HTML, no markdown markup)."""
    escaped = html.escape(str(text))
    for char in "\\`*_{}[]<>()#+-.!|~$":
        escaped = escaped.replace(char, "\\" + char)
    return escaped


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
    st.caption(f"Dossier de données utilisé : {ref.dossier}")
