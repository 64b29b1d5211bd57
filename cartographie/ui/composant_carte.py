"""The map component: every streamlit-folium detail the app relies on, in one place.

streamlit-folium (pinned 0.27.4) renders a whole folium map, every perimeter included, at each
rerun. The app draws its maps faster through the same component:

* the **base map** (departments, contrats, every QPV, legend) is rendered once per data folder
  and kept as text; its GeoJSON is served as a static script (``static/fonds/fond-*.js``) that
  the map's frame loads before the map's own script, after the map's JavaScript
  (``cartographie/rendu/js/carte.js``, served as ``static/fonds/carte-*.js``);
* an **optional layer** (EPCI, communes, contrats 2015–2023, credits of a year and measure) is
  rendered once per key; its GeoJSON is served as a static file that the layer fetches, so a
  rerun with every layer on sends a few hundred bytes per layer;
* what changes at each rerun (the QPV filter, the selected QPV, the experiences) is rendered
  then, and is small.

Private entry points of streamlit-folium used here, and nowhere else: ``_get_html``,
``_get_header``, ``_get_map_string``, ``_get_feature_group_string`` and ``_component_func``
(with its argument names), besides the public ``get_full_id`` and ``generate_js_hash``.
``tests/ui/test_composant_carte.py`` checks them against the installed version. If one has
moved, or the private path fails in any way (a renamed argument, a changed output format that
raises ``ValueError``…), the map falls back to the public ``st_folium`` (the whole map at each
rerun: slower, same map) and the server's log says why.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import streamlit as st

from cartographie import config
from cartographie.rendu.carte_js import script_name, script_text
from cartographie.ui.cache import cached_map_layers, data_key
from cartographie.ui.mise_en_page import leaflet_urls, static_url

log = logging.getLogger("cartographie")


def data_dir() -> Path:
    """Where the base map's data scripts and the optional layers' data are written, served at ``app/static/fonds/``."""
    return config.static_dir() / "fonds"


#: Data scripts kept (the most recently used): a few data folders and code versions.
BASE_MAP_DATA_KEPT = 6
#: Versions of the map's own script kept.
MAP_SCRIPTS_KEPT = 3
#: Layer data files kept (the most recently used): every layer of a few years and measures.
LAYER_DATA_KEPT = 40

_COMPONENT_ARGUMENTS = (
    "script",
    "header",
    "html",
    "id",
    "key",
    "height",
    "width",
    "returned_objects",
    "default",
    "zoom",
    "center",
    "feature_group",
    "return_on_hover",
    "layer_control",
    "pixelated",
    "css_links",
    "js_links",
    "wrap_longitude",
)


def _render_base_map(
    folder: str, signature: tuple, tiles: bool, screen: float, leaflet_js: str, leaflet_css: str, key: str
) -> dict:
    """The base map as the component receives it (strings only), its GeoJSON apart.

    Its scripts, loaded in order before the map's own: Leaflet, the map's script
    (:mod:`cartographie.rendu.carte_js`), the data.
    """
    import streamlit_folium as sf

    from cartographie.rendu.carte import build_base_map
    from cartographie.rendu.carte_donnees import split_base_map_data

    script_url = static_url(f"fonds/{script_name()}")
    carte = build_base_map(
        cached_map_layers(folder, signature),
        leaflet_js=leaflet_js,
        leaflet_css=leaflet_css,
        script_url=script_url,
        tiles=tiles,
        screen=screen,
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
        "js": [leaflet_js, script_url, static_url(f"fonds/{data_name}")],
        "css": [leaflet_css],
        "data_name": data_name,
        "data": data,
    }


def _write_static(name: str, data: str, kept: int, folder: Path | None = None) -> None:
    """Make sure a generated file is served (written atomically; the oldest of its kind pruned)."""
    from cartographie.lecture.cache import keep_most_recent, mark_used, write_atomically

    folder = folder or data_dir()
    target = folder / name
    if target.is_file():
        mark_used(target)
        return
    write_atomically(target, data.encode())
    keep_most_recent(folder.glob(f"{name.split('-', 1)[0]}-*"), kept)


def _write_base_map_data(payload: dict, folder: Path | None = None) -> None:
    """Make sure the base map's data script and the map's own script are served."""
    _write_static(payload["data_name"], payload["data"], BASE_MAP_DATA_KEPT, folder)
    _write_static(script_name(), script_text(), MAP_SCRIPTS_KEPT, folder)


@st.cache_resource(show_spinner="Préparation de la carte…", max_entries=8)
def _base_map_payload(
    folder: str, signature: tuple, tiles: bool, screen: float, leaflet_js: str, leaflet_css: str, key: str
) -> dict:
    """The base map rendered once into what the streamlit-folium component receives (strings only).

    Its GeoJSON is written to a static file (see :func:`cartographie.rendu.carte_donnees.split_base_map_data`)
    and left out of what is returned: each rerun then sends a few kilobytes of map script. Where
    the static folder cannot be written (a read-only installation), the data goes back at the
    head of the map's script: slower reruns, same map.
    """
    payload = _stored_base_map(folder, signature, tiles, screen, leaflet_js, leaflet_css, key)
    light = {name: value for name, value in payload.items() if name != "data"}
    try:
        _write_base_map_data(payload)
    except OSError:  # a read-only installation: the map's script and data go at the head of its script
        script = script_text() + payload["data"] + payload["script"]
        return {**light, "script": script, "js": [leaflet_js], "data_name": None}
    return light


#: Shape of what :func:`_render_base_map` returns (part of its disk cache key).
_BASE_MAP_FORMAT = 4


def _stored_base_map(
    folder: str, signature: tuple, tiles: bool, screen: float, leaflet_js: str, leaflet_css: str, key: str
) -> dict:
    """The rendered base map with its data, from the disk cache (rendered on the first call)."""
    from cartographie.lecture.cache import cached

    return cached(
        "fond-de-carte",
        (_BASE_MAP_FORMAT, script_name(), folder, signature, tiles, screen, leaflet_js, leaflet_css, key),
        lambda: _render_base_map(folder, signature, tiles, screen, leaflet_js, leaflet_css, key),
    )


def _layer_script(group, index: int) -> str:
    """One layer's script for the component (it attaches the layer to the map of the frame)."""
    import folium
    import streamlit_folium as sf

    host = folium.Map(tiles=None)  # only gives the layer a map to attach to while rendering
    return sf._get_feature_group_string(group, map=host, idx=index)


@st.cache_resource(show_spinner=False, max_entries=64)
def _optional_layer_script(folder: str, signature: tuple, key: str, index: int, _build) -> tuple[str, dict[str, str]]:
    """The script of an optional layer (data fetched from static files) and those files, once per key."""
    from cartographie.rendu.carte_donnees import fetch_layer_data

    group = _build()
    script = _layer_script(group, index)
    return fetch_layer_data(group, script, lambda name: static_url(f"fonds/{name}"))


def _scripts(layers: list) -> str:
    """The scripts of a rerun's layers: optional ones from their cache, the others rendered now."""
    from cartographie.rendu.carte import MapLayer

    parts = []
    for index, layer in enumerate(layers):
        if isinstance(layer, MapLayer):
            script, files = _optional_layer_script(*data_key(), layer.key, index, layer.build)
            try:
                for name, data in files.items():
                    _write_static(name, data, LAYER_DATA_KEPT)
            except OSError:  # a read-only installation: the data goes back into the script
                script = _layer_script(layer.build(), index)
            parts.append(script)
        else:
            parts.append(_layer_script(layer, index))
    return "".join(parts)


def folium_map(
    layers: list,
    *,
    key: str,
    height: int,
    tiles: bool = False,
    screen: float = 0,
    returned_objects: list[str] | None = None,
):
    """Draw the cached base map with the layers of this rerun (folium groups, or ``MapLayer``s memoised by key).

    ``screen``: the presentation screen's scale (0 elsewhere): larger symbols and names, no zoom buttons.

    Returns what the component returns (the last clicked feature, when asked for).
    """
    returned_objects = returned_objects or []
    try:
        js, css = leaflet_urls()
        arguments = (*data_key(), tiles, screen, js, css, key)
        payload = _base_map_payload(*arguments)
        if payload["data_name"] and not all(
            (data_dir() / name).is_file() for name in (payload["data_name"], script_name())
        ):
            _write_base_map_data(_stored_base_map(*arguments))  # pruned since, by another data folder
        strings = _scripts(layers)
        return _draw(payload, strings, height=height, returned_objects=returned_objects)
    except Exception as error:  # streamlit-folium or folium moved (a name, an argument, a format): the public way
        log.warning(
            "Carte par la voie publique de streamlit-folium (plus lente) : %s : %s", type(error).__name__, error
        )
        return _public_folium_map(
            layers, key=key, height=height, tiles=tiles, screen=screen, returned_objects=returned_objects
        )


def _draw(payload: dict, strings: str, *, height: int, returned_objects: list[str]):
    import streamlit_folium as sf

    component = sf._component_func
    return component(
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


def _public_folium_map(layers: list, *, key: str, height: int, tiles: bool, screen: float, returned_objects: list[str]):
    """The same map through streamlit-folium's public API: everything is sent at each rerun."""
    from streamlit_folium import st_folium

    from cartographie.rendu.carte import MapLayer, build_base_map

    js, css = leaflet_urls()
    try:
        _write_static(script_name(), script_text(), MAP_SCRIPTS_KEPT)
        script_url = static_url(f"fonds/{script_name()}")
    except OSError:
        script_url = None  # written into the map
    carte = build_base_map(
        cached_map_layers(*data_key()),
        leaflet_js=js,
        leaflet_css=css,
        script_url=script_url,
        tiles=tiles,
        screen=screen,
    )
    groups = [layer.build() if isinstance(layer, MapLayer) else layer for layer in layers]
    return st_folium(
        carte,
        feature_group_to_add=groups or None,
        height=height,
        use_container_width=True,
        returned_objects=returned_objects,
        key=f"{key}_public",
    )


def legend(blocks: list[str], *, screen: float = 0) -> None:
    """A map's legend (blocks from :mod:`cartographie.rendu.carte`), shown under the map, never over it."""
    from cartographie.rendu.legendes import legend_html

    st.html(legend_html(blocks, screen=screen))


def clicked_qpv(result: dict | None, state_key: str, last_click_key: str) -> None:
    """Select the QPV clicked on the map (only for a new click, so the picker keeps working)."""
    drawing = (result or {}).get("last_active_drawing") or {}
    code = (drawing.get("properties") or {}).get("code_qp")
    if code and code != st.session_state.get(last_click_key):
        st.session_state[last_click_key] = code
        st.session_state[state_key] = code
