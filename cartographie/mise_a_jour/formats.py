"""Reading what the official publishers send: CSV, JSON, GeoJSON, TopoJSON, npm tarballs.

Every problem is an :class:`UpdateError` naming the download and what is wrong, in French.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd

from cartographie.lecture.tableur import TabularFileError, read_csv
from cartographie.mise_a_jour.telechargement import Download, DownloadError


class UpdateError(Exception):
    """The update failed; the previous folder is untouched. The message is in French."""


def _clean_cell(value: object) -> str:
    """Strip the ``="…"`` Excel wrapping and spaces that official CSV files put around codes."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).strip()
    match = re.fullmatch(r'="?(.*?)"?', text)
    return (match.group(1) if match else text).strip()


def read_official_csv(raw: bytes, nom: str) -> pd.DataFrame:
    """An official CSV (``;`` or ``,``, UTF-8 with or without BOM, else Windows-1252), codes unwrapped."""
    try:
        frame, _, _ = read_csv(raw)
    except TabularFileError as exc:
        raise UpdateError(f"{nom} : {exc}") from exc
    frame.columns = [_clean_cell(c).lower() for c in frame.columns]
    return frame.apply(lambda column: column.map(_clean_cell))


def read_json(download: Download) -> object:
    """The JSON of a download (the first ``.json`` of an archive)."""
    try:
        return json.loads(download.member(".json").decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UpdateError(f"{download.nom} : JSON attendu, contenu illisible ({exc}).") from exc


def read_geojson(download: Download, suffix: str = ".geojson") -> gpd.GeoDataFrame:
    """The FeatureCollection of a download, in WGS84; an empty one is refused."""
    try:
        data = json.loads(download.member(suffix).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UpdateError(f"{download.nom} : GeoJSON attendu, contenu illisible ({exc}).") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise UpdateError(f"{download.nom} : ce n'est pas une FeatureCollection GeoJSON.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = gpd.GeoDataFrame.from_features(data["features"], crs=4326)
    if frame.empty:
        raise UpdateError(f"{download.nom} : le fichier ne contient aucun objet.")
    return frame


def read_topojson(raw: bytes, nom: str) -> gpd.GeoDataFrame:
    """The first object of a TopoJSON topology (quantised or not), read by the installed GDAL, in WGS84."""
    try:
        topology = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UpdateError(f"{nom} : TopoJSON attendu, contenu illisible ({exc}).") from exc
    if not isinstance(topology, dict) or topology.get("type") != "Topology" or not topology.get("objects"):
        raise UpdateError(f"{nom} : TopoJSON attendu.")
    layer = next(iter(topology["objects"]))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = gpd.read_file(io.BytesIO(raw), layer=layer, engine="pyogrio")
    except Exception as exc:  # GDAL reports a broken topology in several ways
        raise UpdateError(f"{nom} : TopoJSON illisible ({type(exc).__name__} : {exc}).") from exc
    frame = frame[frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    return frame.set_crs(4326, allow_override=True).reset_index(drop=True)


def require(frame: pd.DataFrame, columns: list[str], nom: str) -> None:
    """Refuse a download that lacks a column the update needs."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise UpdateError(f"{nom} : colonne(s) attendue(s) absente(s) : {', '.join(missing)}.")


def check_plausible(count: int, expected: int | None, what: str, tolerance: float = 0.2) -> None:
    """Refuse a count far from the expected one (a truncated or wrong source file)."""
    if count == 0:
        raise UpdateError(f"aucun(e) {what} trouvé(e) pour la région.")
    if expected and abs(count - expected) > tolerance * expected:
        raise UpdateError(f"{count} {what} trouvé(e)s, loin des {expected} attendu(e)s : fichier source suspect.")


def npm_pack(nom: str, package: str, timeout: float = 120) -> Download:
    """Fetch an npm package's tarball with the npm client itself (``npm pack``)."""
    npm = shutil.which("npm")
    if npm is None:
        raise DownloadError(
            f"{nom} : le client npm est nécessaire pour obtenir le paquet {package} (installez Node.js et npm)."
        )
    with tempfile.TemporaryDirectory() as folder:
        try:
            result = subprocess.run(
                [npm, "pack", package, "--pack-destination", folder, "--silent"],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise DownloadError(f"{nom} : délai dépassé pour npm pack {package}.") from exc
        archives = sorted(Path(folder).glob("*.tgz"))
        if result.returncode != 0 or not archives:
            raise DownloadError(f"{nom} : npm pack {package} a échoué ({result.stderr.strip()[:200]}).")
        content = archives[0].read_bytes()
    return Download(
        nom=nom,
        adresse=f"npm:{package}",
        adresse_finale=f"npm:{package}",
        contenu=content,
        sha256=hashlib.sha256(content).hexdigest(),
        date=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )


def read_decoupage(download: Download) -> dict[str, list[dict]]:
    """communes.json, epci.json, departements.json and regions.json of @etalab/decoupage-administratif."""
    out = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(download.contenu), mode="r:*") as archive:
            for name in ("communes", "epci", "departements", "regions"):
                member = next((m for m in archive.getmembers() if m.name.endswith(f"data/{name}.json")), None)
                if member is None:
                    raise UpdateError(f"{download.nom} : fichier data/{name}.json absent de l'archive.")
                out[name] = json.loads(archive.extractfile(member).read().decode("utf-8"))
    except tarfile.TarError as exc:
        raise UpdateError(f"{download.nom} : archive npm (.tgz) attendue ({exc}).") from exc
    return out
