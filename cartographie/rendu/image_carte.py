"""The map as an image, drawn by the server from the reference data (no browser, no tiles): SVG and PNG.

One drawing (shapes, dots, names, legend, scale, sources) is built once by :func:`map_drawing`
and written by :func:`to_svg` or :func:`to_png`, so that the two images always show the same
thing. Colours and words are those of the screen's map and legend (:mod:`.carte`, :mod:`.legendes`).
"""

from __future__ import annotations

import html
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cartographie.domaine.habitants import POPULATION_SIZES, SIZE_TITLE, symbol_sizes
from cartographie.domaine.territoires import STATUTS, hosting_communes
from cartographie.rendu.carte import (
    CONTOUR_DEPARTEMENT,
    CONTOUR_EPCI,
    COULEUR_COMMUNE,
    COULEUR_CONTRAT,
    COULEUR_CONTRAT_2015,
    REGIONAL_CITY,
)
from cartographie.rendu.charte import FONT_FAMILY, FONT_FILES, SIZE_KEY_COLOUR, STATUT_COULEURS
from cartographie.rendu.scene import draw_rank, label_anchors, spread

#: A QPV smaller than this on the image (pixels across) is drawn as a dot, as on the screen's map.
DOT_BELOW_PX = 7
DOT_RADIUS = 6
#: The dots graduated by population keep their classes' ratios, the smallest at ``DOT_RADIUS`` (2 mm on paper).
SMALLEST_SIZE = POPULATION_SIZES[0][1]
#: Room kept right of the map for the legend (its widest line, « Quartiers prioritaires 2024, », in bold 18 px).
LEGEND_WIDTH = 350
#: The line that ties a moved dot to its true place.
LEADER_COLOUR = "#444444"
#: Size and spacing of the sources' lines under the map (pixels).
SOURCE_SIZE = 13
SOURCE_LINE = 18


@dataclass
class Shape:
    """A filled and outlined area (rings in pixels); ``clip``: cut to the map's frame."""

    rings: list[list[tuple[float, float]]]
    fill: str
    stroke: str
    width: float = 1.0
    opacity: float = 1.0
    clip: bool = True
    dash: bool = False


@dataclass
class Text:
    """A line of text at a point (``y`` is its baseline), with a white halo over the map."""

    x: float
    y: float
    text: str
    size: int
    colour: str = "#111111"
    bold: bool = False
    italic: bool = False
    anchor: str = "middle"  # "start" or "middle"
    halo: bool = True


@dataclass
class Drawing:
    """Everything an image shows, in pixels (origin top left)."""

    width: int
    height: int
    shapes: list[Shape] = field(default_factory=list)
    dots: list[tuple[float, float, str, float]] = field(default_factory=list)  # x, y, colour, radius
    texts: list[Text] = field(default_factory=list)
    lines: list[tuple[float, float, float, float, str, float]] = field(default_factory=list)
    frame: tuple[int, int, int, int] = (0, 0, 0, 0)  # the map's frame: left, top, right, bottom


class _Projection:
    """Longitude and latitude to pixels: equirectangular, scaled by the cosine of the middle latitude."""

    def __init__(self, bounds, box: tuple[float, float, float, float]) -> None:
        west, south, east, north = bounds
        self.k = math.cos(math.radians((south + north) / 2))
        left, top, right, bottom = box
        span_x, span_y = (east - west) * self.k, north - south
        self.scale = min((right - left) / span_x, (bottom - top) / span_y)
        self.x0 = left + ((right - left) - span_x * self.scale) / 2 - west * self.k * self.scale
        self.y0 = top + ((bottom - top) - span_y * self.scale) / 2 + north * self.scale

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return round(self.x0 + lon * self.k * self.scale, 1), round(self.y0 - lat * self.scale, 1)

    def km_per_px(self) -> float:
        return 111.32 / self.scale


def _rings(geometry, project) -> list[list[tuple[float, float]]]:
    polygons = getattr(geometry, "geoms", [geometry])
    rings = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            rings.append([project(x, y) for x, y in ring.coords])
    return rings


#: The optional layers of /carte an image can show (its ``couches``): how each is drawn, and its legend's words.
LAYERS = {
    "communes": ("Commune ayant un QPV", COULEUR_COMMUNE, COULEUR_COMMUNE, 0.25, False),
    "epci": ("EPCI", "none", CONTOUR_EPCI, 1.0, True),
    "contrats_2015": ("Contrat de ville 2015–2023", "none", COULEUR_CONTRAT_2015, 1.0, True),
}


def map_drawing(
    ref,
    codes: set[str] | None,
    *,
    title: str,
    subtitle: str,
    couches: tuple[str, ...] = (),
    credits: tuple[int, str] | None = None,
    experiences=None,
    classes=None,
    width: int = 1600,
    height: int = 1000,
):
    """The drawing of the QPV ``codes`` (all when ``None``): departments, contrats, place names, legend, scale.

    ``couches``: the optional layers of /carte that are on (communes, EPCI, contrats 2015–2023,
    ``credits`` with its ``(year, measure)``, ``experiences`` with their points as
    :func:`cartographie.domaine.cooperations.experience_points` gives them). ``classes``: the QPV
    coloured by an INSEE indicator (:func:`cartographie.domaine.habitants.map_classes`), as on /carte.
    """
    qpv = ref.qpv if codes is None else ref.qpv[ref.qpv["code_qp"].isin(codes)]
    drawing = Drawing(width, height)
    # The sources go under the map, in full: the map leaves them the room they need.
    sizes = symbol_sizes(ref)  # the QPV dots graduated by population, as on the screen's map
    keys = image_sources(couches, credits) + (("qpv_indicateurs",) if classes is not None or sizes is not None else ())
    line = "Sources : " + " ; ".join(ref.source(k).citation for k in keys)
    source_lines = _wrap(line, int((width - 40) / (SOURCE_SIZE * 0.56)))
    map_box = (20, 90, min(int(width * 0.70), width - LEGEND_WIDTH), height - 30 - SOURCE_LINE * len(source_lines))
    drawing.frame = map_box
    shown = qpv if len(qpv) else ref.qpv
    west, south, east, north = shown.total_bounds
    margin = max(0.04, 0.08 * max(east - west, north - south))
    bounds = (west - margin, south - margin, east + margin, north + margin)
    project = _Projection(bounds, map_box)
    tolerance = 0.5 / project.scale  # half a pixel, in degrees
    departements = ref.departements[ref.departements.intersects(_box(bounds))]
    contrats = ref.contrats_2024[ref.contrats_2024["code_cv"].isin(set(qpv["code_cv_2024"]))]
    left, top, right, bottom = map_box
    drawing.shapes.append(Shape([[(left, top), (right, top), (right, bottom), (left, bottom)]], "#f4f4f2", "none"))
    for geometry in contrats.geometry.simplify(tolerance):
        drawing.shapes.append(Shape(_rings(geometry, project), COULEUR_CONTRAT, COULEUR_CONTRAT, 1, 0.3))
    credit_legend = None
    if "credits" in couches and credits is not None:
        credit_legend = _credits(drawing, ref, *credits, bounds, project, tolerance)
    shown_layers = [c for c in LAYERS if c in couches]
    for layer in shown_layers:
        _label, fill, stroke, opacity, dash = LAYERS[layer]
        frame = _layer_frame(ref, layer, qpv, bounds)
        for geometry in frame.geometry.simplify(tolerance):
            width_px = 1.6 if layer == "contrats_2015" else 1.0
            drawing.shapes.append(Shape(_rings(geometry, project), fill, stroke, width_px, opacity, dash=dash))
    for geometry in departements.geometry.simplify(tolerance):
        drawing.shapes.append(Shape(_rings(geometry, project), "none", CONTOUR_DEPARTEMENT, 1.6))
    marks = []  # the QPV drawn as dots: their true place, colour, drawing rank and radius
    colour_of = classes.colour_of() if classes is not None else {}
    for geometry, statut, code in zip(qpv.geometry, qpv["statut_2024_vs_2015"], qpv["code_qp"], strict=True):
        colour = colour_of.get(code) or STATUT_COULEURS.get(statut, "#666666")
        x0, y0 = project(geometry.bounds[0], geometry.bounds[3])
        x1, y1 = project(geometry.bounds[2], geometry.bounds[1])
        if max(x1 - x0, y1 - y0) < DOT_BELOW_PX:
            radius = DOT_RADIUS * (sizes.of(code) / SMALLEST_SIZE if sizes is not None else 1.0)
            marks.append(((x0 + x1) / 2, (y0 + y1) / 2, colour, draw_rank(statut), radius))
        else:
            drawing.shapes.append(Shape(_rings(geometry.simplify(tolerance), project), colour, "#ffffff", 1.2))
    _place_dots(drawing, marks)
    if "experiences" in couches and experiences is not None:
        for lat, lon in zip(experiences["latitude"], experiences["longitude"], strict=True):
            x, y = project(lon, lat)
            drawing.shapes.append(Shape([[(x, y - 9), (x + 9, y), (x, y + 9), (x - 9, y)]], "#000000", "#ffffff", 1.5))
        shown_layers.append("experiences")
    _names(drawing, ref, qpv, departements, project, map_box)
    _legend(drawing, map_box, project, shown_layers, credit_legend, classes, sizes)
    drawing.texts.append(Text(20, 42, title, 30, bold=True, anchor="start", halo=False))
    drawing.texts.append(Text(20, 74, subtitle, 18, colour="#333333", anchor="start", halo=False))
    for number, chunk in enumerate(source_lines):
        y = map_box[3] + 24 + SOURCE_LINE * number
        drawing.texts.append(Text(20, y, chunk, SOURCE_SIZE, colour="#333333", anchor="start", halo=False))
    return drawing


def image_sources(couches: tuple[str, ...], credits: tuple[int, str] | None) -> tuple[str, ...]:
    """The reference files an image draws from (manifest keys): a contrat is drawn on its carrier's perimeter."""
    from cartographie.domaine.chiffres import credit_sources

    keys = ["qpv_2024", "departements", "contrats_ville_2024", "epci", "communes"]
    if "contrats_2015" in couches:
        keys.append("contrats_ville_2015")
    if "credits" in couches and credits is not None:
        keys += credit_sources("cv" if credits[0] >= 2024 else "cv2015", credits[0])
    return tuple(dict.fromkeys(keys))


def _credits(drawing: Drawing, ref, annee: int, mesure: str, bounds, project, tolerance):
    """The credits of ``annee`` by contrat as on /carte (same classes and colours); returns the legend's lines."""
    from cartographie.domaine.chiffres import credit_values
    from cartographie.rendu.carte import (
        CLASSES_CREDITS,
        credit_class_labels,
        credit_classes,
        credits_legend_title,
        credits_perimeters,
    )

    values = credit_values(ref, annee, mesure)
    limits = credit_classes(values)
    frame = ref.contrats_2024 if credits_perimeters(annee) == "contrats_2024" else ref.contrats_2015
    frame = frame[frame["code_cv"].isin(values.dropna().index) & frame.intersects(_box(bounds))]
    for code, geometry in zip(frame["code_cv"], frame.geometry.simplify(tolerance), strict=True):
        value = values[code]
        colour = CLASSES_CREDITS[min(next(i for i, b in enumerate(limits) if value <= b), len(CLASSES_CREDITS) - 1)]
        drawing.shapes.append(Shape(_rings(geometry, project), colour, "#555555", 1, 0.7))
    lines = [(credits_legend_title(annee, mesure), None)]
    for colour, label in zip(CLASSES_CREDITS, credit_class_labels(values, mesure), strict=False):
        lines.append((label, colour))
    warning = ref.credits_qualite.short_warning(annee) if ref.credits_qualite else ""
    if warning:
        lines.append((f"Attention : {warning}", None))
    return lines


def _layer_frame(ref, layer: str, qpv, bounds):
    """The features of an optional layer that the image shows: those in view (communes: those hosting a QPV)."""
    if layer == "communes":
        return ref.communes[ref.communes["insee_com"].isin(hosting_communes(ref, qpv["code_qp"]))]
    frame = ref.epci if layer == "epci" else ref.contrats_2015
    return frame[frame.intersects(_box(bounds))]


def _box(bounds):
    from shapely.geometry import box

    return box(*bounds)


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width)


def _place_dots(drawing: Drawing, marks: list[tuple[float, float, str, int, float]]) -> None:
    """The QPV dots placed by the map's scene (:mod:`cartographie.rendu.scene`).

    Moved apart where they would hide each other, tied to their true place by a thin line, new QPV drawn last.
    """
    if not marks:
        return
    true = np.array([(mark[0], mark[1]) for mark in marks])
    radii = np.array([mark[4] for mark in marks])
    placed = spread(true, radii + 0.75, gap=1.0)
    for index in sorted(range(len(marks)), key=lambda i: marks[i][3]):
        (x, y), (px, py), r = true[index], placed[index], float(radii[index])
        if math.hypot(px - x, py - y) > r:
            drawing.lines.append((round(x, 1), round(y, 1), round(px, 1), round(py, 1), LEADER_COLOUR, 1.0))
        drawing.dots.append((round(float(px), 1), round(float(py), 1), marks[index][2], round(r, 1)))


def _names(drawing: Drawing, ref, qpv, departements, project, map_box) -> None:
    """Names in the screen map's order: regional cities, departments, then the other communes of the QPV shown.

    A department's name is centred on one of a few points inside it (the nearest to its middle first);
    a commune's goes beside its point, further out round a crowded city. Each takes the first place
    that hits no dot and no other name and stays on the map, else it is left out.
    """
    left, top, right, bottom = map_box
    r = DOT_RADIUS + 1  # the steps round a commune's point
    taken: list[tuple[float, float, float, float]] = [
        (x - d - 1, y - d - 1, x + d + 1, y + d + 1) for x, y, _, d in drawing.dots
    ]

    def place(anchors: list[tuple[float, float]], text: str, size: int, around: bool, **style) -> None:
        if not _place(anchors, [text], size, around, **style) and not around and "-" in text[1:-1]:
            cuts = [i for i, c in enumerate(text) if c == "-" and 0 < i < len(text) - 1]
            cut = min(cuts, key=lambda i: abs(i - len(text) / 2))  # two lines at its middle hyphen
            _place(anchors, [text[: cut + 1], text[cut + 1 :]], size, around, **style)

    def _place(anchors, lines: list[str], size: int, around: bool, **style) -> bool:
        line = size * 1.25
        # The box the text takes in the drawing's own font (uppercase and bold are wider than an average), and its halo.
        font = _font(size, bool(style.get("bold")))
        w, h = max(font.getlength(chunk) for chunk in lines) + 6, line * len(lines)
        candidates = []
        for x, y in anchors:
            if around:
                candidates.append((x, y))
                for k in range(1, 9):  # further out round a city crowded by its QPV (dots up to 8.8 px)
                    d = k * (r + 2)
                    candidates += [(x + w / 2 + d, y), (x - w / 2 - d, y), (x, y - h / 2 - d), (x, y + h / 2 + d)]
                    candidates += [(x + sx * (w / 2 + d), y + sy * (h / 2 + d)) for sx in (1, -1) for sy in (-1, 1)]
            else:
                candidates += [(x + j * w, y + k * h) for j in (0, -0.25, 0.25) for k in (0, -0.6, 0.6)]
        for cx, cy in candidates:
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if box[0] < left or box[2] > right or box[1] < top or box[3] > bottom:
                continue
            if any(not (box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3]) for b in taken):
                continue
            taken.append(box)
            for number, chunk in enumerate(lines):
                y = cy - h / 2 + line * (number + 0.5)
                drawing.texts.append(Text(cx, y + size * 0.35, chunk, size, **style))
            return True
        return False

    communes = ref.communes[ref.communes["insee_com"].isin(hosting_communes(ref, qpv["code_qp"]))]
    wide = project.km_per_px() > 0.25  # a department or the region: only the larger towns
    if wide:
        communes = communes[communes["population"] >= 30_000]
    communes = communes.sort_values(["population", "nom"], ascending=[False, True])
    regional = communes["population"] >= REGIONAL_CITY
    points = communes.geometry.representative_point()
    for name, point in zip(communes["nom"][regional], points[regional], strict=True):
        place([project(point.x, point.y)], str(name), 17, True, bold=True)
    for name, geometry in zip(departements["lib_dep"], departements.geometry, strict=True):
        anchors = [project(lon, lat) for lon, lat in label_anchors(geometry)]
        place(anchors, str(name).upper(), 15, False, colour="#444444", italic=True, bold=True)
    for name, point in zip(communes["nom"][~regional], points[~regional], strict=True):
        place([project(point.x, point.y)], str(name), 17, True, bold=True)


def _size_key(drawing: Drawing, x: float, y: float, sizes) -> float:
    """The legend's size key (population classes), from ``y`` down; returns where the legend goes on."""
    drawing.texts.append(Text(x, y + 6, SIZE_TITLE, 18, bold=True, anchor="start", halo=False))
    y += 30
    for size, label in sizes.legend:
        drawing.dots.append((x + 11, y, SIZE_KEY_COLOUR, round(DOT_RADIUS * size / SMALLEST_SIZE, 1)))
        drawing.texts.append(Text(x + 32, y + 6, label, 17, anchor="start", halo=False))
        y += 30
    if sizes.missing:
        plural = "s" if sizes.missing > 1 else ""
        note = f"Population non diffusée : {sizes.missing} quartier{plural}, la plus petite taille."
        for chunk in _wrap(note, 40):
            drawing.texts.append(Text(x, y + 6, chunk, 15, "#333333", anchor="start", halo=False))
            y += 20
    y += 14
    return y


def _qpv_key(drawing: Drawing, x: float, y: float, classes) -> float:
    """The legend's QPV colours (statuses, or an indicator's classes), from ``y`` down; returns where it goes on."""
    if classes is None:
        head = ("Quartiers prioritaires 2024,", "statut par rapport à 2015")
        items = [(STATUT_COULEURS[code], STATUTS[code]) for code in ("NOUVEAU", "MODIFIE", "INCHANGE")]
    else:  # the same classes and words as the legend of /carte
        from cartographie.domaine.habitants import MISSING_COLOUR

        head = (classes.title.removesuffix(" des quartiers") + ",", "quartiers prioritaires 2024")
        items = list(zip(classes.colours, classes.labels, strict=True))
        if classes.missing:
            items.append(
                (MISSING_COLOUR, f"Non diffusé : {classes.missing} quartier{'s' if classes.missing > 1 else ''}")
            )
    drawing.texts.append(Text(x, y + 6, head[0], 18, bold=True, anchor="start", halo=False))
    drawing.texts.append(Text(x, y + 30, head[1], 18, bold=True, anchor="start", halo=False))
    y += 62
    for colour, label in items:
        drawing.dots.append((x + 8, y, colour, DOT_RADIUS))
        drawing.texts.append(Text(x + 26, y + 6, label, 17, anchor="start", halo=False))
        y += 32
    drawing.texts.append(
        Text(x, y + 6, "Les plus petits sont des pastilles.", 15, "#333333", anchor="start", halo=False)
    )
    return y + 44


def _legend(drawing: Drawing, map_box, project, layers: list[str], credit_lines=None, classes=None, sizes=None) -> None:
    x = map_box[2] + 30
    y = _qpv_key(drawing, x, map_box[1] + 10, classes)
    if sizes is not None:  # the same classes and words as the legend of /carte
        y = _size_key(drawing, x, y, sizes)
    drawing.texts.append(Text(x, y + 6, "Territoires", 18, bold=True, anchor="start", halo=False))
    y += 32
    drawing.lines.append((x, y, x + 28, y, CONTOUR_DEPARTEMENT, 2))
    drawing.texts.append(Text(x + 40, y + 6, "Département", 17, anchor="start", halo=False))
    y += 32
    square = [(x, y - 9), (x + 28, y - 9), (x + 28, y + 9), (x, y + 9)]
    drawing.shapes.append(Shape([square], COULEUR_CONTRAT, COULEUR_CONTRAT, 1, 0.3, clip=False))
    drawing.texts.append(Text(x + 40, y + 6, "Contrat de ville 2024–2030", 17, anchor="start", halo=False))
    y += 32
    drawing.texts.append(Text(x, y + 6, "AUBE", 15, "#444444", True, True, "start", False))
    drawing.texts.append(Text(x + 70, y + 6, "Nom de département", 17, anchor="start", halo=False))
    y += 32
    drawing.texts.append(Text(x, y + 6, "Metz", 17, bold=True, anchor="start", halo=False))
    drawing.texts.append(Text(x + 70, y + 6, "Commune ayant un QPV", 17, anchor="start", halo=False))
    if layers:
        y += 44
        drawing.texts.append(Text(x, y + 6, "Couches ajoutées", 18, bold=True, anchor="start", halo=False))
    for layer in layers:
        y += 32
        if layer == "experiences":
            diamond = [(x + 14, y - 9), (x + 23, y), (x + 14, y + 9), (x + 5, y)]
            drawing.shapes.append(Shape([diamond], "#000000", "#ffffff", 1.5, clip=False))
            drawing.texts.append(Text(x + 40, y + 6, "Expérience de coopération", 17, anchor="start", halo=False))
            continue
        label, fill, stroke, opacity, dash = LAYERS[layer]
        sample = [(x, y - 9), (x + 28, y - 9), (x + 28, y + 9), (x, y + 9)]
        if fill == "none":
            drawing.lines.append((x, y, x + 28, y, stroke, 2))
        else:
            drawing.shapes.append(Shape([sample], fill, stroke, 1, opacity, clip=False))
        drawing.texts.append(
            Text(x + 40, y + 6, f"{label}{' (tirets)' if dash else ''}", 17, anchor="start", halo=False)
        )
    for text, colour in credit_lines or []:
        y += 30
        if colour is None:
            for number, chunk in enumerate(_wrap(text, 44)):
                y += 22 * (number > 0)
                drawing.texts.append(Text(x, y + 6, chunk, 15, bold=True, anchor="start", halo=False))
            continue
        square = [(x, y - 9), (x + 28, y - 9), (x + 28, y + 9), (x, y + 9)]
        drawing.shapes.append(Shape([square], colour, "#555555", 1, 0.7, clip=False))
        drawing.texts.append(Text(x + 40, y + 6, text, 15, anchor="start", halo=False))
    # The scale bar, in the map's lower left corner: a round number of kilometres, about a sixth of its width.
    km_per_px = project.km_per_px()
    target = (map_box[2] - map_box[0]) / 6 * km_per_px
    length = max(n for n in (1, 2, 5, 10, 20, 50, 100, 200) if n <= max(target, 1))
    px = length / km_per_px
    bx, by = map_box[0] + 20, map_box[3] - 24
    drawing.lines.append((bx, by, bx + px, by, "#111111", 3))
    for tick in (bx, bx + px):
        drawing.lines.append((tick, by - 7, tick, by + 1, "#111111", 2))
    drawing.texts.append(Text(bx + px / 2, by - 12, f"{length} km", 15))


def to_svg(drawing: Drawing) -> bytes:
    """The drawing as SVG (text stays text: searchable, sharp when printed)."""
    e = html.escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{drawing.width}" height="{drawing.height}" '
        f'viewBox="0 0 {drawing.width} {drawing.height}" font-family="{FONT_FAMILY}">',
        f'<rect width="{drawing.width}" height="{drawing.height}" fill="#ffffff"/>',
    ]
    left, top, right, bottom = drawing.frame
    parts.append(
        f'<clipPath id="cadre"><rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}"/></clipPath>'
    )
    for shape in drawing.shapes:
        path = " ".join("M" + " L".join(f"{x},{y}" for x, y in ring) + " Z" for ring in shape.rings)
        clip = ' clip-path="url(#cadre)"' if shape.clip else ""
        dash = ' stroke-dasharray="6 4"' if shape.dash else ""
        parts.append(
            f'<path d="{path}" fill="{shape.fill}" fill-opacity="{shape.opacity}" fill-rule="evenodd" '
            f'stroke="{shape.stroke}" stroke-width="{shape.width}"{dash}{clip}/>'
        )
    parts.append(
        f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" fill="none" stroke="#999999"/>'
    )
    for x1, y1, x2, y2, colour, width in drawing.lines:
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" stroke-width="{width}"/>')
    for x, y, colour, r in drawing.dots:
        parts.append(f'<circle cx="{x}" cy="{y}" r="{r}" fill="{colour}" stroke="#ffffff" stroke-width="1.5"/>')
    for text in drawing.texts:
        style = f'font-size="{text.size}" fill="{text.colour}" text-anchor="{text.anchor}"'
        style += ' font-weight="bold"' * text.bold + ' font-style="italic"' * text.italic
        halo = ' stroke="#ffffff" stroke-width="4" paint-order="stroke"' if text.halo else ""
        parts.append(f'<text x="{text.x}" y="{text.y}" {style}{halo}>{e(text.text)}</text>')
    parts.append("</svg>")
    return "\n".join(parts).encode("utf-8")


def _font(size: int, bold: bool):
    from PIL import ImageFont

    for path in FONT_FILES["B" if bold else ""]:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def to_png(drawing: Drawing, *, keep_double: bool = False) -> bytes:
    """The drawing as PNG (slides), drawn with Pillow at twice the size then reduced, for smooth edges.

    ``keep_double``: keep the drawing at twice its size (paper: a 1 000-pixel drawing printed 180 mm
    wide stays at 280 dots per inch).
    """
    from PIL import Image, ImageChops, ImageDraw

    factor = 2
    image = Image.new("RGB", (drawing.width * factor, drawing.height * factor), "#ffffff")
    frame = Image.new("L", image.size, 0)
    ImageDraw.Draw(frame).rectangle([v * factor for v in drawing.frame], fill=255)
    for shape in drawing.shapes:
        layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
        pen = ImageDraw.Draw(layer)
        alpha = round(255 * shape.opacity)
        for ring in shape.rings:
            points = [(x * factor, y * factor) for x, y in ring]
            if len(points) < 3:
                continue
            fill = None if shape.fill == "none" else _rgba(shape.fill, alpha)
            pen.polygon(points, fill=fill)
        for ring in shape.rings:
            points = [(x * factor, y * factor) for x, y in ring]
            if len(points) < 2 or shape.stroke == "none":
                continue
            width = max(1, round(shape.width * factor))
            if shape.dash:
                for segment in _dashes(points + points[:1], 6 * factor, 4 * factor):
                    pen.line(segment, fill=_rgba(shape.stroke, 255), width=width)
            else:
                pen.line(points + points[:1], fill=_rgba(shape.stroke, 255), width=width)
        mask = layer.getchannel("A")
        if shape.clip:
            mask = ImageChops.multiply(mask, frame)
        image.paste(layer, (0, 0), mask)
    pen = ImageDraw.Draw(image)
    pen.rectangle([v * factor for v in drawing.frame], outline="#999999", width=factor)
    for x1, y1, x2, y2, colour, width in drawing.lines:
        pen.line([(x1 * factor, y1 * factor), (x2 * factor, y2 * factor)], fill=colour, width=round(width * factor))
    for x, y, colour, radius in drawing.dots:
        r = radius * factor
        pen.ellipse(
            [x * factor - r, y * factor - r, x * factor + r, y * factor + r], fill=colour, outline="#ffffff", width=3
        )
    for text in drawing.texts:
        font = _font(text.size * factor, text.bold)
        anchor = "ls" if text.anchor == "start" else "ms"
        halo = {"stroke_width": 4, "stroke_fill": "#ffffff"} if text.halo else {}
        pen.text((text.x * factor, text.y * factor), text.text, font=font, fill=text.colour, anchor=anchor, **halo)
    if not keep_double:
        image = image.resize((drawing.width, drawing.height), Image.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _dashes(points: list[tuple[float, float]], on: float, off: float) -> list[list[tuple[float, float]]]:
    """A polyline cut into dashes of ``on`` pixels separated by ``off`` (Pillow draws no dashed line)."""
    from itertools import pairwise

    dashes, current = [], [points[0]]
    drawing, left = True, on
    for (x0, y0), (x1, y1) in pairwise(points):
        length, done = math.hypot(x1 - x0, y1 - y0), 0.0
        while length - done > left:
            done += left
            point = (x0 + (x1 - x0) * done / length, y0 + (y1 - y0) * done / length)
            if drawing:
                current.append(point)
                dashes.append(current)
            else:
                current = [point]
            drawing = not drawing
            left = on if drawing else off
        left -= length - done
        if drawing:
            current.append((x1, y1))
    if drawing and len(current) > 1:
        dashes.append(current)
    return dashes


def _rgba(colour: str, alpha: int) -> tuple[int, int, int, int]:
    colour = colour.lstrip("#")
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16), alpha)
