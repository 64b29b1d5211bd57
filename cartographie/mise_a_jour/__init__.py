"""Rebuild a reference folder from the official publishers (ANCT, Etalab).

The update downloads every official file, filters it to one region, derives the joined
tables and writes a folder in exactly the format that :mod:`cartographie.lecture.reference` reads.
Everything is written to a temporary folder, loaded back through the normal loaders, and
only then swapped with the previous folder: a failed update leaves the old data intact.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
import tarfile
import tempfile
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape

from cartographie import config
from cartographie.lecture.erreurs import ReferenceDataError
from cartographie.lecture.reference import QPV_PERIMETER_COLUMNS, load_reference
from cartographie.lecture.sources import load_manifest
from cartographie.mise_a_jour.telechargement import Download, DownloadError, fetch

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


#: Name of the manifest written in every folder the update produces.
FOLDER_MANIFEST = "MANIFESTE.json"


class UpdateError(Exception):
    """The update failed; the previous folder is untouched. The message is in French."""


def slugify(text: str) -> str:
    """``"Grand Est"`` → ``"grand_est"`` (file suffix of a region)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().upper().strip()


def _clean_cell(value: object) -> str:
    """Strip the ``="…"`` Excel wrapping and spaces that official CSV files put around codes."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).strip()
    match = re.fullmatch(r'="?(.*?)"?', text)
    return (match.group(1) if match else text).strip()


def read_official_csv(raw: bytes, nom: str) -> pd.DataFrame:
    """An official CSV: ``;`` or ``,`` separated, UTF-8 with or without BOM (cp1252 as a fallback)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise UpdateError(f"{nom} : encodage inconnu.")
    first_line = text.split("\n", 1)[0]
    sep = ";" if first_line.count(";") >= first_line.count(",") else ","
    # ="…" (a code Excel must keep as text) becomes an ordinary quoted field, so that a list
    # of codes such as ="03095;03310" is not split on its separator.
    text = re.sub(rf'(^|{sep})="((?:[^"]|"")*)"(?={sep}|\r?$)', r'\1"\2"', text, flags=re.MULTILINE)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise UpdateError(f"{nom} : CSV illisible ({exc}).") from exc
    frame.columns = [_clean_cell(c).lower() for c in frame.columns]
    return frame.apply(lambda column: column.map(_clean_cell))


def _json(download: Download) -> object:
    try:
        return json.loads(download.member(".json").decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UpdateError(f"{download.nom} : JSON attendu, contenu illisible ({exc}).") from exc


def _geojson(download: Download, suffix: str = ".geojson") -> gpd.GeoDataFrame:
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


def _require(frame: pd.DataFrame, columns: list[str], nom: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise UpdateError(f"{nom} : colonne(s) attendue(s) absente(s) : {', '.join(missing)}.")


def decode_topojson(topology: dict, nom: str) -> gpd.GeoDataFrame:
    """Decode the first object of a TopoJSON topology (quantised or not) into a GeoDataFrame."""
    if topology.get("type") != "Topology" or not topology.get("objects"):
        raise UpdateError(f"{nom} : TopoJSON attendu.")
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy, *_ in arc:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
            arcs.append(points)
        else:
            arcs.append([tuple(p[:2]) for p in arc])

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indexes:
            part = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(part if not points else part[1:])
        return points

    records, geometries = [], []
    for geometry in next(iter(topology["objects"].values()))["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            coords = [ring(r) for r in geometry["arcs"]]
        elif kind == "MultiPolygon":
            coords = [[ring(r) for r in polygon] for polygon in geometry["arcs"]]
        else:
            continue
        records.append(geometry.get("properties") or {})
        geometries.append(shape({"type": kind, "coordinates": coords}))
    return gpd.GeoDataFrame(records, geometry=geometries, crs=4326)


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


def npm_pack(nom: str, package: str, timeout: float = 120) -> Download:
    """Fetch an npm package's tarball with the npm client itself (``npm pack``)."""
    import datetime as dt
    import hashlib
    import shutil as sh
    import subprocess

    npm = sh.which("npm")
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


def _decoupage(download: Download) -> dict[str, list[dict]]:
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


def _check_plausible(count: int, expected: int | None, what: str, tolerance: float = 0.2) -> None:
    if count == 0:
        raise UpdateError(f"aucun(e) {what} trouvé(e) pour la région.")
    if expected and abs(count - expected) > tolerance * expected:
        raise UpdateError(f"{count} {what} trouvé(e)s, loin des {expected} attendu(e)s : fichier source suspect.")


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
    decoupage = _decoupage(get("decoupage_administratif"))
    regions = {r["code"]: r["nom"] for r in decoupage["regions"]}
    if region not in regions:
        raise UpdateError(f"région « {region} » inconnue (codes INSEE : {', '.join(sorted(regions))}).")
    region_name = regions[region]
    suffix = slugify(region_name)
    dep_names = {d["code"]: d["nom"] for d in decoupage["departements"]}
    communes_list = [c for c in decoupage["communes"] if c.get("type", "commune-actuelle") == "commune-actuelle"]
    all_communes = {c["code"]: c for c in communes_list}
    region_communes = {c["code"]: c for c in communes_list if c.get("region") == region}
    departements = sorted({c["departement"] for c in region_communes.values()})
    epci_of: dict[str, str] = {}
    epci_info: dict[str, dict] = {}
    for epci in decoupage["epci"]:
        epci_info[epci["code"]] = epci
        for member in epci.get("membres", []):
            epci_of[member["code"]] = epci["code"]

    def commune_name(code: str) -> str:
        return all_communes.get(code, {}).get("nom", code)

    # QPV 2024 perimeters (national file, possibly zipped), kept as published.
    perimeters = _geojson(get("qpv_perimetres"))
    _require(
        perimeters,
        ["code_qp", "lib_qp", "insee_reg", "insee_dep", "insee_com", "lib_com", "siren_epci"],
        "qpv_perimetres",
    )
    perimeters = perimeters[perimeters["insee_reg"].astype(str) == region].copy()
    _check_plausible(len(perimeters), expected.get("qpv_2024"), "QPV")
    perimeters["geometry"] = shapely.set_precision(perimeters.geometry.values, 1e-6)
    qpv_codes = set(perimeters["code_qp"])

    # QPV list (COG 2024): communes and EPCI of each QPV.
    listing = read_official_csv(get("qpv_liste").contenu, "qpv_liste")
    _require(listing, ["code_qp", "lib_qp", "insee_com"], "qpv_liste")
    listing = listing[listing["code_qp"].isin(qpv_codes)].drop_duplicates("code_qp").set_index("code_qp")
    if set(listing.index) != qpv_codes:
        ecart = sorted(qpv_codes ^ set(listing.index))[:5]
        raise UpdateError(f"qpv_liste : les codes QPV ne correspondent pas aux périmètres ({', '.join(ecart)}).")

    # Correspondence 2024 → 2015, found through the data.gouv.fr API.
    resources = _json(get("qpv_ressources"))
    entries = resources.get("data", resources) if isinstance(resources, dict) else resources
    url = next(
        (
            r.get("url")
            for r in entries
            if "correspondance" in (str(r.get("title", "")) + str(r.get("url", ""))).lower()
        ),
        None,
    )
    if not url:
        raise UpdateError("qpv_ressources : aucun fichier de correspondance QPV 2024 – 2015 dans le jeu de données.")
    get.adresses["qpv_correspondance"] = url  # type: ignore[attr-defined]
    correspondence = read_official_csv(get("qpv_correspondance").contenu, "qpv_correspondance")
    _require(correspondence, ["qp2024", "statut", "qp2015_1"], "qpv_correspondance")
    correspondence = correspondence[correspondence["qp2024"].isin(qpv_codes)].copy()
    correspondence["statut"] = correspondence["statut"].map(_fold)
    for column in ("label_qp2024", "qp2015_2", "label_qp2015_1", "label_qp2015_2", "qp2015_3", "label_qp2015_3"):
        if column not in correspondence:
            correspondence[column] = ""
    correspondence = correspondence[
        [
            "qp2024",
            "label_qp2024",
            "statut",
            "qp2015_1",
            "label_qp2015_1",
            "qp2015_2",
            "label_qp2015_2",
            "qp2015_3",
            "label_qp2015_3",
        ]
    ].sort_values("qp2024")
    missing = sorted(qpv_codes - set(correspondence["qp2024"]))
    if missing:
        raise UpdateError(f"qpv_correspondance : QPV absents de la correspondance : {', '.join(missing[:5])}.")

    # Contrats de ville 2024–2030 (ANCT label points); carrier = commune (5 digits) or EPCI (SIREN).
    contrats = _geojson(get("contrats_2024"), ".json")
    _require(contrats, ["codgeo", "code_cv", "lib_cv", "insee_dep"], "contrats_2024")
    contrats = contrats[contrats["insee_dep"].isin(departements)].copy()
    _check_plausible(len(contrats), expected.get("contrats_ville_2024"), "contrats de ville 2024")
    contrats["porteur_code"] = contrats["codgeo"].astype(str)
    contrats["porteur_type"] = contrats["porteur_code"].map(lambda c: "commune" if len(c) == 5 else "epci")
    contrats["porteur_nom"] = [
        commune_name(c) if t == "commune" else epci_info.get(c, {}).get("nom", c)
        for c, t in zip(contrats["porteur_code"], contrats["porteur_type"], strict=True)
    ]
    contrats["pop_anct"] = pd.to_numeric(contrats.get("pop"), errors="coerce")
    by_commune = dict(
        zip(
            contrats.loc[contrats.porteur_type == "commune", "porteur_code"],
            contrats.loc[contrats.porteur_type == "commune", "code_cv"],
            strict=True,
        )
    )
    by_epci = dict(
        zip(
            contrats.loc[contrats.porteur_type == "epci", "porteur_code"],
            contrats.loc[contrats.porteur_type == "epci", "code_cv"],
            strict=True,
        )
    )
    lib_cv = dict(zip(contrats["code_cv"], contrats["lib_cv"], strict=True))

    # QPV table: one row per QPV 2024.
    statut = correspondence.set_index("qp2024")
    rows, long_rows = [], []
    for code, perimeter in perimeters.set_index("code_qp").iterrows():
        raw_communes = listing.loc[code, "insee_com"] or str(perimeter["insee_com"])
        communes = [c for c in re.split(r"[;,\s]+", raw_communes) if c]
        siren = (listing.loc[code].get("siren_epci") or "") or str(perimeter["siren_epci"])
        siren = siren or epci_of.get(communes[0], "")
        contrat = next((by_commune[c] for c in communes if c in by_commune), None) or by_epci.get(siren)
        if contrat is None:
            raise UpdateError(f"contrat de ville introuvable pour le QPV {code} (EPCI {siren}).")
        rows.append(
            {
                "code_qp": code,
                "lib_qp": perimeter["lib_qp"],
                "insee_dep": code[2:4] if code[2:4].isdigit() else perimeter["insee_dep"],
                "lib_dep": dep_names.get(str(perimeter["insee_dep"]), perimeter.get("lib_dep", "")),
                "insee_com": ";".join(communes),
                "lib_com": ";".join(commune_name(c) for c in communes),
                "nb_communes": len(communes),
                "siren_epci": siren,
                "lib_epci": epci_info.get(siren, {}).get("nom", listing.loc[code].get("lib_epci", "")),
                "code_cv_2024": contrat,
                "lib_cv_2024": lib_cv[contrat],
                "statut_2024_vs_2015": statut.loc[code, "statut"],
                "code_qp_2015": statut.loc[code, "qp2015_1"],
                "lib_qp_2015": statut.loc[code, "label_qp2015_1"],
            }
        )
        for commune in communes:
            long_rows.append(
                {
                    "code_qp": code,
                    "lib_qp": perimeter["lib_qp"],
                    "insee_com": commune,
                    "lib_com": commune_name(commune),
                    "insee_dep": all_communes.get(commune, {}).get("departement", ""),
                    "siren_epci": epci_of.get(commune, ""),
                    "lib_epci": epci_info.get(epci_of.get(commune, ""), {}).get("nom", ""),
                    "population_commune": all_communes.get(commune, {}).get("population", ""),
                }
            )
    qpv_table = pd.DataFrame(rows).sort_values("code_qp")
    qpv_long = pd.DataFrame(long_rows).sort_values(["code_qp", "insee_com"])
    qpv_per_contrat = qpv_table.groupby("code_cv_2024")["code_qp"].agg(list)
    contrats["nb_qpv_2024"] = contrats["code_cv"].map(lambda c: len(qpv_per_contrat.get(c, [])))
    contrats["codes_qpv_2024"] = contrats["code_cv"].map(lambda c: ";".join(qpv_per_contrat.get(c, [])))
    orphans = contrats.loc[contrats["nb_qpv_2024"] == 0, "code_cv"].tolist()
    if orphans:
        raise UpdateError(f"contrat(s) de ville sans QPV : {', '.join(orphans)}.")

    # Contrats de ville 2015–2023: perimeters (TopoJSON) joined with ANCT attributes.
    topo = decode_topojson(_json(get("contrats_2015_perimetres")), "contrats_2015_perimetres")
    _require(topo, ["id", "lib", "perimetre", "nbcom", "info1", "info2"], "contrats_2015_perimetres")
    attributes = _geojson(get("contrats_2015_attributs"), ".json")
    _require(attributes, ["code_cv", "lib_cv", "insee_dep"], "contrats_2015_attributs")
    attributes = pd.DataFrame(attributes.drop(columns="geometry"))
    attributes = attributes[attributes["insee_dep"].isin(departements)]
    contrats_2015 = topo.rename(
        columns={"id": "code_cv", "lib": "lib_cv", "nbcom": "nb_communes", "info2": "fiche_sig_ville"}
    )
    contrats_2015["siren_porteur_2015"] = contrats_2015["info1"].map(
        lambda v: str(v).split(".")[0] if v is not None else ""
    )
    contrats_2015 = contrats_2015.merge(
        attributes.rename(columns={"lib_cv": "lib_cv_anct", "pop": "pop_qpv_anct"}).reindex(
            columns=["code_cv", "lib_cv_anct", "insee_dep", "pop_qpv_anct"]
        ),
        on="code_cv",
        how="inner",
    )
    contrats_2015["geometry"] = shapely.make_valid(contrats_2015.geometry.values)
    contrats_2015 = gpd.GeoDataFrame(
        contrats_2015[
            [
                "code_cv",
                "lib_cv",
                "lib_cv_anct",
                "perimetre",
                "nb_communes",
                "siren_porteur_2015",
                "insee_dep",
                "pop_qpv_anct",
                "fiche_sig_ville",
                "geometry",
            ]
        ],
        geometry="geometry",
        crs=4326,
    ).sort_values("code_cv")
    _check_plausible(len(contrats_2015), expected.get("contrats_ville_2015"), "contrats de ville 2015")

    # Adultes-relais and FONJEP posts, 2020–2025.
    credit_frames = []
    for dispositif in ("adultes-relais", "FONJEP"):
        for year in range(2020, 2026):
            records = _json(get(f"{dispositif}_{year}"))
            if not isinstance(records, list):
                raise UpdateError(f"{dispositif}_{year} : liste JSON attendue.")
            frame = pd.DataFrame(records, dtype=str)
            _require(
                frame,
                ["id_poste", "raison_sociale", "montant", "annee", "insee_dep", "insee_reg"],
                f"{dispositif}_{year}",
            )
            frame.insert(0, "dispositif", dispositif)
            credit_frames.append(frame[frame["insee_reg"] == region])
    credits = pd.concat(credit_frames, ignore_index=True).reindex(
        columns=[
            "dispositif",
            "annee",
            "id_poste",
            "code_tiers",
            "raison_sociale",
            "montant",
            "code_cv",
            "insee_dep",
            "insee_reg",
        ]
    )

    # Communes, EPCI, departments and region: Etalab contours + decoupage-administratif attributes.
    qpv_by_commune = qpv_long.groupby("insee_com")["code_qp"].agg(list)
    contours = _geojson(get("communes_contours"))
    _require(contours, ["code"], "communes_contours")
    communes = contours[contours["code"].isin(region_communes)].copy()
    _check_plausible(len(communes), expected.get("communes"), "communes")
    communes = gpd.GeoDataFrame(
        {
            "insee_com": communes["code"],
            "nom": communes["code"].map(commune_name),
            "insee_dep": communes["code"].map(lambda c: region_communes[c]["departement"]),
            "siren_epci": communes["code"].map(lambda c: epci_of.get(c, "")),
            "lib_epci": communes["code"].map(lambda c: epci_info.get(epci_of.get(c, ""), {}).get("nom", "")),
            "population": communes["code"].map(lambda c: region_communes[c].get("population", 0)),
            "nb_qpv_2024": communes["code"].map(lambda c: len(qpv_by_commune.get(c, []))),
            "codes_qpv_2024": communes["code"].map(lambda c: ";".join(qpv_by_commune.get(c, []))),
        },
        geometry=shapely.make_valid(communes.geometry.values),
        crs=4326,
    ).sort_values("insee_com")

    epci_codes = {epci_of[c] for c in region_communes if c in epci_of}
    epci_contours = _geojson(get("epci_contours"))
    _require(epci_contours, ["code"], "epci_contours")
    epci = epci_contours[epci_contours["code"].isin(epci_codes)].copy()
    contrat_by_epci = {v: k for k, v in by_epci.items()}

    def epci_dep(code: str) -> str:
        deps = pd.Series([all_communes.get(m["code"], {}).get("departement", "") for m in epci_info[code]["membres"]])
        deps = deps[deps.isin(departements)]
        return deps.mode().iloc[0] if not deps.empty else ""

    epci = gpd.GeoDataFrame(
        {
            "siren_epci": epci["code"],
            "lib_epci": epci["code"].map(lambda c: epci_info[c]["nom"]),
            "nature": epci["code"].map(lambda c: epci_info[c].get("type", "")),
            "insee_dep": epci["code"].map(epci_dep),
            "nb_communes": epci["code"].map(lambda c: len(epci_info[c].get("membres", []))),
            "population_municipale": epci["code"].map(
                lambda c: sum(
                    all_communes.get(m["code"], {}).get("population", 0) or 0 for m in epci_info[c]["membres"]
                )
            ),
            "nb_qpv_2024": epci["code"].map(lambda c: int((qpv_table["siren_epci"] == c).sum())),
            "code_cv_2024": epci["code"].map(lambda c: contrat_by_epci.get(c)),
        },
        geometry=shapely.make_valid(epci.geometry.values),
        crs=4326,
    ).sort_values("siren_epci")
    _check_plausible(len(epci), expected.get("epci"), "EPCI")

    dep_contours = _geojson(get("departements_contours"))
    _require(dep_contours, ["code"], "departements_contours")
    deps = dep_contours[dep_contours["code"].isin(departements)]
    dep_frame = gpd.GeoDataFrame(
        {
            "insee_dep": deps["code"],
            "lib_dep": deps["code"].map(dep_names),
            "insee_reg": region,
            "nb_communes": deps["code"].map(lambda d: int((communes["insee_dep"] == d).sum())),
            "population": deps["code"].map(lambda d: int(communes.loc[communes["insee_dep"] == d, "population"].sum())),
            "nb_qpv_2024": deps["code"].map(lambda d: int((qpv_table["insee_dep"] == d).sum())),
        },
        geometry=shapely.make_valid(deps.geometry.values),
        crs=4326,
    ).sort_values("insee_dep")
    _check_plausible(len(dep_frame), expected.get("departements"), "départements")

    reg_contours = _geojson(get("regions_contours"))
    _require(reg_contours, ["code"], "regions_contours")
    reg = reg_contours[reg_contours["code"] == region]
    if reg.empty:
        raise UpdateError(f"regions_contours : la région {region} est absente.")
    region_frame = gpd.GeoDataFrame(
        {
            "insee_reg": [region],
            "lib_reg": [region_name],
            "nb_communes": [len(communes)],
            "population": [int(communes["population"].sum())],
            "nb_qpv_2024": [len(qpv_table)],
        },
        geometry=shapely.make_valid(reg.geometry.values[:1]),
        crs=4326,
    )

    perimeters_out = perimeters[QPV_PERIMETER_COLUMNS] if "fid" in perimeters else perimeters
    layers = {
        "qpv_2024": perimeters_out.sort_values("code_qp"),
        "contrats_ville_2024": contrats[
            [
                "code_cv",
                "lib_cv",
                "porteur_code",
                "porteur_type",
                "porteur_nom",
                "insee_dep",
                "pop_anct",
                "nb_qpv_2024",
                "codes_qpv_2024",
                "geometry",
            ]
        ].sort_values("code_cv"),
        "contrats_ville_2015": contrats_2015,
        "epci": epci,
        "departements": dep_frame,
        "region": region_frame,
        "communes": communes,
    }
    tables = {
        "qpv_2024": qpv_table,
        "qpv_2024_communes": qpv_long,
        "qpv_correspondance_2024_2015": correspondence,
        "credits_adultes_relais_fonjep": credits,
    }
    counts = {}
    for stem, frame in layers.items():
        path = target / f"{stem}_{suffix}.geojson"
        frame.to_file(path, driver="GeoJSON")
        counts[path.name] = len(frame)
    for stem, frame in tables.items():
        path = target / f"{stem}_{suffix}.csv"
        frame.to_csv(path, index=False, encoding="utf-8")
        counts[path.name] = len(frame)
    return counts


def update(
    dest: Path | None = None,
    region: str = config.DEFAULT_REGION,
    *,
    adresses: dict[str, str] | None = None,
    expected: dict[str, int] | None = None,
    progress: TextIO | None = sys.stderr,
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
    fetcher = _Fetcher(dict(adresses or OFFICIAL_ADDRESSES), progress, timeout, retries)
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
                {"region": region, "telechargements": report.telechargements, "fichiers": counts},
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
