from __future__ import annotations

import re
import shutil
import subprocess

import pandas as pd
import pytest

from cartographie import load_reference
from cartographie.rendu.carte import (
    build_base_map,
    build_qpv_map,
    epci_layer,
    map_html,
    prepare_map_layers,
)

LOCAL_JS, LOCAL_CSS = "/app/static/leaflet/leaflet.js", "/app/static/leaflet/leaflet.css"
REMOTE_ASSET = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


EVENTS = pd.DataFrame(
    {
        "id": ["e"],
        "type": ["atelier"],
        "titre": ["t"],
        "date_libelle": ["d"],
        "lieu": [""],
        "latitude": [48.0],
        "longitude": [5.0],
    }
)


@pytest.fixture
def tiny_layers(tiny_folder):
    return prepare_map_layers(load_reference(tiny_folder))


def _html(layers, **kwargs):
    """The rendered page, with the JSON unicode escapes of folium and Jinja decoded."""
    page = map_html(build_qpv_map(layers, leaflet_js=LOCAL_JS, leaflet_css=LOCAL_CSS, **kwargs))
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)


def test_map_draws_every_qpv_and_loads_only_local_leaflet(tiny_layers):
    page = _html(tiny_layers)
    for code in ("QN00101M", "QN00102N", "QN00201I"):
        assert page.count(f'"code_qp": "{code}"') == 1
    assert f'src="{LOCAL_JS}"' in page and f'href="{LOCAL_CSS}"' in page
    assert not REMOTE_ASSET.search(page)
    assert "cdn" not in page.lower()


def test_map_without_tiles_has_no_tile_layer_and_osm_is_opt_in(tiny_layers):
    assert "tileLayer" not in _html(tiny_layers)
    assert "tile.openstreetmap.org" in _html(tiny_layers, tiles=True)


def test_qpv_names_are_html_escaped_in_the_map(tiny_layers):
    page = _html(tiny_layers)
    assert "Centre &lt;Gare&gt;" in page
    assert "Centre <Gare>" not in page


def test_status_filter_shows_only_the_chosen_qpv(tiny_layers):
    # Every perimeter travels once with the base map; the filter is a short list of codes.
    page = _html(tiny_layers, statuts=("NOUVEAU",))
    assert 'carto.filtrerQpv(...[["QN00102N"], null, "carte", null]);' in page
    assert 'carto.filtrerQpv(...[null, null, "carte", null]);' in _html(tiny_layers)


def test_a_filter_change_sends_only_a_short_layer(tiny_layers):
    from cartographie.rendu.carte import qpv_filter_layer

    group = qpv_filter_layer({"QN00101M"}, "dep-01")
    carte = build_base_map(tiny_layers, leaflet_js=LOCAL_JS, leaflet_css=LOCAL_CSS)
    group.add_to(carte)
    carte.get_root().render()
    script = group._children[next(iter(group._children))]._template.module.script(
        group._children[next(iter(group._children))]
    )
    assert '["QN00101M"]' in script and '"dep-01"' in script and "coordinates" not in script


def test_height_is_resent_to_streamlit_once_drawn(tiny_layers):
    page = _html(tiny_layers)
    assert "streamlit:setFrameHeight" in page and "whenReady" in page


def test_contrat_layer_reuses_carrier_shapes(tiny_layers):
    contrats = tiny_layers.contrats_2024.set_index("code_cv")
    epci = tiny_layers.epci.set_index("siren_epci")
    assert contrats.loc["CN00101M", "geometry"].equals(epci.loc["200000001", "geometry"])


def test_an_optional_layer_draws_every_feature_of_its_data(tiny_layers):
    import folium

    geojson = tiny_layers.geojson["epci"]
    carte = folium.Map(tiles=None)
    epci_layer(geojson).add_to(carte)
    page = map_html(carte)
    codes = {f["properties"]["siren_epci"] for f in geojson["features"]}
    assert codes and all(f'"siren_epci": "{code}"' in page for code in codes)


def test_place_names_are_regional_cities_departments_then_communes_by_population(tiny_layers):
    from shapely.geometry import Point

    names = [(p["type"], p["nom"]) for p in tiny_layers.places]
    assert {n for k, n in names if k == "dep"} == {"Ain-Test", "Aisne-Test"}
    rank = [0 if p.get("force") else 1 if p["type"] == "dep" else 2 for p in tiny_layers.places]
    assert rank == sorted(rank)  # regional cities, then every department, then the other communes
    assert {n for k, n in names if k == "commune"} == {"Aville", "Cœurville"}
    assert all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in tiny_layers.places)
    # A department's name may move, but only to points inside the department.
    shapes = dict(zip(tiny_layers.departements["lib_dep"], tiny_layers.departements.geometry, strict=True))
    for place in (p for p in tiny_layers.places if p["type"] == "dep"):
        assert len(place["points"]) >= 2
        assert all(shapes[place["nom"]].contains(Point(lon, lat)) for lat, lon in place["points"])


def test_the_base_map_draws_no_legend_over_its_data_and_has_a_metric_scale(tiny_layers):
    page = _html(tiny_layers)
    assert "carto-legende" not in page and "L.control({" not in page
    assert "imperial: false" in page
    assert "Carte des quartiers prioritaires" in page  # the map's accessible name


def test_the_legend_beside_the_map_names_statuses_and_escapes_text():
    from cartographie.rendu.legendes import base_legend, credits_legend, legend_html

    page = legend_html([*base_legend(selected=True)], sources="ANCT <2024>")
    assert "Nouveau" in page and "Modifié" in page and "Inchangé" in page and "Quartier choisi" in page
    assert "ANCT &lt;2024&gt;" in page and 'aria-label="Légende de la carte"' in page
    block = credits_legend(pd.Series({"A": 100.0, "B": 7164.0}), annee=2025, mesure="montant", source="ANCT",
                           warning="postes répétés")  # fmt: skip
    assert "Données douteuses : postes répétés" in block[0] and "Source : ANCT, année 2025" in block[0]


@pytest.mark.donnees_reelles
def test_real_map_holds_the_123_qpv_without_remote_asset(real_reference):
    layers = prepare_map_layers(real_reference)
    page = _html(layers)
    assert len(set(re.findall(r'"code_qp": "(QN\w+)"', page))) == 123
    assert not REMOTE_ASSET.search(page)
    # The whole-region map stays light (target of the performance issue: at most 450 KB).
    assert len(page.encode()) <= 450_000


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js absent : syntaxe JavaScript non vérifiée.")
def test_every_script_of_the_map_parses(tiny_layers, tmp_path):
    from cartographie.rendu import carte as rendu

    carte = build_base_map(tiny_layers, leaflet_js=LOCAL_JS, leaflet_css=LOCAL_CSS)
    geojson = tiny_layers.geojson
    groups = [
        rendu.credits_layer(
            geojson[rendu.credits_perimeters(2024)],
            pd.Series({"CN00101M": 7164.0, "CN00201I": 100.0}),
            annee=2024,
            mesure="montant",
            source="ANCT",
        ),
        rendu.contrats_2015_layer(geojson["contrats_2015"]),
        rendu.communes_layer(geojson["communes_qpv"]),
        rendu.epci_layer(geojson["epci"]),
        rendu.qpv_filter_layer({"QN00101M", "QN00201I"}, "test"),
        rendu.qpv_filter_layer({"QN00101M"}, "choix", "QN00101M"),
        rendu.events_layer(EVENTS, {"atelier": "#CC79A7"}, selected="e"),
        rendu.experiences_layer(
            pd.DataFrame({"id": ["x"], "titre": ["Un titre"], "latitude": [48.0], "longitude": [5.0]}), selected="x"
        ),
    ]
    for group in groups:
        group.add_to(carte)
    page = map_html(carte)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert scripts
    path = tmp_path / "carte.js"
    path.write_text("\n;\n".join(scripts), encoding="utf-8")
    result = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert all(g is not None for g in groups)


def test_credits_choropleth_classes_and_legend_name_source_and_year(tiny_layers):
    from cartographie.rendu.carte import CLASSES_CREDITS, credit_classes, credits_layer
    from cartographie.rendu.legendes import credits_legend

    values = pd.Series({"CN00101M": 7164.0, "CN00201I": 100.0})
    assert credit_classes(values, 2) == [3632.0, 7164.0]
    assert credit_classes(pd.Series(dtype=float)) == []
    carte = build_base_map(tiny_layers, leaflet_js=LOCAL_JS, leaflet_css=LOCAL_CSS)
    credits_layer(
        tiny_layers.geojson["contrats_2024"], values, annee=2024, mesure="montant", source="ANCT, Dauphin"
    ).add_to(carte)
    page = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), map_html(carte))
    assert "7\u202f164\u00a0€" in page  # in the tooltips
    assert CLASSES_CREDITS[-1] in page
    legend = credits_legend(values, annee=2024, mesure="montant", source="ANCT, Dauphin")[0]
    assert "Source : ANCT, Dauphin, année 2024" in legend and CLASSES_CREDITS[-1] in legend


def test_user_titles_cannot_break_out_of_the_map_script(tiny_layers, tmp_path):
    from cartographie.rendu.carte import experiences_layer

    hostile = "<img src=x onerror=alert(1)> `${alert(2)}` </script><script>alert(3)</script>"
    points = pd.DataFrame({"id": ["x"], "titre": [hostile], "latitude": [48.05], "longitude": [5.05]})
    carte = build_base_map(tiny_layers, leaflet_js=LOCAL_JS, leaflet_css=LOCAL_CSS)
    experiences_layer(points).add_to(carte)
    page = map_html(carte)
    assert "</script><script>alert(3)" not in page
    # Bound as JSON strings, never inside a JavaScript template literal (where `${…}` would run).
    assert "bindTooltip(`" not in page and "$(`" not in page
    assert 'bindTooltip("' in page and 'bindPopup("' in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in re.sub(
        r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page
    )
    if shutil.which("node"):
        path = tmp_path / "carte.js"
        path.write_text("\n;\n".join(re.findall(r"<script>(.*?)</script>", page, re.S)), encoding="utf-8")
        assert subprocess.run(["node", "--check", str(path)], capture_output=True, check=False).returncode == 0


def _rendered_base_map(layers):
    carte = build_base_map(layers, leaflet_js=LOCAL_JS, leaflet_css=LOCAL_CSS)
    page = map_html(carte)
    script = re.findall(r"<script>(.*?)</script>", page, re.S)[-1]
    return carte, script


def test_base_map_data_moves_to_a_script_of_its_own(tiny_layers, tmp_path):
    import json

    from cartographie.rendu.carte_donnees import DATA_GLOBAL, split_base_map_data

    carte, script = _rendered_base_map(tiny_layers)
    small, data = split_base_map_data(carte, script)
    assert "FeatureCollection" in script and "FeatureCollection" not in small
    assert '"coordinates"' in script and '"coordinates"' not in small  # the data left the script
    references = re.findall(rf'(\w+)_add\(window\.{DATA_GLOBAL}\["(\w+)"\]\);', small)
    assert references and all(call == name for call, name in references)
    # Nothing lost: the data script holds each layer's GeoJSON, as folium had it.
    assert data.startswith(f"window.{DATA_GLOBAL}={{") and data.endswith("};\n")
    literals = json.loads(data[len(f"window.{DATA_GLOBAL}=") : -2])
    # The scene's moves of the symbols travel with the perimeters, referred to by the script.
    scene = {key: value for key, value in literals.items() if key.endswith(":decalages")}
    assert len(scene) == 1 and all(f'window.{DATA_GLOBAL}["{key}"]' in small for key in scene)
    literals = {key: value for key, value in literals.items() if key not in scene}
    assert sorted(literals) == sorted(name for name, _ in references)
    layers = {child.get_name(): child.data for child in carte._children.values() if hasattr(child, "embed")}
    assert all(literals[name] == layers[name] for name in literals)
    codes = {
        f["properties"]["code_qp"]
        for layer in literals.values()
        for f in layer["features"]
        if "code_qp" in f["properties"]
    }
    assert codes == {"QN00101M", "QN00102N", "QN00201I"}
    # Still escaped for HTML: a name cannot close the script that loads it.
    assert "<" not in data and "Centre \\u0026lt;Gare\\u0026gt;" in data
    if shutil.which("node"):
        path = tmp_path / "fond.js"
        path.write_text(f"const window = {{}};\n{data}\nconsole.log(Object.keys(window.{DATA_GLOBAL}).length);")
        result = subprocess.run(["node", str(path)], capture_output=True, text=True, check=False)
        assert result.returncode == 0 and result.stdout.strip() == str(len(references) + len(scene))
        path.write_text(small)
        assert subprocess.run(["node", "--check", str(path)], capture_output=True, check=False).returncode == 0


def test_base_map_data_not_found_is_an_error(tiny_layers):
    from cartographie.rendu.carte_donnees import split_base_map_data

    carte, script = _rendered_base_map(tiny_layers)
    with pytest.raises(ValueError, match="introuvables"):
        split_base_map_data(carte, script.replace("_add({", "_add( {"))
