"""Rebuild a reference folder from the official publishers (ANCT, Etalab).

The update downloads every official file (one function per source in
:mod:`cartographie.mise_a_jour.sources`), filters it to one region, derives the joined tables
and writes a folder in exactly the format that :mod:`cartographie.lecture.reference` reads.
Everything is written to a temporary folder, loaded back through the normal loaders, and only
then swapped with the previous folder: a failed update leaves the old data intact.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from cartographie import config
from cartographie.domaine.formats import format_date
from cartographie.lecture.erreurs import ReferenceDataError
from cartographie.lecture.reference import QPV_PERIMETER_COLUMNS, load_reference
from cartographie.lecture.sources import FOLDER_MANIFEST, load_manifest
from cartographie.mise_a_jour import sources
from cartographie.mise_a_jour.formats import UpdateError, npm_pack, read_official_csv, read_topojson
from cartographie.mise_a_jour.telechargement import Download, DownloadError, fetch

__all__ = [
    "FOLDER_MANIFEST",
    "OFFICIAL_ADDRESSES",
    "UpdateError",
    "UpdateReport",
    "read_official_csv",
    "read_topojson",
    "update",
]

_CI_VILLE2 = (
    "https://raw.githubusercontent.com/anct-carto/ci-ville2/c4110278f334830e8fc67047729926275cec4c78/src/assets"
)


_CI_VILLE = "https://raw.githubusercontent.com/anct-carto/ci-ville/7465bbcfc6be5fbf454cff9ea5f25d4a31ce5f91/src/assets"


_ETALAB = "https://etalab-datasets.geo.data.gouv.fr/contours-administratifs/2025/geojson"


#: Official addresses (see shared/data/PROVENANCE.md). Keys name what each download is.
OFFICIAL_ADDRESSES: dict[str, str] = {
    "qpv_perimetres": "https://www.data.gouv.fr/fr/datasets/r/942d4ee8-8142-4556-8ea1-335537ce1119",
    "qpv_liste": "https://static.data.gouv.fr/resources/quartiers-prioritaires-de-la-politique-de-la-ville-qpv/"
    "20260116-110350/listeqp2024-cog2024.csv",
    "qpv_ressources": "https://www.data.gouv.fr/api/2/datasets/5a561801c751df42d7fca9b6/resources/?page_size=50",
    "contrats_2024": f"{_CI_VILLE2}/geom_cv_ctr.json",
    "contrats_2015_attributs": f"{_CI_VILLE}/geom_cv_ctr.json",
    "contrats_2015_perimetres": "https://raw.githubusercontent.com/anct-carto/superposeur/"
    "03f6a495954ef55ec99f6d0d5e9f2e0363155fcd/data/cv.topojson",
    **{
        f"adultes-relais_{y}": f"{_CI_VILLE if y < 2024 else _CI_VILLE2}/adulte-relais-{y}.json"
        for y in range(2020, 2026)
    },
    **{f"FONJEP_{y}": f"{_CI_VILLE if y < 2024 else _CI_VILLE2}/postes-fonjep-{y}.json" for y in range(2020, 2026)},
    "communes_contours": f"{_ETALAB}/communes-100m.geojson",
    "epci_contours": f"{_ETALAB}/epci-100m.geojson",
    "departements_contours": f"{_ETALAB}/departements-100m.geojson",
    "regions_contours": f"{_ETALAB}/regions-100m.geojson",
    # Fetched with npm itself (``npm pack``), by package name and version.
    "decoupage_administratif": "npm:@etalab/decoupage-administratif@6.0.0",
}


#: The downloads each reference file is made from (names of :data:`OFFICIAL_ADDRESSES`, prefixes for a series).
DOWNLOADS_OF = {
    "qpv_2024": ("qpv_perimetres",),
    "qpv_2024_liste": ("qpv_liste", "decoupage_administratif"),
    "qpv_2024_communes": ("qpv_liste", "decoupage_administratif"),
    "qpv_correspondance": ("qpv_correspondance",),
    "contrats_ville_2024": ("contrats_2024", "decoupage_administratif"),
    "contrats_ville_2015": ("contrats_2015_perimetres", "contrats_2015_attributs"),
    "credits": ("adultes-relais_", "FONJEP_"),
    "communes": ("communes_contours", "decoupage_administratif"),
    "epci": ("epci_contours", "decoupage_administratif"),
    "departements": ("departements_contours", "decoupage_administratif"),
    "region": ("regions_contours", "decoupage_administratif"),
}


def recorded_sources(manifest, downloads: list[dict]) -> dict[str, dict]:
    """What a folder written by the update holds, source by source: the manifest's entries as downloaded.

    Each says when and from where its files were downloaded (``canal``), so that the app credits
    exactly what the folder holds even after ``data/sources.toml`` changes.
    """
    recorded = {}
    for key, entry in manifest.fichiers.items():
        used = [d for d in downloads if any(d["nom"].startswith(n) for n in DOWNLOADS_OF.get(key, ()))]
        days = sorted({d["date"][:10] for d in used})
        where = ", ".join(d["adresse_finale"] or d["adresse"] for d in used)
        when = " et ".join(format_date(day) for day in days)
        canal = f"téléchargé le {when} : {where}" if used else ""
        source = entry.downloaded(canal=canal)
        recorded[key] = {
            f: getattr(source, f)
            for f in ("titre", "producteur", "contours", "millesime", "licence", "adresse", "note", "canal")
        }
    return recorded


@dataclass
class UpdateReport:
    """What an update did: the folder, the downloads and the files written."""

    dossier: Path
    region: str
    telechargements: list[dict] = field(default_factory=list)
    fichiers: dict[str, int] = field(default_factory=dict)


class _Fetcher:
    def __init__(self, adresses: dict[str, str], progress: TextIO | None, timeout: float, retries: int) -> None:
        self.adresses, self.progress, self.timeout, self.retries = adresses, progress, timeout, retries
        self.done: list[Download] = []

    def __call__(self, nom: str) -> Download:
        adresse = self.adresses[nom]
        try:
            if adresse.startswith("npm:"):  # an npm package, fetched by name with the npm client
                download = npm_pack(nom, adresse.removeprefix("npm:"), timeout=max(self.timeout, 120))
            else:
                download = fetch(nom, adresse, timeout=self.timeout, retries=self.retries, progress=self.progress)
        except DownloadError as exc:
            raise UpdateError(str(exc)) from exc
        self.done.append(download)
        return download


def build_folder(
    target: Path,
    region: str,
    get: Callable[[str], Download],
    expected: dict[str, int] | None = None,
) -> dict[str, int]:
    """Download, filter and derive every reference file of ``region`` into ``target``.

    Returns the number of rows of each file written.
    """
    expected = expected or {}
    lists = sources.administrative_lists(get, region)
    perimeters = sources.qpv_perimeters(get, region, expected.get("qpv_2024"))
    qpv_codes = set(perimeters["code_qp"])
    listing = sources.qpv_list(get, qpv_codes)
    correspondence = sources.qpv_correspondence(get, qpv_codes)
    contrats = sources.contrats_2024(get, lists, expected.get("contrats_ville_2024"))
    qpv_table, qpv_long = sources.qpv_tables(perimeters, listing, correspondence, contrats, lists)
    contrats = sources.count_qpv_per_contrat(contrats, qpv_table)
    communes = sources.communes(get, lists, qpv_long, expected.get("communes"))
    layers = {
        "qpv_2024": (perimeters[QPV_PERIMETER_COLUMNS] if "fid" in perimeters else perimeters).sort_values("code_qp"),
        "contrats_ville_2024": contrats[[*CONTRATS_2024_COLUMNS, "geometry"]].sort_values("code_cv"),
        "contrats_ville_2015": sources.contrats_2015(get, lists, expected.get("contrats_ville_2015")),
        "epci": sources.epci(get, lists, qpv_table, contrats, expected.get("epci")),
        "departements": sources.departements(get, lists, communes, qpv_table, expected.get("departements")),
        "region": sources.region_outline(get, lists, communes, qpv_table),
        "communes": communes,
    }
    tables = {
        "qpv_2024": qpv_table,
        "qpv_2024_communes": qpv_long,
        "qpv_correspondance_2024_2015": correspondence,
        "credits_adultes_relais_fonjep": sources.credits(get, region),
    }
    counts = {}
    for stem, frame in layers.items():
        path = target / f"{stem}_{lists.suffix}.geojson"
        frame.to_file(path, driver="GeoJSON")
        counts[path.name] = len(frame)
    for stem, frame in tables.items():
        path = target / f"{stem}_{lists.suffix}.csv"
        frame.to_csv(path, index=False, encoding="utf-8")
        counts[path.name] = len(frame)
    return counts


#: Columns of the contrats de ville 2024 file, in the format of the reference folder.
CONTRATS_2024_COLUMNS = [
    "code_cv",
    "lib_cv",
    "porteur_code",
    "porteur_type",
    "porteur_nom",
    "insee_dep",
    "pop_anct",
    "nb_qpv_2024",
    "codes_qpv_2024",
]


def update(
    dest: Path | None = None,
    region: str = config.DEFAULT_REGION,
    *,
    adresses: dict[str, str] | None = None,
    expected: dict[str, int] | None = None,
    progress: TextIO | bool | None = True,
    timeout: float = 60.0,
    retries: int = 3,
) -> UpdateReport:
    """Rebuild the reference folder ``dest`` for ``region``; replace the old one only on success.

    Parameters
    ----------
    dest
        Folder to (re)build; defaults to :func:`config.reference_dir`.
    region
        INSEE code of the region (``"44"``: Grand Est).
    adresses
        Addresses to download from; defaults to :data:`OFFICIAL_ADDRESSES` (tests use a local server).
    progress
        Where to write the downloads' progress: ``True`` for the standard error of the moment (read
        at the call, not when the module was imported), ``None`` for nowhere.
    expected
        Plausible row counts (±20 %) per file key; defaults to those of the manifest for the region.

    Raises
    ------
    UpdateError
        Something failed; ``dest`` is left exactly as it was.
    """
    dest = Path(dest) if dest is not None else config.reference_dir()
    manifest = load_manifest()
    if expected is None:
        expected = manifest.regions[region].effectifs if region in manifest.regions else {}
    if progress is True:
        progress = sys.stderr
    fetcher = _Fetcher(dict(adresses or OFFICIAL_ADDRESSES), progress or None, timeout, retries)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.maj-", dir=dest.parent))
    try:
        counts = build_folder(staging, region, fetcher, expected)
        report = UpdateReport(dossier=dest, region=region, fichiers=counts)
        report.telechargements = [
            {
                "nom": d.nom,
                "adresse": d.adresse,
                "adresse_finale": d.adresse_finale,
                "sha256": d.sha256,
                "octets": len(d.contenu),
                "date": d.date,
            }
            for d in fetcher.done
        ]
        (staging / FOLDER_MANIFEST).write_text(
            json.dumps(
                {
                    "region": region,
                    "telechargements": report.telechargements,
                    "fichiers": counts,
                    "sources": recorded_sources(manifest, report.telechargements),
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
        try:
            load_reference(staging, manifest)
        except ReferenceDataError as exc:
            raise UpdateError(f"le dossier produit ne passe pas la validation : {exc}") from exc
        _swap(staging, dest)
        return report
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, dest: Path) -> None:
    """Replace ``dest`` by ``staging`` with two renames; restore the old folder if the second fails."""
    backup = dest.with_name(f".{dest.name}.ancien")
    shutil.rmtree(backup, ignore_errors=True)
    if dest.exists():
        dest.rename(backup)
    try:
        staging.rename(dest)
    except OSError:
        if backup.exists():
            backup.rename(dest)
        raise
    shutil.rmtree(backup, ignore_errors=True)
