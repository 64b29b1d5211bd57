"""Every cached computation over the data, in one place.

(The map component's rendered strings are cached by the component's adapter,
:mod:`cartographie.ui.composant_carte`, which alone knows their shape.)

The reference data, the map layers and what is derived from them are read-only: they are kept
with ``st.cache_resource``, one copy shared by every session and returned as is at each rerun
(``st.cache_data`` would unpickle a fresh copy each time: 5 MB at national scale). Nothing may
modify what these functions return; derive new frames instead (pandas 3 copies on write), as
the data layer does. ``tests/pages/test_pages.py`` checks that the pages leave them intact.

The data folder is keyed by its files' names, sizes and modification times (:func:`data_key`),
read once per script run.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from cartographie import config

if TYPE_CHECKING:  # the heavy modules are imported where used, so that cached pages start light
    from cartographie.lecture.reference import ReferenceData
    from cartographie.rendu.carte import MapLayers


def _folder_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of a folder's files: a data update changes the cache key."""
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()))


_run = threading.local()


def refresh_data_key() -> None:
    """Read the data folder's key for this script run (called once, when the run sets its page up)."""
    folder = config.reference_dir()
    _run.key = (str(folder), _folder_signature(folder))


def data_key() -> tuple[str, tuple]:
    """The data folder and its signature, as read at the start of this script run.

    Every cached function of this module is keyed by it: a data update is seen at the next run,
    and a run lists the folder once instead of once per cached call.
    """
    key = getattr(_run, "key", None)
    if key is None or key[0] != str(config.reference_dir()):
        refresh_data_key()
    return _run.key


def reference() -> ReferenceData:
    """The reference data of the configured folder, for the pages (loaded once, cached).

    Shapes are left out: pages only need attributes (the map layers are prepared from the full
    data in their own cache, and :func:`full_reference` serves the rare uses of shapes), so a
    fresh server reads a few hundred kilobytes from the disk cache instead of megabytes.
    Shared by every session: never modify it.
    """
    return _cached_page_reference(*data_key())


@st.cache_resource(show_spinner="Chargement des données de référence…", max_entries=4)
def _cached_page_reference(folder: str, signature: tuple) -> ReferenceData:
    from cartographie.lecture.cache import cached

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
    return _cached_reference(*data_key())


@st.cache_resource(show_spinner="Chargement des données de référence…", max_entries=4)
def _cached_reference(folder: str, signature: tuple) -> ReferenceData:
    from cartographie.lecture.cache import cached
    from cartographie.lecture.reference import load_reference

    return cached("reference", (folder, signature), lambda: load_reference(Path(folder)))


@st.cache_resource(show_spinner="Préparation des couches de la carte…", max_entries=4)
def cached_map_layers(folder: str, signature: tuple) -> MapLayers:
    """The map's display layers of one data folder (its key: folder and signature), once per process."""
    from cartographie.lecture.cache import cached
    from cartographie.rendu.carte import prepare_map_layers

    return cached("couches", (folder, signature), lambda: prepare_map_layers(_cached_reference(folder, signature)))


def layer_geojson(name: str) -> dict:
    """One layer of :attr:`MapLayers.geojson` (departments, EPCI, communes, contrats…), cached layer by layer."""
    return _cached_layer_geojson(*data_key(), name)


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_layer_geojson(folder: str, signature: tuple, name: str) -> dict:
    return cached_map_layers(folder, signature).geojson[name]


def map_classes(indicator: str):
    """The QPV's classes of an INSEE indicator on the map (:func:`cartographie.domaine.habitants.map_classes`)."""
    return _cached_map_classes(*data_key(), indicator)


@st.cache_resource(show_spinner=False, max_entries=16)
def _cached_map_classes(folder: str, signature: tuple, indicator: str):
    from cartographie.domaine.habitants import map_classes as classes_of

    return classes_of(_cached_page_reference(folder, signature), indicator)


def symbol_sizes():
    """The QPV's symbol sizes by population class (:func:`cartographie.domaine.habitants.symbol_sizes`)."""
    return _cached_symbol_sizes(*data_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_symbol_sizes(folder: str, signature: tuple):
    from cartographie.domaine.habitants import symbol_sizes as sizes_of

    return sizes_of(_cached_page_reference(folder, signature))


def qpv_count() -> int:
    """Number of QPV of the reference data."""
    return _cached_qpv_count(*data_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_qpv_count(folder: str, signature: tuple) -> int:
    return len(_cached_page_reference(folder, signature).qpv)


def map_layers() -> MapLayers:
    """Simplified display layers (simplified once per data folder, cached)."""
    return cached_map_layers(*data_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_filter_index(folder: str, signature: tuple):
    """The filters' index of one data folder (which territories each choice keeps), once per process."""
    from cartographie.domaine.filtres import filter_index

    ref = _cached_page_reference(folder, signature)
    return filter_index(ref.qpv, ref.qpv_communes)


def qpv_choices(ref: ReferenceData) -> dict[str, str]:
    """Code → label of every QPV for the pickers (cached per data folder)."""
    return _cached_qpv_choices(*data_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_qpv_choices(folder: str, signature: tuple) -> dict[str, str]:
    from cartographie.domaine.indicateurs import qpv_options

    return qpv_options(_cached_page_reference(folder, signature))


@st.cache_data(show_spinner="Chargement des rencontres…", max_entries=4)
def _cached_catalogue(folder: str, signature: tuple, file_signature: tuple):
    from cartographie.lecture.rencontres import load_catalogue

    return load_catalogue(_cached_reference(folder, signature))


def catalogue():
    """The meetings and methods of ``data/rencontres.toml``, validated (cached), or stop with a French message."""
    from cartographie.lecture.rencontres import RENCONTRES_FILE, RencontresError

    stat = RENCONTRES_FILE.stat() if RENCONTRES_FILE.exists() else None
    try:
        return _cached_catalogue(*data_key(), (stat.st_size, stat.st_mtime_ns) if stat else ())
    except RencontresError as error:
        from cartographie.ui.mise_en_page import md_escape

        st.error(f"Les données des rencontres sont inutilisables. {md_escape(error)}", icon=":material/error:")
        st.stop()
        raise


@st.cache_data(show_spinner="Chargement du registre des coopérations…", max_entries=4)
def _cached_authored_experiences(folder: str, signature: tuple, file_signature: tuple):
    from cartographie.domaine.cooperations import territory_checker
    from cartographie.lecture.experiences import load_authored

    return load_authored(known_territory=territory_checker(_cached_reference(folder, signature)))


@st.cache_resource(show_spinner=False, max_entries=4)  # read-only, shared: no unpickled copy at each rerun
def _cached_territory_points(folder: str, signature: tuple) -> dict:
    from cartographie.domaine.cooperations import territory_points

    return territory_points(_cached_reference(folder, signature))


def experiences_registry() -> list:
    """Authored experiences (validated, cached) followed by the experiences editors have approved."""
    from cartographie.domaine.cooperations import from_store
    from cartographie.lecture.experiences import EXPERIENCES_FILE, ExperiencesError

    stat = EXPERIENCES_FILE.stat()
    try:
        authored = _cached_authored_experiences(*data_key(), (stat.st_size, stat.st_mtime_ns))
    except ExperiencesError as error:
        from cartographie.ui.mise_en_page import md_escape

        st.error(f"Le registre des coopérations est inutilisable. {md_escape(error)}", icon=":material/error:")
        st.stop()
        raise
    return [*authored, *from_store(store().experiences())]


def experience_points(experiences: list):
    """Markers of the experiences on their territory."""
    from cartographie.domaine.cooperations import experience_points as points_of

    return points_of(experiences, _cached_territory_points(*data_key()))


@st.cache_data(show_spinner="Calcul du réseau…", max_entries=16)
def network_positions(nodes: tuple, edges: tuple) -> dict:
    """Network layout, computed once per graph."""
    from cartographie.rendu.graphiques import network_layout

    return network_layout(nodes, edges)


def territory_choices(ref: ReferenceData) -> dict[str, str]:
    """Territories a proposal can name (cached per data folder)."""
    return _cached_territory_choices(*data_key())


@st.cache_data(show_spinner=False, max_entries=4)
def _cached_territory_choices(folder: str, signature: tuple) -> dict:
    from cartographie.domaine.cooperations import territory_options

    return territory_options(_cached_reference(folder, signature))


@st.cache_data(show_spinner=False)
def _cached_questionnaire(file_signature: tuple, departements: tuple):
    from cartographie.lecture.questionnaire import load_questionnaire

    return load_questionnaire().with_departements(dict(departements))


def questionnaire(ref: ReferenceData | None):
    """The questionnaire of ``data/questionnaire.toml`` with the region's departments, or stop in French.

    Without reference data, the departments come from the sources manifest (``data/sources.toml``).
    """
    from cartographie.lecture.questionnaire import QUESTIONNAIRE_FILE, QuestionnaireError

    stat = QUESTIONNAIRE_FILE.stat() if QUESTIONNAIRE_FILE.exists() else None
    if ref is not None:
        departements = tuple(sorted(zip(ref.departements["insee_dep"], ref.departements["lib_dep"], strict=True)))
    else:
        from cartographie.lecture.sources import load_manifest

        region = load_manifest().regions.get(config.DEFAULT_REGION)
        departements = tuple(sorted(region.noms_departements.items())) if region else ()
    try:
        return _cached_questionnaire((stat.st_size, stat.st_mtime_ns) if stat else (), departements)
    except QuestionnaireError as error:
        from cartographie.ui.mise_en_page import md_escape

        st.error(f"Le questionnaire est inutilisable. {md_escape(error)}", icon=":material/error:")
        st.stop()
        raise


@st.cache_data(show_spinner=False, max_entries=4)
def _cached_results_answers(_questionnaire, questionnaire_key: tuple, stored_key: tuple, mode: str):
    from cartographie.domaine.enquete.resultats import results_answers

    return results_answers(_questionnaire, store().survey_answers(), mode)


def survey_results(questionnaire):
    """Answers per edition for the results pages, and whether they are the demo answers."""
    from cartographie.domaine.enquete.demo import DEMO_SETTING

    base = store()
    mode = base.setting(DEMO_SETTING, "auto")
    # The cache follows what is stored, by any process sharing the database: any write changes the key.
    stored_key = base.survey_signature()
    questionnaire_key = (questionnaire.titre, tuple(q.id for q in questionnaire.questions), len(questionnaire.editions))
    return _cached_results_answers(questionnaire, questionnaire_key, stored_key, mode)


@st.cache_resource(show_spinner=False, max_entries=8)
def _cached_publication(_questionnaire, questionnaire_key: tuple, stored_key: tuple, mode: str, edition: str):
    from cartographie.domaine.enquete.publication import Publication

    by_edition, _ = _cached_results_answers(_questionnaire, questionnaire_key, stored_key, mode)
    return Publication(_questionnaire, by_edition.get(edition, []))


def survey_publication(questionnaire, edition: str):
    """What an edition publishes (every results view, export and slide reads it), computed once per edition.

    Shared by every visitor; it follows what is stored, as :func:`survey_results` does.
    """
    from cartographie.domaine.enquete.demo import DEMO_SETTING

    base = store()
    mode = base.setting(DEMO_SETTING, "auto")
    stored_key = base.survey_signature()
    questionnaire_key = (questionnaire.titre, tuple(q.id for q in questionnaire.questions), len(questionnaire.editions))
    return _cached_publication(questionnaire, questionnaire_key, stored_key, mode, edition)


@st.cache_data(show_spinner=False, max_entries=32)
def qr_png(url: str, width: int | None = None) -> bytes:
    """The QR code of ``url`` as PNG, each module a whole number of pixels.

    ``width``: the most pixels it may take; the modules are made as large as fits (8 pixels when not
    given). Drawn at its own size, it is never resampled (a resampled code blurs its modules' edges).
    """
    import io

    import segno

    code = segno.make(url, error="m")
    scale = 8 if width is None else max(1, width // code.symbol_size(scale=1, border=2)[0])
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


@st.cache_data(show_spinner="Lecture du fichier…", max_entries=2)
def read_survey_upload(raw: bytes, name: str):
    """The uploaded table and how it was read (see :func:`cartographie.enquete_import.read_survey_file`)."""
    from cartographie.lecture.enquete_import import read_survey_file

    return read_survey_file(raw, name)


@st.cache_resource(show_spinner="Ouverture de la base des contributions…")
def _store(url: str):
    # An engine is a thread-safe shared resource.
    from cartographie.stockage.store import open_store

    return open_store(url)


def store():
    """The contribution store (migrated at first use)."""
    return _store(config.database_url())


def login_throttle():
    """The sign-in budgets (attempts per source, waits after failures), kept in the database: every process's."""
    from cartographie.stockage.limites import SharedLoginThrottle

    return SharedLoginThrottle(store())
