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

import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import folium
import numpy as np
import pandas as pd

from cartographie.domaine.formats import format_euros, format_nombre
from cartographie.domaine.habitants import symbol_sizes
from cartographie.domaine.territoires import STATUTS, hosting_communes
from cartographie.domaine.vocabulaires import NON_PRECISE
from cartographie.rendu.carte_js import (
    Bind,
    FitOn,
    MapAccess,
    MetricScale,
    PlaceLabels,
    QpvFilter,
    QpvSymbols,
    RegisterQpv,
    ResendHeight,
    UnderPane,
    attach_script,
)
from cartographie.rendu.charte import STATUT_COULEURS
from cartographie.rendu.scene import DRAW_ORDER, box_centres, screen_offsets

if TYPE_CHECKING:  # geopandas is only needed to prepare the layers, done once and cached
    import geopandas as gpd

    from cartographie.lecture.reference import ReferenceData


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
    #: Place names drawn on the map, in priority order (see :func:`place_names`).
    places: list[dict]
    #: Each QPV's symbol size (× the map's radius) by its population class
    #: (:func:`cartographie.domaine.habitants.symbol_sizes`); empty without INSEE's figures: one size.
    symbol_sizes: dict[str, float] = field(default_factory=dict)

    @property
    def bounds(self) -> list[list[float]]:
        """[[south, west], [north, east]] of the region."""
        return _bounds(self.departements)

    @property
    def qpv_count(self) -> int:
        """Number of QPV of the region."""
        return len(self.qpv)


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
        + (f", contours {ref.source(cle).contours.split(' (')[0]}" if ref.source(cle).contours else "")
        for cle in ("qpv_2024", "contrats_ville_2024", "departements")
    )
    frames = {
        "qpv": qpv,
        "departements": departements,
        "epci": epci,
        "contrats_2024": contrats,
        "contrats_2015": contrats_2015,
        "communes_qpv": communes_qpv,
    }
    sizes = symbol_sizes(ref)
    return MapLayers(
        qpv=qpv,
        departements=departements,
        epci=epci,
        contrats_2024=contrats,
        contrats_2015=contrats_2015,
        communes_qpv=communes_qpv,
        attribution=attribution,
        geojson={name: _escaped_geojson(frame) for name, frame in frames.items()},
        places=place_names(departements, ref.communes[ref.communes["insee_com"].isin(hosting)]),
        symbol_sizes={} if sizes is None else {code: sizes.of(code) for code in qpv["code_qp"]},
    )


#: Beyond this zoom, department names give way to the communes' (a department fills the map).
DEPARTMENT_NAMES_MAX_ZOOM = 9
#: Communes of at least this population are named even where their QPV crowd them (Metz, Nancy…).
REGIONAL_CITY = 100_000
#: (population, zoom): a commune hosting a QPV is named from this zoom on (the region opens at about 7).
NAMED_FROM_ZOOM = ((30_000, 0), (10_000, 8), (0, 9))


def place_names(departements: gpd.GeoDataFrame, communes: gpd.GeoDataFrame) -> list[dict]:
    """The names the map may draw, in priority order: regional cities, departments, other communes with a QPV.

    Communes come by population, each at a point inside its territory (``representative_point``),
    rounded to about 10 m; cities of :data:`REGIONAL_CITY` inhabitants or more (Metz, Nancy, Reims,
    Strasbourg, Mulhouse: what a reader finds the map by) are marked ``force`` and come first. A
    department's name may be centred on any of a few points inside it (``points``,
    :func:`cartographie.rendu.scene.label_anchors`), on two lines when long. No name is drawn over a
    QPV symbol or another name: one that finds no room is left out at that zoom.
    """
    from cartographie.rendu.scene import label_anchors

    def rows(frame, name: str, kind: str, zmax: int) -> list[dict]:
        points = frame.geometry.representative_point()
        return [
            {"nom": str(nom), "lat": round(p.y, 4), "lon": round(p.x, 4), "type": kind, "zmax": zmax}
            for nom, p in zip(frame[name], points, strict=True)
        ]

    ordered = communes.sort_values(["population", "nom"], ascending=[False, True])
    cities = rows(ordered, "nom", "commune", 30)
    for city, population in zip(cities, ordered["population"], strict=True):
        city["zmin"] = next(zoom for threshold, zoom in NAMED_FROM_ZOOM if population >= threshold)
        if population >= REGIONAL_CITY:
            city["force"] = True
    regional = [city for city in cities if city.get("force")]
    others = [city for city in cities if not city.get("force")]
    departments = rows(departements, "lib_dep", "dep", DEPARTMENT_NAMES_MAX_ZOOM)
    for department, geometry in zip(departments, departements.geometry, strict=True):
        department["points"] = [[lat, lon] for lon, lat in label_anchors(geometry)]
    return [*regional, *departments, *others]


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _escaped_geojson(frame: gpd.GeoDataFrame) -> dict:
    """GeoJSON of a frame whose text properties are HTML-escaped (tooltips are HTML)."""
    out = frame.copy()
    for column in out.columns:
        if column != out.geometry.name and (pd.api.types.is_string_dtype(out[column]) or out[column].dtype == object):
            out[column] = out[column].map(lambda v: html.escape(str(v)) if v is not None and v == v else "")
    return json.loads(out.to_json(drop_id=True))


#: CSS of the map's frame: focus only for the keyboard, place names with a halo, larger on a screen.
MAP_CSS = """<style>
.leaflet-container{font:13px/1.4 sans-serif}
.leaflet-container:focus{outline:none}
.leaflet-container:focus-visible{outline:3px solid #0b5394;outline-offset:-3px}
.leaflet-interactive:focus,.leaflet-marker-icon:focus{outline:none}
.carto-masque{display:none}
.leaflet-control-layers,.leaflet-tooltip{font-size:13px}
.leaflet-control-layers label{margin:0}
.carto-etiquette-boite{background:none;border:none}
.carto-etiquette{display:block;white-space:nowrap;text-align:center;color:#111;
  text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff,0 0 1px #fff}
.carto-etiquette-dep{color:#444}
</style>"""


#: Sizes on a desk screen, and on the presentation screen read from 5 m.
MAP_SIZES = {
    False: {"radius": 6, "hit_radius": 12, "threshold": 18, "dep_size": 12, "commune_size": 13},
    True: {"radius": 10, "hit_radius": 16, "threshold": 26, "dep_size": 25, "commune_size": 28},
}


def _add_qpv_symbols(carte: folium.Map, layers: MapLayers, sizes: dict) -> None:
    """The QPV's symbols, sized by population class and spread by the scene with those sizes."""
    codes, lon, lat = box_centres(layers.geojson["qpv"]["features"])
    factors = np.array([layers.symbol_sizes.get(code, 1.0) for code in codes])
    places = screen_offsets(codes, lon, lat, radius=sizes["radius"] * factors + 1)
    QpvSymbols(
        radius=sizes["radius"],
        hit_radius=sizes["hit_radius"],
        threshold=sizes["threshold"],
        places=places,
        symbol_sizes={code: size for code, size in layers.symbol_sizes.items() if size != 1.0},
    ).add_to(carte)


def build_base_map(
    layers: MapLayers,
    *,
    leaflet_js: str,
    leaflet_css: str,
    script_url: str | None = None,
    tiles: bool = False,
    screen: float = 0,
) -> folium.Map:
    """The map that does not depend on the user's filters: departments, contrats de ville, QPV, place names.

    Parameters
    ----------
    layers
        Display layers from :func:`prepare_map_layers`.
    leaflet_js, leaflet_css
        Addresses of Leaflet served by the app itself (never a CDN).
    script_url
        Address of the map's own script (:mod:`cartographie.rendu.carte_js`) served by the app;
        ``None`` writes it into the page (a standalone map).
    tiles
        Add OpenStreetMap tiles (needs internet); without them only boundaries are drawn.
    screen
        For the presentation screen, its scale (0 elsewhere; see ``rendu.presentation``): larger
        symbols and names, multiplied by the scale, no zoom buttons.

    The legend is not drawn on the map (it would hide data): :func:`cartographie.rendu.legendes.legend_html` gives it to
    show beside the map.
    """
    scale = float(screen) if screen else 1.0
    sizes = {name: max(1, round(value * scale)) for name, value in MAP_SIZES[bool(screen)].items()}
    carte = folium.Map(
        location=[48.7, 5.6],
        zoom_start=7,
        tiles=None,
        control_scale=False,
        zoom_snap=0.25,
        zoom_control=not screen,
        attribution_control=tiles,  # the tiles' attribution; the data's sources are named beside the map
    )
    carte.default_js = [("leaflet", leaflet_js)]
    carte.default_css = [("leaflet_css", leaflet_css)]
    attach_script(carte, script_url)
    MapAccess(
        "Carte des quartiers prioritaires. Flèches pour la déplacer, touches plus et moins pour zoomer. "
        "Pour ouvrir la fiche d'un quartier au clavier, utilisez la liste des quartiers à côté de la carte.",
        {code: label.lower() for code, label in STATUTS.items()},
        screen=bool(screen),
    ).add_to(carte)
    carte.fit_bounds(layers.bounds)
    carte.get_root().header.add_child(folium.Element(MAP_CSS))
    if screen:
        carte.get_root().header.add_child(
            folium.Element(
                f"<style>.carto-ecran .leaflet-tooltip{{font-size:{round(22 * scale)}px}}"
                f".carto-ecran .leaflet-control-scale-line{{font-size:{round(28 * scale)}px;line-height:1.3}}</style>"
            )
        )
    if tiles:
        folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="Fond OpenStreetMap", max_zoom=19).add_to(carte)
    _add_territories(carte, layers)
    UnderPane().add_to(carte)
    _add_qpv_shapes(carte, layers)
    _add_qpv_symbols(carte, layers, sizes)
    PlaceLabels(
        layers.places,
        dep_size=sizes["dep_size"],
        commune_size=sizes["commune_size"],
        symbol_margin=sizes["radius"] + 2,
    ).add_to(carte)
    MetricScale(max_width=round(220 * scale) if screen else 100).add_to(carte)
    ResendHeight(layers.bounds).add_to(carte)
    return carte


def _add_territories(carte: folium.Map, layers: MapLayers) -> None:
    """The departments' outlines and the contrats de ville 2024–2030 under everything else, each with its tooltip."""
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


def _add_qpv_shapes(carte: folium.Map, layers: MapLayers) -> None:
    """The QPV perimeters, one layer per status coloured as its legend, the new QPV last (on top)."""
    for code in DRAW_ORDER:
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


def qpv_filter_layer(
    codes: set[str] | None, key: str, selected: str | None = None, classes=None
) -> folium.FeatureGroup:
    """The (tiny) layer that shows only ``codes`` among the base map's QPV, outlines ``selected`` and fits the map.

    ``classes``: the QPV coloured by an indicator (:class:`cartographie.domaine.habitants.MapClasses`), else
    by status. They travel as one character per QPV (a few hundred bytes for the region).
    """
    from cartographie.domaine.habitants import MISSING_COLOUR

    colours = None
    if classes is not None:
        colours = {
            "palette": list(classes.colours),
            "manquant": MISSING_COLOUR,
            "classes": "".join(
                "-" if classes.class_of[c] < 0 else str(classes.class_of[c]) for c in sorted(classes.class_of)
            ),
        }
    group = folium.FeatureGroup(name="Sélection", control=False)
    QpvFilter(sorted(codes) if codes is not None else None, key, selected, colours).add_to(group)
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


def credit_class_labels(values: pd.Series, mesure: str) -> list[str]:
    """The words of each credits class, for every legend (screen, slide, image): « 7 164 € – 20 000 € ».

    A class runs from the smallest value it holds to its upper bound; the first starts at the
    smallest value drawn (never at 0 when no contrat has 0).
    """
    bounds = credit_classes(values)
    distinct = np.unique(values.dropna().to_numpy(float))
    labels = []
    for i, upper in enumerate(bounds):
        inside = distinct[(distinct <= upper) & ((distinct > bounds[i - 1]) if i else True)]
        lower = float(inside.min()) if inside.size else upper
        labels.append(f"{credits_label(lower, mesure)} – {credits_label(upper, mesure)}")
    return labels


def credits_legend_title(annee: int, mesure: str) -> str:
    """The title of every credits legend (screen, image): what, which year, on which contrats it is drawn."""
    what = "montant" if mesure == "montant" else "postes"
    generation = "2024–2030" if credits_perimeters(annee) == "contrats_2024" else "2015–2023"
    return f"Crédits adultes-relais et FONJEP {annee} ({what}), par contrat de ville {generation}"


def credits_perimeters(annee: int) -> str:
    """The layer of ``MapLayers.geojson`` the credits of ``annee`` are drawn on."""
    from cartographie.domaine.credits import PREMIERE_ANNEE_CONTRATS_2024

    return "contrats_2024" if annee >= PREMIERE_ANNEE_CONTRATS_2024 else "contrats_2015"


def credits_label(value: float, mesure: str) -> str:
    """A credit amount or a number of posts, in French."""
    return format_euros(value) if mesure == "montant" else f"{format_nombre(value)} postes"


def credits_layer(
    perimeters: dict,
    values: pd.Series,
    *,
    annee: int,
    mesure: str,
    source: str,
    warning: str = "",
) -> folium.FeatureGroup:
    """Choropleth of the credits by contrat de ville, with a legend naming the source and year.

    ``values`` is indexed by contrat code: 2015 codes (``CVnnn``) for 2020–2023, drawn on the
    2015 perimeters; 2024 codes for 2024–2025, drawn on the carriers' perimeters
    (``perimeters`` is the GeoJSON named by :func:`credits_perimeters`). ``warning`` (the
    data-quality alerts of the year) goes into every tooltip, and into the legend
    (:func:`credits_legend`, shown beside the map).
    """
    base = perimeters
    bounds = credit_classes(values)

    def colour(code: str) -> str | None:
        value = values.get(code)
        if value is None or value != value:
            return None
        return CLASSES_CREDITS[min(next(i for i, b in enumerate(bounds) if value <= b), len(CLASSES_CREDITS) - 1)]

    def label(value: float) -> str:
        return credits_label(value, mesure)

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
    return group


def map_html(carte: folium.Map) -> str:
    """Standalone HTML of a map (what a browser receives; used by tests and the benchmark)."""
    return carte.get_root().render()


def _marker(lat: float, lon: float, inner: str, size: int, class_name: str) -> folium.Marker:
    """A marker drawn as ``inner`` HTML (a shape), centred, out of the tab order (the page lists the same items)."""
    return folium.Marker(
        location=[lat, lon],
        icon=folium.DivIcon(
            html=inner, icon_size=(size, size), icon_anchor=(size // 2, size // 2), class_name=class_name
        ),
        keyboard=False,
    )


def events_layer(events: pd.DataFrame, colours: dict[str, str], selected: str | None = None) -> folium.FeatureGroup:
    """Squares for the events held in a known place, coloured by type; the chosen one ringed and the map fitted on it.

    Several events in one place (a day and its workshops) share one square that lists them
    all. Titles are escaped: tooltips are HTML.
    """
    group = folium.FeatureGroup(name="Rencontres")
    placed = events.dropna(subset=["latitude", "longitude"])
    for (lat, lon), rows in placed.groupby(["latitude", "longitude"], sort=False):
        first = rows.iloc[0]
        chosen = selected in set(rows["id"])
        size = 18 + min(len(rows) - 1, 4) * 2 + (8 if chosen else 0)
        border = "4px solid #000000" if chosen else "2px solid #222222"
        inner = (
            f'<div style="width:{size}px;height:{size}px;box-sizing:border-box;background:'
            f'{colours.get(first["type"], "#777777")};border:{border}"></div>'
        )
        marker = _marker(lat, lon, inner, size, "carto-rencontre" + (" carto-choisi" if chosen else ""))
        lines = "".join(f"<div>{html.escape(r.date_libelle)} – {html.escape(r.titre)}</div>" for r in rows.itertuples())
        Bind(f"<strong>{html.escape(first['lieu'] or NON_PRECISE)}</strong>{lines}").add_to(marker)
        marker.add_to(group)
        if chosen:
            FitOn([[lat - 0.15, lon - 0.25], [lat + 0.15, lon + 0.25]], f"rencontre:{selected}").add_to(group)
    return group


def experiences_layer(points: pd.DataFrame, selected: str | None = None) -> folium.FeatureGroup:
    """Diamonds for cooperation experiences on their territory; the chosen one ringed and the map fitted on it.

    ``points`` has ``id``, ``titre``, ``latitude``, ``longitude``. Titles come from users and
    are escaped: tooltips and popups are HTML.
    """
    group = folium.FeatureGroup(name="Expériences de coopération")
    for row in points.dropna(subset=["latitude", "longitude"]).itertuples():
        text = html.escape(str(row.titre))
        chosen = row.id == selected
        side = 18 if chosen else 13
        border = "4px solid #000000" if chosen else "2px solid #222222"
        inner = (
            f'<div style="width:{side}px;height:{side}px;box-sizing:border-box;background:#F0E442;border:{border};'
            'transform:rotate(45deg);margin:4px"></div>'
        )
        marker = _marker(row.latitude, row.longitude, inner, side + 8, "carto-experience")
        Bind(f"<strong>Expérience</strong><br>{text}").add_to(marker)
        Bind(f"<strong>{text}</strong>", popup=True).add_to(marker)
        marker.add_to(group)
        if chosen:
            lat, lon = row.latitude, row.longitude
            FitOn([[lat - 0.15, lon - 0.25], [lat + 0.15, lon + 0.25]], f"experience:{selected}").add_to(group)
    return group
