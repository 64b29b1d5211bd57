"""The map's scene: symbols that never hide each other, new QPV on top, names clear of symbols, in every renderer."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cartographie.rendu import scene
from cartographie.rendu.charte import STATUT_COULEURS


def _closest(points: np.ndarray) -> float:
    """The smallest distance between two points (computed plainly, pair by pair)."""
    best = math.inf
    for i in range(len(points)):
        for j in range(i + 1, len(points)):
            best = min(best, math.dist(points[i], points[j]))
    return best


def test_spread_leaves_a_gap_between_any_two_symbols_and_moves_lone_ones_not_at_all():
    rng = np.random.default_rng(3)
    crowd = rng.normal(0, 8, size=(40, 2))  # a city of 40 QPV in a few pixels
    lone = np.array([[500.0, 500.0], [-400.0, 300.0]])
    points = np.vstack([crowd, lone, [[0.0, 0.0], [0.0, 0.0]]])  # two at the very same place
    placed = scene.spread(points, radius=7, gap=1)
    assert _closest(placed) >= 15 - 1e-6
    assert np.allclose(placed[40:42], lone)
    assert np.array_equal(placed, scene.spread(points, radius=7, gap=1))  # the same picture each time
    # Compact: the crowd stays round its centre (no symbol further than the packing of 44 discs needs).
    assert np.max(np.hypot(*(placed[:40] - crowd.mean(axis=0)).T)) < 7.5 * math.sqrt(44) * 1.6


def test_spread_keeps_symbols_of_different_sizes_apart_by_their_own_radii():
    """A large symbol (a populous QPV) pushes its neighbours further than a small one; lone ones stay."""
    points = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [300.0, 300.0], [312.0, 300.0]])
    radii = np.array([12.0, 6.0, 6.0, 6.0, 5.0])
    placed = scene.spread(points, radius=radii, gap=1)
    for i in range(len(points)):
        for j in range(i + 1, len(points)):
            assert math.dist(placed[i], placed[j]) >= radii[i] + radii[j] + 1 - 1e-6, (i, j)
    assert np.allclose(placed[3:], points[3:])  # 12 px apart, their radii 6 and 5 need 12: unmoved
    # The same points with one radius for all: the two small ones need less room from the first.
    even = scene.spread(points, radius=6, gap=1)
    assert math.dist(even[0], even[1]) < math.dist(placed[0], placed[1])


def test_the_screen_map_moves_symbols_so_that_none_overlaps_at_any_zoom(real_reference):
    bounds = real_reference.qpv.geometry.bounds
    lon = ((bounds.minx + bounds.maxx) / 2).to_numpy()
    lat = ((bounds.miny + bounds.maxy) / 2).to_numpy()
    codes = list(real_reference.qpv["code_qp"])
    zooms = (6.0, 7.0, 7.25, 8.5, 10.0)
    places = scene.screen_offsets(codes, lon, lat, radius=7, zooms=zooms)
    for zoom, moves in zip(zooms, places["decalages"], strict=True):
        true = scene.mercator_pixels(lon, lat, zoom)
        shown = true + np.array([moves.get(code, [0.0, 0.0]) for code in codes])
        assert _closest(shown) >= 15 - 0.2, zoom  # moves are rounded to a tenth of a pixel
        before = scene.covered_share(true, 7)
        assert (before > 0.5).sum() > 0 or zoom >= 10  # there was something to solve
    assert scene.draw_rank("NOUVEAU") > scene.draw_rank("MODIFIE") > scene.draw_rank("INCHANGE")


@pytest.fixture(scope="module")
def region_drawing(real_reference):
    from cartographie.rendu.image_carte import map_drawing

    return map_drawing(real_reference, None, title="Les QPV", subtitle="Grand Est")


def test_the_image_draws_every_dot_clear_of_the_others_and_the_new_qpv_on_top(region_drawing, real_reference):
    left, top, right, bottom = region_drawing.frame
    dots = [d for d in region_drawing.dots if left <= d[0] <= right and top <= d[1] <= bottom]
    assert len(dots) >= 100
    for i, (x, y, _, r) in enumerate(dots):  # no two closer than their radii (sizes graduated by population)
        for x2, y2, _, r2 in dots[i + 1 :]:
            assert math.dist((x, y), (x2, y2)) >= r + r2, (x, y, x2, y2)
    colours = [c for _, _, c, _ in dots]
    new = STATUT_COULEURS["NOUVEAU"]
    assert colours.count(new) == int((real_reference.qpv["statut_2024_vs_2015"] == "NOUVEAU").sum())
    assert colours[-colours.count(new) :] == [new] * colours.count(new)  # drawn last


def test_the_image_names_every_department_and_no_name_touches_a_dot_or_a_name(region_drawing, real_reference):
    left, top, right, bottom = region_drawing.frame
    dots = [(x, y, r) for x, y, _, r in region_drawing.dots if left <= x <= right and top <= y <= bottom]
    names = [t for t in region_drawing.texts if t.halo]
    shown = {t.text for t in names}
    assert {d.upper() for d in real_reference.departements["lib_dep"]} <= shown
    boxes = []
    for t in names:
        w, h = 0.6 * t.size * len(t.text), t.size * 1.2
        boxes.append((t.x - w / 2, t.y - t.size * 0.35 - h / 2, t.x + w / 2, t.y - t.size * 0.35 + h / 2, t.text))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a[4], b[4])
        for x, y, r in dots:
            nearest = (min(max(x, a[0]), a[2]), min(max(y, a[1]), a[3]))
            assert math.dist((x, y), nearest) >= r, (a[4], x, y)
