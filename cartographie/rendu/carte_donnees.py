"""The map's data sent apart from its script: the base map's GeoJSON in a file the browser caches.

folium writes each layer's data into the map's script; the app cuts it out into a static file of its
own (``window.cartographieFond``), so that a rerun sends the small script only. Reads folium's
output exactly: a version that renders it otherwise raises ``ValueError``, and the map component
falls back to the map as folium writes it (:mod:`cartographie.ui.composant_carte`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

import folium

from cartographie.rendu.carte_js import children

#: Object of the map's frame that holds the base map's GeoJSON (see :func:`split_base_map_data`).
DATA_GLOBAL = "cartographieFond"


def _geojson_calls(element, script: str):
    """``(name, call, literal)`` of each GeoJSON layer under ``element`` whose data is written into ``script``.

    folium writes each layer's data into the script as ``<layer>_add(<json>);``. Raises
    ``ValueError`` if a layer's data cannot be found exactly once (a folium version that renders
    it otherwise).
    """
    from jinja2.utils import htmlsafe_json_dumps  # what folium's template uses for ``|tojson``

    for layer in _embedded_geojson(element):
        name = layer.get_name()
        literal = str(htmlsafe_json_dumps(layer.data, dumps=json.dumps, sort_keys=True))
        call = f"{name}_add({literal});"
        if script.count(call) != 1:
            raise ValueError(f"Données de la couche {name} introuvables dans le script de la carte.")
        yield name, call, literal


def split_base_map_data(carte: folium.Map, script: str) -> tuple[str, str]:
    """Take the GeoJSON of the base map's layers out of its rendered script.

    Sent through the map component, those bytes (2.5 MB at national scale) would be serialised
    and hashed by the server at every rerun, although they never change. The data goes instead
    into a script of its own, served as a static file and loaded by the frame before the map's
    script, which reads it from ``window.cartographieFond``.

    Returns the script without the data, and the data script.
    """
    from jinja2.utils import htmlsafe_json_dumps

    parts = []
    for name, call, literal in list(_geojson_calls(carte, script)):
        script = script.replace(call, f"{name}_add(window.{DATA_GLOBAL}[{json.dumps(name)}]);")
        parts.append(f"{json.dumps(name)}:{literal}")
    # The scene's data (the symbols' moves at every zoom) goes with the perimeters.
    for child in children(carte):
        for field in getattr(child, "DATA_FIELDS", ()):
            literal = str(htmlsafe_json_dumps(getattr(child, field), dumps=json.dumps, sort_keys=True))
            key = f"{child.get_name()}:{field}"
            if script.count(literal) != 1:
                raise ValueError(f"Données {key} introuvables dans le script de la carte.")
            script = script.replace(literal, f"window.{DATA_GLOBAL}[{json.dumps(key)}]")
            parts.append(f"{json.dumps(key)}:{literal}")
    return script, f"window.{DATA_GLOBAL}={{{','.join(parts)}}};\n"


def fetch_layer_data(group: folium.FeatureGroup, script: str, url: Callable[[str], str]) -> tuple[str, dict[str, str]]:
    """Take the GeoJSON out of an optional layer's script: the layer fetches it from a static file.

    ``url`` gives the address of a file from its name. Returns the script (a few hundred bytes,
    sent at each rerun while the layer is on) and the files to serve (name → JSON), named after
    their content so that the browser fetches each once.
    """
    files = {}
    for name, call, literal in list(_geojson_calls(group, script)):
        file_name = f"couche-{hashlib.sha256(literal.encode()).hexdigest()[:20]}.json"
        files[file_name] = literal
        fetch = f"fetch({json.dumps(url(file_name))}).then(function (r) {{ return r.json(); }}).then({name}_add);"
        script = script.replace(call, fetch)
    return script, files


def _embedded_geojson(element) -> list[folium.GeoJson]:
    """Every GeoJson layer under ``element`` whose data is written into the script."""
    found = []
    for child in children(element):
        if isinstance(child, folium.GeoJson) and child.embed:
            found.append(child)
        found.extend(_embedded_geojson(child))
    return found
