from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry import Polygon

from cartographie.rendu.geometrie import simplify_for_display, vertex_count


def _wiggly(x0: float, n: int = 400) -> Polygon:
    """A ~1 km square in Lorraine whose bottom edge has n tiny zigzags (a few metres)."""
    bottom = [(x0 + i * 0.012 / n, 48.7 + (0.00002 if i % 2 else 0)) for i in range(n + 1)]
    return Polygon([*bottom, (x0 + 0.012, 48.709), (x0, 48.709)])


def test_simplification_removes_vertices_and_keeps_valid_wgs84_shapes():
    frame = gpd.GeoDataFrame({"code": ["a"]}, geometry=[_wiggly(6.0)], crs=4326)
    simplified = simplify_for_display(frame, 5.0)
    assert simplified.crs.to_epsg() == 4326
    assert vertex_count(simplified) < vertex_count(frame) / 10
    assert simplified.is_valid.all()
    before, after = frame.to_crs(2154).area.iloc[0], simplified.to_crs(2154).area.iloc[0]
    assert abs(after - before) / before < 0.01


def test_coverage_simplification_keeps_shared_borders_shared():
    left, right = _wiggly(6.0), _wiggly(6.012)
    # Two neighbours sharing an irregular border.
    border = [(6.012, 48.7 + i * 0.009 / 50) for i in range(51)]
    border = [(x + (0.00003 if i % 2 else 0), y) for i, (x, y) in enumerate(border)]
    west = Polygon([(6.0, 48.7), *border, (6.0, 48.709)])
    east = Polygon([*border, (6.024, 48.709), (6.024, 48.7)][::-1])
    frame = gpd.GeoDataFrame({"code": ["o", "e"]}, geometry=[west, east], crs=4326)
    simplified = simplify_for_display(frame, 20.0, coverage=True, grid=1e-6)
    overlap = shapely.intersection(simplified.geometry.iloc[0], simplified.geometry.iloc[1]).area
    gap = shapely.union_all(frame.geometry).area - shapely.union_all(simplified.geometry).area
    assert overlap < 1e-9 and abs(gap) < 1e-8
    assert left.is_valid and right.is_valid


def test_empty_frame_is_returned_as_is():
    frame = gpd.GeoDataFrame({"code": []}, geometry=[], crs=4326)
    assert simplify_for_display(frame, 5.0).empty
