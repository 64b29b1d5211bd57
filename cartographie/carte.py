"""Map building: display layers prepared once, and the folium map of the QPV.

The builders take frames and return a ``folium.Map``; they never import Streamlit.
Leaflet is loaded from the app's own static folder (no CDN), and base-map tiles are
optional: without them the map shows the boundaries on a plain background.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from cartographie.geometry import simplify_layer
from cartographie.reference import STATUTS, ReferenceData

#: Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
STATUT_COULEURS = {"NOUVEAU": "#D55E00", "MODIFIE": "#0072B2", "INCHANGE": "#009E73"}
CONTOUR_DEPARTEMENT = "#333333"
CONTOUR_EPCI = "#8a8a8a"
COULEUR_CONTRAT = "#CC79A7"
COULEUR_SELECTION = "#000000"

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© contributeurs OpenStreetMap"


@dataclass(frozen=True)
class MapLayers:
    """Simplified, lightweight layers ready to be drawn (prepared once per data folder)."""

    qpv: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    epci: gpd.GeoDataFrame
    contrats_2024: gpd.GeoDataFrame
    attribution: str

    @property
    def bounds(self) -> list[list[float]]:
        """[[south, west], [north, east]] of the region."""
        minx, miny, maxx, maxy = self.departements.total_bounds
        return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def prepare_map_layers(ref: ReferenceData) -> MapLayers:
    """Simplify and slim down the reference layers for display (done once, then cached).

    The contrats de ville 2024 reuse the simplified EPCI shapes of their carrier (or
    the commune for communal contrats), so their borders coincide with the EPCI layer.
    """
    qpv = simplify_layer(ref.qpv, "qpv")
    qpv = qpv[
        ["code_qp", "lib_qp", "lib_com", "insee_dep", "siren_epci", "code_cv_2024", "statut_2024_vs_2015", "geometry"]
    ]
    qpv = qpv.assign(lib_com=qpv["lib_com"].str.replace(";", ", "))
    departements = simplify_layer(ref.departements[["insee_dep", "lib_dep", "geometry"]], "departements", coverage=True)
    epci = simplify_layer(ref.epci[["siren_epci", "lib_epci", "geometry"]], "epci", coverage=True)

    carriers = ref.contrats_2024[["code_cv", "lib_cv", "porteur_type", "porteur_code", "porteur_nom", "insee_dep"]]
    epci_shapes = epci.set_index("siren_epci").geometry
    communal = carriers["porteur_type"] == "commune"
    commune_shapes = (
        simplify_layer(
            ref.communes.loc[
                ref.communes["insee_com"].isin(carriers.loc[communal, "porteur_code"]), ["insee_com", "geometry"]
            ],
            "communes",
        )
        .set_index("insee_com")
        .geometry
    )
    geometry = [
        commune_shapes[code] if kind == "commune" else epci_shapes[code]
        for kind, code in zip(carriers["porteur_type"], carriers["porteur_code"], strict=True)
    ]
    contrats = gpd.GeoDataFrame(carriers.reset_index(drop=True), geometry=geometry, crs=4326)

    attribution = " ; ".join(
        f"{ref.source(cle).producteur.split(' (')[0]} {ref.source(cle).millesime}"
        for cle in ("qpv_2024", "contrats_ville_2024", "epci")
    )
    return MapLayers(qpv=qpv, departements=departements, epci=epci, contrats_2024=contrats, attribution=attribution)


def _escaped_geojson(frame: gpd.GeoDataFrame) -> dict:
    """GeoJSON of a frame whose text properties are HTML-escaped (tooltips are HTML)."""
    out = frame.copy()
    for column in out.columns:
        if column != out.geometry.name and (pd.api.types.is_string_dtype(out[column]) or out[column].dtype == object):
            out[column] = out[column].map(lambda v: html.escape(str(v)) if v is not None and v == v else "")
    return json.loads(out.to_json(drop_id=True))


class _Legend(MacroElement):
    """A static legend drawn as a Leaflet control (no external asset)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legende = L.control({position: "bottomright"});
            legende.onAdd = function () {
                var div = L.DomUtil.create("div", "carto-legende");
                div.setAttribute("role", "note");
                div.setAttribute("aria-label", "Légende de la carte");
                div.style.cssText = "background:#fff;padding:6px 10px;border:1px solid #999;"
                    + "border-radius:4px;font:13px/1.45 sans-serif;color:#222;max-width:260px";
                div.innerHTML = {{ this.html|tojson }};
                return div;
            };
            legende.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html_content: str) -> None:
        super().__init__()
        self._name = "Legende"
        self.html = html_content


class _ResendHeight(MacroElement):
    """Re-send the map's height to Streamlit once Leaflet has drawn, then fit the region.

    With a local Leaflet, streamlit-folium's first height message can arrive before the
    iframe listens, leaving a 0-px iframe; sending it again (several times, cheaply)
    makes the map visible every time. The map was fitted while its frame had no size, so
    it is fitted again to the region the first time the frame really has one (unless the
    user has already moved it). Outside Streamlit the message goes nowhere.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (carte, emprise) {
            var touchee = false, enAjustement = false;
            // Any move not made here (drag, zoom, a fit by the page) means the view is now the user's.
            carte.on("movestart", function () { if (!enAjustement) { touchee = true; } });
            function ajuster() {
                // Until then, keep the whole region in view as the frame gets its size.
                if (touchee) { return; }
                enAjustement = true;
                carte.invalidateSize({pan: false});
                var taille = carte.getSize();
                if (taille.x > 0 && taille.y > 0) { carte.fitBounds(emprise, {animate: false}); }
                enAjustement = false;
            }
            function envoyer() {
                var hauteur = carte.getContainer().offsetHeight;
                if (hauteur > 0 && window.parent && window.parent !== window) {
                    window.parent.postMessage(
                        {isStreamlitMessage: true, type: "streamlit:setFrameHeight", height: hauteur}, "*");
                }
                ajuster();
            }
            if (window.ResizeObserver) { new ResizeObserver(ajuster).observe(carte.getContainer()); }
            carte.whenReady(function () {
                [0, 150, 500, 1500].forEach(function (delai) { setTimeout(envoyer, delai); });
            });
        })({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "RenvoiHauteur"
        self.bounds = bounds


def legend_html(counts: dict[str, int], attribution: str) -> str:
    """HTML of the legend: QPV by status with their counts, outlines, and the sources."""
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:14px;background:{STATUT_COULEURS[code]};'
        f'opacity:.75;border:1px solid {STATUT_COULEURS[code]};vertical-align:-2px;margin-right:6px"></span>'
        f"{html.escape(STATUTS[code])} ({counts.get(code, 0)})</div>"
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


def build_qpv_map(
    layers: MapLayers,
    *,
    leaflet_js: str,
    leaflet_css: str,
    tiles: bool = False,
    statuts: tuple[str, ...] = ("NOUVEAU", "MODIFIE", "INCHANGE"),
) -> folium.Map:
    """Build the map of the QPV 2024 with departments and contrats de ville.

    Parameters
    ----------
    layers
        Display layers from :func:`prepare_map_layers`.
    leaflet_js, leaflet_css
        Addresses of Leaflet served by the app itself (never a CDN).
    tiles
        Add OpenStreetMap tiles (needs internet); without them only boundaries are drawn.
    statuts
        QPV statuses to draw (codes of :data:`STATUTS`).

    Returns
    -------
    folium.Map
        A map whose only external resources are the two Leaflet addresses given.
    """
    carte = folium.Map(
        location=[48.7, 5.6],
        zoom_start=7,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        zoom_snap=0.25,
    )
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
        _escaped_geojson(layers.departements),
        name="Départements",
        style_function=lambda _: {"color": CONTOUR_DEPARTEMENT, "weight": 2, "fill": False},
        tooltip=folium.GeoJsonTooltip(fields=["lib_dep", "insee_dep"], aliases=["Département", "Code"]),
        smooth_factor=1,
    ).add_to(carte)
    folium.GeoJson(
        _escaped_geojson(layers.contrats_2024),
        name="Contrats de ville 2024–2030",
        style_function=lambda _: {
            "color": COULEUR_CONTRAT,
            "weight": 1,
            "fillColor": COULEUR_CONTRAT,
            "fillOpacity": 0.12,
        },
        tooltip=folium.GeoJsonTooltip(fields=["lib_cv", "porteur_nom"], aliases=["Contrat de ville", "Porteur"]),
    ).add_to(carte)
    qpv = layers.qpv[layers.qpv["statut_2024_vs_2015"].isin(statuts)]
    for code in statuts:
        subset = qpv[qpv["statut_2024_vs_2015"] == code]
        couleur = STATUT_COULEURS[code]
        folium.GeoJson(
            _escaped_geojson(subset),
            name=f"QPV {STATUTS[code].lower()}s ({len(subset)})",
            style_function=lambda _, c=couleur: {"color": c, "weight": 1.5, "fillColor": c, "fillOpacity": 0.55},
            highlight_function=lambda _: {"weight": 3, "fillOpacity": 0.8},
            tooltip=folium.GeoJsonTooltip(
                fields=["lib_qp", "code_qp", "lib_com"], aliases=["QPV", "Code", "Commune(s)"]
            ),
        ).add_to(carte)

    counts = layers.qpv["statut_2024_vs_2015"].value_counts().to_dict()
    _Legend(legend_html(counts, layers.attribution)).add_to(carte)
    _ResendHeight(layers.bounds).add_to(carte)
    folium.LayerControl(collapsed=False, position="topright").add_to(carte)
    return carte


def epci_layer(layers: MapLayers) -> folium.FeatureGroup:
    """EPCI outlines, sent only when the user asks for them (they weigh more than the QPV)."""
    group = folium.FeatureGroup(name="EPCI", control=False)
    folium.GeoJson(
        _escaped_geojson(layers.epci),
        style_function=lambda _: {"color": CONTOUR_EPCI, "weight": 1, "dashArray": "4 3", "fill": False},
        tooltip=folium.GeoJsonTooltip(fields=["lib_epci"], aliases=["EPCI"]),
    ).add_to(group)
    return group


def selection_layer(layers: MapLayers, code_qp: str | None) -> folium.FeatureGroup | None:
    """A layer outlining the selected QPV, added to the map without re-rendering it."""
    if not code_qp:
        return None
    selected = layers.qpv[layers.qpv["code_qp"] == code_qp]
    if selected.empty:
        return None
    group = folium.FeatureGroup(name="QPV sélectionné", control=False)
    folium.GeoJson(
        _escaped_geojson(selected[["code_qp", "lib_qp", "geometry"]]),
        style_function=lambda _: {"color": COULEUR_SELECTION, "weight": 4, "fill": False},
        interactive=False,
    ).add_to(group)
    return group


def map_html(carte: folium.Map) -> str:
    """Standalone HTML of a map (what a browser receives; used by tests and the benchmark)."""
    return carte.get_root().render()
