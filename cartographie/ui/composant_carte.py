"""The map component: the cached base map, the layers of each rerun, the clicks."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from cartographie import config
from cartographie.ui.cache import _base_map_payload, _cached_map_layers, _folder_signature, _stored_base_map
from cartographie.ui.mise_en_page import _static_url, leaflet_urls

if TYPE_CHECKING:  # the heavy modules are imported where used, so that cached pages start light
    pass


def _render_base_map(folder: str, signature: tuple, tiles: bool, leaflet_js: str, leaflet_css: str, key: str) -> dict:
    import streamlit_folium as sf

    from cartographie.rendu.carte import build_base_map, split_base_map_data

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
    from cartographie.lecture.cache import keep_most_recent, mark_used, write_atomically

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


def clicked_qpv(result: dict | None, state_key: str, last_click_key: str) -> None:
    """Select the QPV clicked on the map (only for a new click, so the picker keeps working)."""
    drawing = (result or {}).get("last_active_drawing") or {}
    code = (drawing.get("properties") or {}).get("code_qp")
    if code and code != st.session_state.get(last_click_key):
        st.session_state[last_click_key] = code
        st.session_state[state_key] = code
