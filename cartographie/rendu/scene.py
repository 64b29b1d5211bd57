"""Where each QPV's symbol goes, once, for every drawing of the map: none hides another.

At the region's scale most QPV are a few pixels across and are drawn as a round symbol of their
status colour. Symbols of neighbouring QPV (eight in Strasbourg, ten in Mulhouse) would cover
each other, and the one category an official asks about first, the new QPV, was drawn first, so
under the others. The scene:

* **spreads** the symbols that would overlap, by the smallest moves that leave a gap between any
  two (pairwise pushes until none overlaps). A moved
  symbol is tied to its true place by a thin leader line, drawn by each renderer. Chosen over
  clusters: every QPV stays visible and clickable at the opening zoom, and its colour is seen;
* **orders** the symbols so that the new QPV are drawn last, on top;
* is computed in the pixels of the drawing that shows it: Web Mercator pixels at each zoom of the
  interactive map (the screen and the presentation slides run the same map), the image's own
  pixels for the PNG, SVG and PDF drawings.

The same function places the symbols of every renderer, so they agree.
"""

from __future__ import annotations

import math

import numpy as np

#: Draw order of the statuses: the later on top (new QPV last).
DRAW_ORDER = ("INCHANGE", "MODIFIE", "NOUVEAU")

#: Zooms of the interactive map (its zoom snaps to quarters) for which the symbols' places are computed:
#: the whole of France at the smallest, a neighbourhood at the largest (QPV are polygons by then).
ZOOMS = tuple(z / 4 for z in range(4 * 4, 4 * 13 + 1))

#: Rounds of pushes at most; each round moves every overlapping pair apart.
MAX_ROUNDS = 600
#: The first rounds also pull each symbol back by this share of its move (compact groups).
PULL_ROUNDS, PULL = 150, 0.08


def draw_rank(statut: str) -> int:
    """Where a status comes in the drawing order (higher is drawn later, on top)."""
    return DRAW_ORDER.index(statut) if statut in DRAW_ORDER else -1


def spread(points: np.ndarray, radius, gap: float = 1.0) -> np.ndarray:
    """The points moved apart so that no two are closer than the sum of their radii plus ``gap`` (pixels).

    ``radius``: one radius for every point, or one per point (symbols graduated by population).

    Deterministic. Each round pushes every overlapping pair (found by a k-d tree) apart by half its
    overlap (plus a hair), both ways, then, during the first :data:`PULL_ROUNDS` rounds, pulls every
    point a little back towards its true place, which keeps a dense group compact around its centre
    (a ring of symbols round the city rather than a scattered trail). Pairs at the same place are
    separated along a direction given by their index.
    """
    from scipy.spatial import cKDTree

    points = np.asarray(points, dtype=float).reshape(-1, 2)
    moved = points.copy()
    if len(moved) < 2:
        return moved
    radii = np.broadcast_to(np.asarray(radius, dtype=float), (len(moved),))
    reach = 2 * float(radii.max()) + gap
    for round_number in range(MAX_ROUNDS):
        pairs = cKDTree(moved).query_pairs(reach - 1e-6, output_type="ndarray")
        if len(pairs):  # the pairs closer than their own radii allow
            between = np.hypot(*(moved[pairs[:, 1]] - moved[pairs[:, 0]]).T)
            pairs = pairs[between < radii[pairs[:, 0]] + radii[pairs[:, 1]] + gap - 1e-6]
        if not len(pairs):
            if round_number >= PULL_ROUNDS:
                break
        else:
            first, second = pairs[:, 0], pairs[:, 1]
            minimum = radii[first] + radii[second] + gap
            delta = moved[second] - moved[first]
            distance = np.hypot(delta[:, 0], delta[:, 1])
            same = distance < 1e-9
            if same.any():  # a direction of their own for points at the same place
                angle = (first[same] * 2.399963 + second[same]) % (2 * math.pi)
                delta[same] = np.column_stack([np.cos(angle), np.sin(angle)])
                distance[same] = 1.0
            push = ((minimum - distance) / 2 + 0.05)[:, None] * delta / distance[:, None]
            shift = np.zeros_like(moved)
            np.add.at(shift, first, -push)
            np.add.at(shift, second, push)
            moved += shift
        if round_number < PULL_ROUNDS:
            moved += PULL * (points - moved)
    return moved


def mercator_pixels(lon: np.ndarray, lat: np.ndarray, zoom: float) -> np.ndarray:
    """Web Mercator pixels at ``zoom`` (Leaflet's ``map.project``: 256 × 2^zoom for the world)."""
    size = 256 * 2**zoom
    lat = np.clip(np.asarray(lat, dtype=float), -85.0511, 85.0511)
    x = size * (np.asarray(lon, dtype=float) + 180) / 360
    phi = np.radians(lat)
    y = size * (1 - np.log(np.tan(phi) + 1 / np.cos(phi)) / math.pi) / 2
    return np.column_stack([x, y])


def screen_offsets(codes, lon, lat, radius, gap: float = 1.0, zooms=ZOOMS) -> dict:
    """For each zoom of the interactive map, the move of each symbol that must move (pixels, one decimal).

    ``codes``, ``lon``, ``lat``: the QPV and their symbols' true places (the centre of each QPV's
    bounding box, as the map takes it); ``radius``: a symbol's radius with its outline (one, or one per
    QPV). Returns
    ``{"zooms": [...], "decalages": [{code: [dx, dy]}, ...]}``, one mapping per zoom, holding only
    the symbols moved by a tenth of a pixel or more.
    """
    codes = list(codes)
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    per_zoom = []
    for zoom in zooms:
        true = mercator_pixels(lon, lat, zoom)
        shift = np.round(spread(true, radius, gap) - true, 1)
        per_zoom.append({codes[i]: [float(dx), float(dy)] for i, (dx, dy) in enumerate(shift) if dx or dy})
    return {"zooms": list(zooms), "decalages": per_zoom}


def label_anchors(geometry, count: int = 48) -> list[tuple[float, float]]:
    """Points inside ``geometry`` where its name may be centred, the nearest to its middle first (lon, lat).

    Its representative point, then the points of a 9 × 9 grid over its bounds that fall well inside
    it (a tenth of its size from its edge): a department's name moves round the symbols that crowd
    its middle without leaving the department.
    """
    from shapely.geometry import Point

    middle = geometry.representative_point()
    west, south, east, north = geometry.bounds
    inner = geometry.buffer(-0.1 * min(east - west, north - south) / 2)
    grid = [
        Point(west + (east - west) * (i + 0.5) / 9, south + (north - south) * (j + 0.5) / 9)
        for i in range(9)
        for j in range(9)
    ]
    inside = sorted((p for p in grid if inner.contains(p)), key=lambda p: p.distance(middle))
    return [(round(p.x, 4), round(p.y, 4)) for p in [middle, *inside][:count]]


def box_centres(features: list[dict]) -> tuple[list[str], list[float], list[float]]:
    """Codes and centres (lon, lat) of the QPV GeoJSON features' bounding boxes, as Leaflet computes them."""
    from shapely.geometry import shape

    codes, lon, lat = [], [], []
    for feature in features:
        west, south, east, north = shape(feature["geometry"]).bounds
        codes.append(feature["properties"]["code_qp"])
        lon.append((west + east) / 2)
        lat.append((south + north) / 2)
    return codes, lon, lat


def covered_share(centres: np.ndarray, radius: float) -> np.ndarray:
    """For each circle of ``radius`` at ``centres``, the largest share of its area another circle covers."""
    centres = np.asarray(centres, dtype=float).reshape(-1, 2)
    shares = np.zeros(len(centres))
    full = math.pi * radius**2
    for i in range(len(centres)):
        d = np.hypot(*(centres - centres[i]).T)
        d[i] = np.inf
        close = d[d < 2 * radius]
        for distance in close:
            shares[i] = max(shares[i], _lens_area(distance, radius) / full)
    return shares


def _lens_area(d: float, r: float) -> float:
    """The area shared by two circles of radius ``r`` whose centres are ``d`` apart."""
    if d >= 2 * r:
        return 0.0
    return 2 * r * r * math.acos(d / (2 * r)) - d / 2 * math.sqrt(max(4 * r * r - d * d, 0.0))
