"""Checks run on every reference file as it is loaded; each failure names the file and the problem."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from cartographie.lecture.erreurs import ReferenceDataError


def _liste(values: Iterable[object], limit: int = 5) -> str:
    values = [str(v) for v in values]
    extrait = ", ".join(values[:limit])
    return extrait + (f" … ({len(values)} au total)" if len(values) > limit else "")


def check_columns(frame: pd.DataFrame, required: Iterable[str], path: Path) -> None:
    """Every required column is present."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ReferenceDataError(path, f"colonne(s) manquante(s) : {_liste(missing)}.")


def check_not_empty(frame: pd.DataFrame, path: Path) -> None:
    """The file holds at least one row."""
    if frame.empty:
        raise ReferenceDataError(path, "le fichier ne contient aucune ligne.")


def check_unique(frame: pd.DataFrame, column: str, path: Path) -> None:
    """``column`` is filled and holds no duplicate."""
    empty = frame[column].isna() | (frame[column].astype(str).str.strip() == "")
    if empty.any():
        raise ReferenceDataError(path, f"{int(empty.sum())} ligne(s) sans valeur dans la colonne « {column} ».")
    duplicated = frame.loc[frame[column].duplicated(), column].unique()
    if len(duplicated):
        raise ReferenceDataError(path, f"code(s) en double dans « {column} » : {_liste(duplicated)}.")


def check_pattern(frame: pd.DataFrame, column: str, pattern: str, path: Path, what: str) -> None:
    """Every value of ``column`` matches the regular expression ``pattern``."""
    values = frame[column].dropna().astype(str)
    bad = values[~values.str.fullmatch(pattern)]
    if len(bad):
        raise ReferenceDataError(path, f"{what} mal formé(s) dans « {column} » : {_liste(bad.unique())}.")


def check_numeric(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """``column`` converts to numbers; return the converted series."""
    converted = pd.to_numeric(frame[column], errors="coerce")
    bad = frame.loc[converted.isna() & frame[column].notna(), column]
    if len(bad):
        raise ReferenceDataError(path, f"valeur(s) non numérique(s) dans « {column} » : {_liste(bad.unique())}.")
    return converted


def check_values(frame: pd.DataFrame, column: str, allowed: Iterable[str], path: Path) -> None:
    """``column`` only holds the allowed values."""
    allowed = set(allowed)
    bad = sorted(set(frame[column].dropna().astype(str)) - allowed)
    if bad:
        raise ReferenceDataError(
            path, f"valeur(s) inattendue(s) dans « {column} » : {_liste(bad)} (attendu : {_liste(sorted(allowed))})."
        )


def check_count(frame: pd.DataFrame, expected: int | None, path: Path, what: str) -> None:
    """The number of rows is the expected one (skipped when no count is known for the region)."""
    if expected is not None and len(frame) != expected:
        raise ReferenceDataError(path, f"{len(frame)} {what} trouvé(s), {expected} attendu(s).")


def check_geometry(frame: gpd.GeoDataFrame, path: Path, kinds: Iterable[str], id_column: str) -> None:
    """CRS is WGS84, every geometry is present, of the expected kind, and valid."""
    if frame.crs is None:
        raise ReferenceDataError(path, "système de coordonnées absent (WGS84, EPSG:4326, attendu).")
    if frame.crs.to_epsg() != 4326:
        raise ReferenceDataError(path, f"système de coordonnées {frame.crs.to_string()} ; WGS84 (EPSG:4326) attendu.")
    missing = frame.geometry.isna() | frame.geometry.is_empty
    if missing.any():
        raise ReferenceDataError(path, f"géométrie absente pour : {_liste(frame.loc[missing, id_column])}.")
    kinds = set(kinds)
    wrong = ~frame.geom_type.isin(kinds)
    if wrong.any():
        raise ReferenceDataError(
            path,
            f"type de géométrie inattendu pour : {_liste(frame.loc[wrong, id_column])} "
            f"(attendu : {', '.join(sorted(kinds))}).",
        )
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        raise ReferenceDataError(path, f"géométrie invalide pour : {_liste(frame.loc[invalid, id_column])}.")
    minx, miny, maxx, maxy = frame.total_bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise ReferenceDataError(
            path, "coordonnées hors des bornes de WGS84 (longitude/latitude inversées ou projetées ?)."
        )
    if not any(
        left <= minx and maxx <= right and bottom <= miny and maxy <= top for left, bottom, right, top in FRANCE
    ):
        raise ReferenceDataError(
            path,
            f"coordonnées hors de France (longitudes {minx:.2f} à {maxx:.2f}, latitudes {miny:.2f} à {maxy:.2f}) : "
            "longitude et latitude inversées ?",
        )


#: Longitude and latitude boxes (west, south, east, north) of metropolitan France and of each overseas
#: region, with a margin: a file whose coordinates fall in none has them swapped or wrong.
FRANCE = (
    (-6.0, 41.0, 10.0, 51.5),  # metropolitan France and Corsica
    (-62.0, 14.2, -60.6, 16.7),  # Guadeloupe and Martinique
    (-54.8, 2.0, -51.5, 6.0),  # Guyane
    (55.1, -21.5, 55.9, -20.8),  # La Réunion
    (44.9, -13.1, 45.4, -12.5),  # Mayotte
)
