"""Geometry prepared once for display: simplified in metres, rounded, back in WGS84."""

from __future__ import annotations

import geopandas as gpd
import shapely

#: Simplification tolerance per layer, in metres. QPV perimeters are street-scale objects
#: (a few hundred metres across): 5 m keeps their shape at street zoom while dividing the
#: vertex count by about four. Administrative outlines are only context at regional zoom.
#: EPCI and departments tile the region and are simplified together as a coverage
#: (shared borders stay shared); their tolerance is the one of GEOS coverage simplification.
DISPLAY_TOLERANCES_M = {
    "qpv": 5.0,
    "communes": 40.0,
    "contrats_2015": 300.0,
    "epci": 800.0,
    "departements": 1000.0,
}


#: Coordinates are rounded once simplified: 1e-5 degree (about 1 m) for QPV perimeters,
#: 1e-4 degree (about 10 m) for the administrative outlines, far below their tolerance.
DISPLAY_GRID_DEGREES = {"qpv": 1e-5, "communes": 1e-4, "contrats_2015": 1e-4, "epci": 1e-4, "departements": 1e-4}


def simplify_for_display(
    frame: gpd.GeoDataFrame, tolerance_m: float, *, coverage: bool = False, grid: float = 1e-5
) -> gpd.GeoDataFrame:
    """Return a copy of ``frame`` simplified by ``tolerance_m`` metres, in WGS84.

    Parameters
    ----------
    frame
        Polygons in any CRS.
    tolerance_m
        Douglas-Peucker tolerance in metres, applied in the local UTM projection.
    coverage
        The polygons tile the territory (departments, EPCI): simplify their shared
        borders together so that no gap or overlap appears between neighbours.
    grid
        Coordinates are rounded to this grid, in degrees, after simplification.
    """
    if frame.empty:
        return frame.to_crs(4326)
    metric_crs = frame.to_crs(4326).estimate_utm_crs()
    projected = frame.to_crs(metric_crs)
    geoms = projected.geometry.values
    if coverage:
        simplified = shapely.coverage_simplify(geoms, tolerance_m)
    else:
        simplified = shapely.simplify(geoms, tolerance_m, preserve_topology=True)
    out = projected.set_geometry(gpd.GeoSeries(simplified, index=projected.index, crs=metric_crs)).to_crs(4326)
    rounded = shapely.set_precision(out.geometry.values, grid)
    # Rounding can collapse a sliver into nothing: keep the unrounded shape there.
    rounded = [r if not r.is_empty else o for r, o in zip(rounded, out.geometry.values, strict=True)]
    return out.set_geometry(gpd.GeoSeries(rounded, index=out.index, crs=4326))


def vertex_count(frame: gpd.GeoDataFrame) -> int:
    """Total number of vertices of a layer (used by the benchmark and the tests)."""
    return int(shapely.get_num_coordinates(frame.geometry.values).sum())


def simplify_layer(frame: gpd.GeoDataFrame, layer: str, *, coverage: bool = False) -> gpd.GeoDataFrame:
    """Simplify one named layer with its documented tolerance and grid."""
    return simplify_for_display(frame, DISPLAY_TOLERANCES_M[layer], coverage=coverage, grid=DISPLAY_GRID_DEGREES[layer])
