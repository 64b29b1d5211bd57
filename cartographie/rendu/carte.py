"""Map building: display layers prepared once, the base map, and the layers added on demand.

The builders take frames and return folium objects; they never import Streamlit. Leaflet is
loaded from the app's own static folder (no CDN), and base-map tiles are optional: without
them the map shows the boundaries on a plain background.

The page draws a **base map** that does not change (departments, contrats de ville 2024,
legend) and passes everything that depends on the user's choices (the selected QPV, optional
layers, the credits choropleth) as separate layers: streamlit-folium swaps those without
reloading the map, so a filter change only sends what changed.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import folium
import numpy as np
import pandas as pd

from cartographie.domaine.formats import format_euros, format_nombre
from cartographie.domaine.territoires import STATUTS, hosting_communes
from cartographie.rendu.carte_js import Bind, Legend, QpvFilter, RegisterQpv, ResendHeight, UnderPane

if TYPE_CHECKING:  # geopandas is only needed to prepare the layers, done once and cached
    import geopandas as gpd

    from cartographie.lecture.reference import ReferenceData


#: Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
STATUT_COULEURS = {"NOUVEAU": "#D55E00", "MODIFIE": "#0072B2", "INCHANGE": "#009E73"}


CONTOUR_DEPARTEMENT = "#333333"


CONTOUR_EPCI = "#8a8a8a"


COULEUR_CONTRAT = "#CC79A7"


COULEUR_CONTRAT_2015 = "#E69F00"


COULEUR_COMMUNE = "#56B4E9"


COULEUR_SELECTION = "#000000"


#: Sequential, colour-blind-safe classes (viridis) for the credits choropleth, light to dark.
CLASSES_CREDITS = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")


OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


OSM_ATTRIBUTION = "© contributeurs OpenStreetMap"


@dataclass(frozen=True)
class MapLayer:
    """An optional layer that depends only on its ``key`` (and the data folder): rendered once, then reused.

    The map component keeps its rendered script (its data served as a static file) per key, so a
    rerun with the layer on costs a lookup instead of a GeoJSON serialisation.
    """

    key: str
    build: Callable[[], folium.FeatureGroup]


@dataclass(frozen=True)
class MapLayers:
    """Simplified, lightweight layers ready to be drawn (prepared once per data folder)."""

    qpv: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    epci: gpd.GeoDataFrame
    contrats_2024: gpd.GeoDataFrame
    contrats_2015: gpd.GeoDataFrame
    communes_qpv: gpd.GeoDataFrame
    attribution: str
    #: The same layers as GeoJSON (text properties HTML-escaped), built once: a rerun only
    #: picks features instead of serialising frames again.
    geojson: dict[str, dict]

    @property
    def bounds(self) -> list[list[float]]:
        """[[south, west], [north, east]] of the region."""
        return _bounds(self.departements)

    @property
    def qpv_count(self) -> int:
        """Number of QPV of the region."""
        return len(self.qpv)

    def qpv_feature(self, code_qp: str) -> dict | None:
        """The GeoJSON feature of one QPV."""
        return next((f for f in self.geojson["qpv"]["features"] if f["properties"]["code_qp"] == code_qp), None)


def _bounds(frame: gpd.GeoDataFrame) -> list[list[float]]:
    minx, miny, maxx, maxy = frame.total_bounds
    return [[round(float(miny), 5), round(float(minx), 5)], [round(float(maxy), 5), round(float(maxx), 5)]]


def prepare_map_layers(ref: ReferenceData) -> MapLayers:
    """Simplify and slim down the reference layers for display (done once, then cached).

    The contrats de ville 2024 reuse the simplified EPCI shapes of their carrier (or
    the commune for communal contrats), so their borders coincide with the EPCI layer.
    """
    import geopandas as gpd

    from cartographie.rendu.geometrie import simplify_layer

    qpv = simplify_layer(ref.qpv, "qpv")
    qpv = qpv[
        ["code_qp", "lib_qp", "lib_com", "insee_dep", "siren_epci", "code_cv_2024", "statut_2024_vs_2015", "geometry"]
    ]
    departements = simplify_layer(ref.departements[["insee_dep", "lib_dep", "geometry"]], "departements", coverage=True)
    epci = simplify_layer(ref.epci[["siren_epci", "lib_epci", "geometry"]], "epci", coverage=True)

    hosting = hosting_communes(ref)
    carriers = ref.contrats_2024[["code_cv", "lib_cv", "porteur_type", "porteur_code", "porteur_nom", "insee_dep"]]
    communal = set(carriers.loc[carriers["porteur_type"] == "commune", "porteur_code"])
    communes = simplify_layer(
        ref.communes.loc[ref.communes["insee_com"].isin(hosting | communal), ["insee_com", "nom", "geometry"]],
        "communes",
    )
    commune_shapes = communes.set_index("insee_com").geometry
    epci_shapes = epci.set_index("siren_epci").geometry
    geometry = [
        commune_shapes[code] if kind == "commune" else epci_shapes[code]
        for kind, code in zip(carriers["porteur_type"], carriers["porteur_code"], strict=True)
    ]
    contrats = gpd.GeoDataFrame(carriers.reset_index(drop=True), geometry=geometry, crs=4326)
    contrats_2015 = simplify_layer(ref.contrats_2015[["code_cv", "lib_cv", "geometry"]], "contrats_2015")
    communes_qpv = communes[communes["insee_com"].isin(hosting)].reset_index(drop=True)

    attribution = " ; ".join(
        f"{ref.source(cle).producteur.split(' (')[0]} {ref.source(cle).millesime}"
        for cle in ("qpv_2024", "contrats_ville_2024", "epci")
    )
    frames = {
        "qpv": qpv,
        "departements": departements,
        "epci": epci,
        "contrats_2024": contrats,
        "contrats_2015": contrats_2015,
        "communes_qpv": communes_qpv,
    }
    return MapLayers(
        qpv=qpv,
        departements=departements,
        epci=epci,
        contrats_2024=contrats,
        contrats_2015=contrats_2015,
        communes_qpv=communes_qpv,
        attribution=attribution,
        geojson={name: _escaped_geojson(frame) for name, frame in frames.items()},
    )


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _escaped_geojson(frame: gpd.GeoDataFrame) -> dict:
    """GeoJSON of a frame whose text properties are HTML-escaped (tooltips are HTML)."""
    out = frame.copy()
    for column in out.columns:
        if column != out.geometry.name and (pd.api.types.is_string_dtype(out[column]) or out[column].dtype == object):
            out[column] = out[column].map(lambda v: html.escape(str(v)) if v is not None and v == v else "")
    return json.loads(out.to_json(drop_id=True))


def legend_html(attribution: str) -> str:
    """HTML of the legend: QPV colours by status, outlines, and the sources.

    No counts here: the legend belongs to the base map, which does not change with the
    filters; the page states how many QPV the selection holds.
    """
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:14px;background:{STATUT_COULEURS[code]};'
        f'opacity:.75;border:1px solid {STATUT_COULEURS[code]};vertical-align:-2px;margin-right:6px"></span>'
        f"{html.escape(STATUTS[code])}</div>"
        for code in ("NOUVEAU", "MODIFIE", "INCHANGE")
    )
    outlines = (
        f'<div><span style="display:inline-block;width:14px;border-top:2px solid {CONTOUR_DEPARTEMENT};'
        'vertical-align:middle;margin-right:6px"></span>Département</div>'
        f'<div><span style="display:inline-block;width:14px;border-top:1px dashed {CONTOUR_EPCI};'
        'vertical-align:middle;margin-right:6px"></span>EPCI</div>'
        f'<div><span style="display:inline-block;width:14px;height:10px;background:{COULEUR_CONTRAT};opacity:.35;'
        'margin-right:6px"></span>Contrat de ville 2024–2030</div>'
    )
    return (
        "<strong>QPV 2024</strong> – statut par rapport à 2015"
        + rows
        + outlines
        + f'<div style="margin-top:4px;font-size:11px;color:#555">Sources : {html.escape(attribution)}</div>'
    )


def build_base_map(layers: MapLayers, *, leaflet_js: str, leaflet_css: str, tiles: bool = False) -> folium.Map:
    """The map that does not depend on the user's filters: departments, contrats de ville, legend.

    Parameters
    ----------
    layers
        Display layers from :func:`prepare_map_layers`.
    leaflet_js, leaflet_css
        Addresses of Leaflet served by the app itself (never a CDN).
    tiles
        Add OpenStreetMap tiles (needs internet); without them only boundaries are drawn.
    """
    carte = folium.Map(location=[48.7, 5.6], zoom_start=7, tiles=None, control_scale=True, zoom_snap=0.25)
    carte.default_js = [("leaflet", leaflet_js)]
    carte.default_css = [("leaflet_css", leaflet_css)]
    carte.fit_bounds(layers.bounds)
    carte.get_root().header.add_child(
        folium.Element(
            "<style>.leaflet-container{font:13px/1.4 sans-serif}"
            ".leaflet-control-layers,.leaflet-tooltip{font-size:13px}"
            ".leaflet-control-layers label{margin:0}</style>"
        )
    )
    if tiles:
        folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="Fond OpenStreetMap", max_zoom=19).add_to(carte)
    folium.GeoJson(
        layers.geojson["departements"],
        name="Départements",
        style_function=lambda _: {"color": CONTOUR_DEPARTEMENT, "weight": 2, "fill": False},
        tooltip=folium.GeoJsonTooltip(fields=["lib_dep", "insee_dep"], aliases=["Département", "Code"]),
    ).add_to(carte)
    folium.GeoJson(
        layers.geojson["contrats_2024"],
        name="Contrats de ville 2024–2030",
        style_function=lambda _: {
            "color": COULEUR_CONTRAT,
            "weight": 1,
            "fillColor": COULEUR_CONTRAT,
            "fillOpacity": 0.12,
        },
        tooltip=folium.GeoJsonTooltip(fields=["lib_cv", "porteur_nom"], aliases=["Contrat de ville", "Porteur"]),
    ).add_to(carte)
    UnderPane().add_to(carte)
    for code in ("NOUVEAU", "MODIFIE", "INCHANGE"):
        subset = [f for f in layers.geojson["qpv"]["features"] if f["properties"]["statut_2024_vs_2015"] == code]
        if not subset:
            continue
        couleur = STATUT_COULEURS[code]
        couche = folium.GeoJson(
            _collection(subset),
            name=f"QPV {STATUTS[code].lower()}s",
            style_function=lambda _, c=couleur: {"color": c, "weight": 1.5, "fillColor": c, "fillOpacity": 0.55},
            highlight_function=lambda _: {"weight": 3, "fillOpacity": 0.8},
            tooltip=folium.GeoJsonTooltip(
                fields=["lib_qp", "code_qp", "lib_com"], aliases=["QPV", "Code", "Commune(s)"]
            ),
        )
        RegisterQpv().add_to(couche)
        couche.add_to(carte)
    Legend(legend_html(layers.attribution), carte.get_name()).add_to(carte)
    ResendHeight(layers.bounds).add_to(carte)
    return carte


def qpv_filter_layer(codes: set[str] | None, key: str) -> folium.FeatureGroup:
    """The (tiny) layer that shows only ``codes`` among the base map's QPV and fits the map to them."""
    group = folium.FeatureGroup(name="Sélection", control=False)
    QpvFilter(sorted(codes) if codes is not None else None, key).add_to(group)
    return group


def build_qpv_map(
    layers: MapLayers,
    *,
    leaflet_js: str,
    leaflet_css: str,
    tiles: bool = False,
    statuts: tuple[str, ...] = ("NOUVEAU", "MODIFIE", "INCHANGE"),
    codes: set[str] | None = None,
) -> folium.Map:
    """The whole map in one object (base map and QPV filter), as a standalone page shows it.

    Returns
    -------
    folium.Map
        A map whose only external resources are the two Leaflet addresses given.
    """
    carte = build_base_map(layers, leaflet_js=leaflet_js, leaflet_css=leaflet_css, tiles=tiles)
    chosen = set(layers.qpv.loc[layers.qpv["statut_2024_vs_2015"].isin(statuts), "code_qp"])
    if codes is not None:
        chosen &= set(codes)
    everything = len(chosen) == len(layers.qpv)
    qpv_filter_layer(None if everything else chosen, "carte").add_to(carte)
    folium.LayerControl(collapsed=True, position="topright").add_to(carte)
    return carte


def _under_layer(name: str, geojson: dict, style: dict, fields: list[str], aliases: list[str]) -> folium.FeatureGroup:
    """An optional layer drawn under the QPV (so that it never hides them from the mouse)."""
    group = folium.FeatureGroup(name=name)
    folium.GeoJson(
        geojson,
        style_function=lambda _: style,
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
        pane="dessous",
    ).add_to(group)
    return group


def epci_layer(geojson: dict) -> folium.FeatureGroup:
    """EPCI outlines (``MapLayers.geojson["epci"]``), sent only when asked for (they weigh more than the QPV)."""
    style = {"color": CONTOUR_EPCI, "weight": 1, "dashArray": "4 3", "fill": False}
    return _under_layer("EPCI", geojson, style, ["lib_epci"], ["EPCI"])


def communes_layer(geojson: dict) -> folium.FeatureGroup:
    """The communes hosting at least one QPV (``MapLayers.geojson["communes_qpv"]``)."""
    style = {"color": COULEUR_COMMUNE, "weight": 1.5, "fillColor": COULEUR_COMMUNE, "fillOpacity": 0.1}
    return _under_layer("Communes ayant un QPV", geojson, style, ["nom", "insee_com"], ["Commune", "Code INSEE"])


def contrats_2015_layer(geojson: dict) -> folium.FeatureGroup:
    """The perimeters of the contrats de ville 2015–2023 (``MapLayers.geojson["contrats_2015"]``)."""
    style = {"color": COULEUR_CONTRAT_2015, "weight": 2, "dashArray": "6 4", "fill": False}
    return _under_layer(
        "Contrats de ville 2015–2023",
        geojson,
        style,
        ["lib_cv", "code_cv"],
        ["Contrat de ville 2015", "Code"],
    )


def credit_classes(values: pd.Series, n: int = len(CLASSES_CREDITS)) -> list[float]:
    """Upper bounds of ``n`` quantile classes (fewer when there are few distinct values)."""
    distinct = np.unique(values.dropna().to_numpy(float))
    if distinct.size == 0:
        return []
    return sorted({float(np.quantile(distinct, q)) for q in np.linspace(1 / n, 1, n)})


def credits_perimeters(annee: int) -> str:
    """The layer of ``MapLayers.geojson`` the credits of ``annee`` are drawn on."""
    return "contrats_2024" if annee >= 2024 else "contrats_2015"


def credits_layer(
    perimeters: dict,
    values: pd.Series,
    *,
    annee: int,
    mesure: str,
    source: str,
    warning: str = "",
    map_name: str = "map_div",
) -> folium.FeatureGroup:
    """Choropleth of the credits by contrat de ville, with a legend naming the source and year.

    ``values`` is indexed by contrat code: 2015 codes (``CVnnn``) for 2020–2023, drawn on the
    2015 perimeters; 2024 codes for 2024–2025, drawn on the carriers' perimeters
    (``perimeters`` is the GeoJSON named by :func:`credits_perimeters`). ``warning`` (the
    data-quality alerts of the year) goes into the legend and every tooltip.
    """
    base = perimeters
    bounds = credit_classes(values)

    def colour(code: str) -> str | None:
        value = values.get(code)
        if value is None or value != value:
            return None
        return CLASSES_CREDITS[min(next(i for i, b in enumerate(bounds) if value <= b), len(CLASSES_CREDITS) - 1)]

    def label(value: float) -> str:
        return format_euros(value) if mesure == "montant" else f"{format_nombre(value)} postes"

    flag = " ⚠ données douteuses" if warning else ""

    features = []
    for feature in base["features"]:
        code = feature["properties"]["code_cv"]
        if colour(code) is None:
            continue
        props = {**feature["properties"], "valeur": html.escape(label(values[code]) + flag), "couleur": colour(code)}
        features.append({**feature, "properties": props})
    title = "Crédits adultes-relais et FONJEP" + (" (montant)" if mesure == "montant" else " (postes)")
    group = folium.FeatureGroup(name=f"{title} {annee}")
    folium.GeoJson(
        _collection(features),
        style_function=lambda f: {
            "color": "#555",
            "weight": 1,
            "fillColor": f["properties"]["couleur"],
            "fillOpacity": 0.7,
        },
        tooltip=folium.GeoJsonTooltip(fields=["lib_cv", "valeur"], aliases=["Contrat de ville", f"{annee}"]),
        pane="dessous",
    ).add_to(group)
    lower = [values.min(), *bounds[:-1]]
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:12px;background:{CLASSES_CREDITS[i]};'
        f'margin-right:6px;vertical-align:-1px"></span>{html.escape(label(lo))} – {html.escape(label(hi))}</div>'
        for i, (lo, hi) in enumerate(zip(lower, bounds, strict=True))
    )
    alert = (
        '<div style="margin-top:4px;padding:3px 5px;border:2px solid #7a0000;color:#7a0000;font-weight:700">'
        f"⚠ Données douteuses : {html.escape(warning)} (détail sous la carte)</div>"
        if warning
        else ""
    )
    legend = (
        f"<strong>{html.escape(title)}, {annee}</strong>{rows}{alert}"
        f'<div style="margin-top:4px;font-size:11px;color:#555">Source : {html.escape(source)}, année {annee}</div>'
    )
    Legend(legend, map_name, position="bottomleft", label=f"Légende des crédits {annee}", follow_layer=True).add_to(
        group
    )
    return group


def selection_layer(feature: dict | None) -> folium.FeatureGroup | None:
    """A layer outlining the selected QPV (its GeoJSON feature), added to the map without re-rendering it."""
    if feature is None:
        return None
    selected = [feature]
    group = folium.FeatureGroup(name="QPV sélectionné", control=False)
    folium.GeoJson(
        _collection(selected),
        style_function=lambda _: {"color": COULEUR_SELECTION, "weight": 4, "fill": False},
        interactive=False,
    ).add_to(group)
    return group


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
    parts = []
    for name, call, literal in list(_geojson_calls(carte, script)):
        script = script.replace(call, f"{name}_add(window.{DATA_GLOBAL}[{json.dumps(name)}]);")
        parts.append(f"{json.dumps(name)}:{literal}")
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
    for child in element._children.values():
        if isinstance(child, folium.GeoJson) and child.embed:
            found.append(child)
        found.extend(_embedded_geojson(child))
    return found


def map_html(carte: folium.Map) -> str:
    """Standalone HTML of a map (what a browser receives; used by tests and the benchmark)."""
    return carte.get_root().render()


def events_layer(events: pd.DataFrame, colours: dict[str, str]) -> folium.FeatureGroup:
    """Markers of the events held in a known place, coloured by type (titles escaped: tooltips are HTML)."""
    group = folium.FeatureGroup(name="Rencontres")
    placed = events.dropna(subset=["latitude", "longitude"])
    # Several events in one place (a day and its workshops): one marker, listing them all.
    for (lat, lon), rows in placed.groupby(["latitude", "longitude"], sort=False):
        first = rows.iloc[0]
        lines = "".join(f"<div>{html.escape(r.date_libelle)} – {html.escape(r.titre)}</div>" for r in rows.itertuples())
        marker = folium.CircleMarker(
            location=[lat, lon],
            radius=7 + min(len(rows), 8),
            color="#222",
            weight=1,
            fill=True,
            fill_color=colours.get(first["type"], "#777"),
            fill_opacity=0.85,
        )
        Bind(f"<strong>{html.escape(first['lieu'])}</strong>{lines}").add_to(marker)
        marker.add_to(group)
    return group


def experiences_layer(points: pd.DataFrame) -> folium.FeatureGroup:
    """Markers of cooperation experiences on their territory (``id``, ``titre``, ``latitude``, ``longitude``).

    Titles are escaped: tooltips and popups are HTML, and titles come from users.
    """
    group = folium.FeatureGroup(name="Expériences de coopération")
    for row in points.dropna(subset=["latitude", "longitude"]).itertuples():
        text = html.escape(str(row.titre))
        marker = folium.Marker(
            location=[row.latitude, row.longitude],
            icon=folium.DivIcon(
                html='<div style="width:14px;height:14px;background:#F0E442;border:2px solid #222;'
                'transform:rotate(45deg)"></div>',
                icon_size=(14, 14),
                icon_anchor=(7, 7),
                class_name="carto-experience",
            ),
        )
        Bind(f"<strong>Expérience</strong><br>{text}").add_to(marker)
        Bind(f"<strong>{text}</strong>", popup=True).add_to(marker)
        marker.add_to(group)
    return group
