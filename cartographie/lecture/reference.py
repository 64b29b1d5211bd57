"""Loaders for the reference data (QPV, contrats de ville, territories, credits).

Every loader takes a path and returns a (Geo)DataFrame in WGS84, validated; a broken
file raises :class:`~cartographie.errors.ReferenceDataError` naming the file and the
problem, in French. Nothing here imports Streamlit.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd

from cartographie import config
from cartographie.domaine.credits import CreditsQuality, check_credits, credits_ledger
from cartographie.domaine.predecesseurs import all_predecessors, predecessor_codes, predecessors_table
from cartographie.domaine.territoires import STATUTS, ReferenceData
from cartographie.lecture import validation
from cartographie.lecture.erreurs import ReferenceDataError
from cartographie.lecture.sources import (
    FOLDER_MANIFEST,
    Manifest,
    RegionInfo,
    folder_sources,
    load_manifest,
    resolve_files,
)
from cartographie.lecture.tableur import TabularFileError, read_csv

QPV_CODE = r"QN\d{2}[0-9AB]\d{2}[MIN]|QN9\d{2}\d{2}[MIN]|QN\d{5}[MIN]"


QPV_2015_CODE = r"QP\d{3}\d{3}|QP\d{2}[AB]\d{3}|QP9\d{5}"


CV_2024_CODE = r"CN\w{2,3}\d{2}[MIN]?\w?"


DEP_CODE = r"\d{2}|2[AB]|97\d"


_POLYGONS = ("Polygon", "MultiPolygon")


#: Properties of the QPV 2024 perimeters file, as ANCT publishes them (format of the reference folder).
QPV_PERIMETER_COLUMNS = [
    "fid",
    "code_qp",
    "lib_qp",
    "insee_reg",
    "lib_reg",
    "insee_dep",
    "lib_dep",
    "insee_com",
    "lib_com",
    "siren_epci",
    "geometry",
]


def _read_geojson(path: Path) -> gpd.GeoDataFrame:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several kinds of errors for a broken file
        raise ReferenceDataError(
            path, f"fichier illisible ou GeoJSON mal formé ({type(exc).__name__} : {exc})."
        ) from exc
    validation.check_not_empty(frame, path)
    return frame


#: A reference table holds at most this many rows and columns (the Grand Est's largest, the credits, has
#: about 3 000 rows; all of France's communes, 35 000).
MAX_REFERENCE_ROWS = 200_000
MAX_REFERENCE_COLUMNS = 100


def _read_csv(path: Path) -> pd.DataFrame:
    """A reference CSV as text cells (missing values NaN), read by the bounded reader of every CSV file.

    :func:`cartographie.lecture.tableur.read_csv`: header and column count checked before any row,
    reading stopped past the row limit, a line with more fields than the header refused (its number
    given), all in linear time.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReferenceDataError(path, f"fichier illisible ({type(exc).__name__} : {exc}).") from exc
    try:
        frame, _encoding, _sep = read_csv(raw, max_rows=MAX_REFERENCE_ROWS, max_columns=MAX_REFERENCE_COLUMNS)
    except TabularFileError as exc:
        raise ReferenceDataError(path, str(exc)) from exc
    frame = frame.mask(frame == "")  # an empty cell is a missing value, as elsewhere in the domain
    validation.check_not_empty(frame, path)
    return frame


def load_qpv_perimeters(path: Path, expected: int | None = None) -> gpd.GeoDataFrame:
    """QPV 2024 perimeters (ANCT file, one MultiPolygon per QPV)."""
    frame = _read_geojson(path)
    validation.check_columns(frame, ["code_qp", "lib_qp", "insee_dep", "insee_com", "siren_epci"], path)
    validation.check_unique(frame, "code_qp", path)
    validation.check_pattern(frame, "code_qp", QPV_CODE, path, "code(s) QPV")
    validation.check_geometry(frame, path, _POLYGONS, "code_qp")
    validation.check_count(frame, expected, path, "QPV")
    return frame[["code_qp", "geometry"]]


#: Columns of the QPV 2024 list (``qpv_2024_<region>.csv``).
QPV_LIST_COLUMNS = [
    "code_qp",
    "lib_qp",
    "insee_dep",
    "lib_dep",
    "insee_com",
    "lib_com",
    "nb_communes",
    "siren_epci",
    "lib_epci",
    "code_cv_2024",
    "lib_cv_2024",
    "statut_2024_vs_2015",
]


def load_qpv_list(path: Path, expected: int | None = None) -> pd.DataFrame:
    """QPV 2024 attributes: communes, EPCI, contrat de ville, status versus 2015."""
    frame = _read_csv(path)
    validation.check_columns(frame, QPV_LIST_COLUMNS, path)
    validation.check_unique(frame, "code_qp", path)
    validation.check_pattern(frame, "code_qp", QPV_CODE, path, "code(s) QPV")
    validation.check_pattern(frame, "insee_dep", DEP_CODE, path, "code(s) de département")
    validation.check_values(frame, "statut_2024_vs_2015", STATUTS, path)
    frame["nb_communes"] = validation.check_numeric(frame, "nb_communes", path).astype(int)
    missing_cv = frame["code_cv_2024"].isna()
    if missing_cv.any():
        raise ReferenceDataError(path, f"QPV sans contrat de ville : {', '.join(frame.loc[missing_cv, 'code_qp'])}.")
    validation.check_count(frame, expected, path, "QPV")
    return frame


def load_qpv_communes(path: Path, qpv_list: pd.DataFrame) -> pd.DataFrame:
    """The QPV ↔ commune table: one row per QPV and commune it spans (12 QPV of the region span several).

    Checked against the QPV list: the same QPV, and for each the same communes. Every piece of
    code that needs a QPV's communes uses this table (never the ``;``-joined cells of the list).
    """
    frame = _read_csv(path)
    validation.check_columns(frame, ["code_qp", "insee_com", "lib_com"], path)
    validation.check_pattern(frame, "code_qp", QPV_CODE, path, "code(s) QPV")
    validation.check_pattern(frame, "insee_com", r"\d{5}|2[AB]\d{3}", path, "code(s) commune")
    duplicated = frame.duplicated(["code_qp", "insee_com"])
    if duplicated.any():
        pairs = ", ".join(f"{q}/{c}" for q, c in frame.loc[duplicated, ["code_qp", "insee_com"]].to_numpy()[:5])
        raise ReferenceDataError(path, f"couple(s) QPV / commune en double : {pairs}.")
    expected = {
        (code, commune)
        for code, cell in zip(qpv_list["code_qp"], qpv_list["insee_com"], strict=True)
        for commune in str(cell).split(";")  # the list file's own format, read here only
        if commune
    }
    found = set(zip(frame["code_qp"], frame["insee_com"], strict=True))
    if found != expected:
        ecart = sorted(f"{q}/{c}" for q, c in found ^ expected)
        raise ReferenceDataError(
            path, f"les communes des QPV diffèrent de celles de la liste des QPV : {', '.join(ecart[:5])}."
        )
    return frame[["code_qp", "insee_com", "lib_com"]].sort_values(["code_qp", "insee_com"]).reset_index(drop=True)


def load_qpv_correspondence(path: Path, expected: int | None = None) -> pd.DataFrame:
    """ANCT correspondence QPV 2024 → QPV 2015 (up to three 2015 codes per 2024 QPV)."""
    frame = _read_csv(path)
    validation.check_columns(frame, ["qp2024", "statut", "qp2015_1", "label_qp2015_1"], path)
    validation.check_unique(frame, "qp2024", path)
    validation.check_values(frame, "statut", STATUTS, path)
    for column in ("qp2015_1", "qp2015_2", "qp2015_3"):
        if column in frame:
            validation.check_pattern(frame, column, QPV_2015_CODE, path, "code(s) QPV 2015")
    validation.check_count(frame, expected, path, "QPV")
    return frame


def load_contrats_2024_points(path: Path, expected: int | None = None) -> gpd.GeoDataFrame:
    """Contrats de ville 2024–2030: ANCT label points, with the code of their carrier."""
    frame = _read_geojson(path)
    columns = ["code_cv", "lib_cv", "porteur_code", "porteur_type", "porteur_nom", "insee_dep", "nb_qpv_2024"]
    validation.check_columns(frame, columns, path)
    validation.check_unique(frame, "code_cv", path)
    validation.check_values(frame, "porteur_type", ["epci", "commune"], path)
    validation.check_geometry(frame, path, ("Point",), "code_cv")
    validation.check_count(frame, expected, path, "contrats de ville")
    frame["nb_qpv_2024"] = validation.check_numeric(frame, "nb_qpv_2024", path).astype(int)
    return frame


def load_contrats_2015(path: Path, expected: int | None = None) -> gpd.GeoDataFrame:
    """Contrats de ville 2015–2023 perimeters (CGET/ANCT, 2018 layer)."""
    frame = _read_geojson(path)
    columns = ["code_cv", "lib_cv", "perimetre", "siren_porteur_2015", "insee_dep", "pop_qpv_anct"]
    validation.check_columns(frame, columns, path)
    validation.check_unique(frame, "code_cv", path)
    validation.check_geometry(frame, path, _POLYGONS, "code_cv")
    validation.check_count(frame, expected, path, "contrats de ville 2015")
    return frame


def load_epci(path: Path, expected: int | None = None) -> gpd.GeoDataFrame:
    """EPCI à fiscalité propre (perimeters as of 1 January 2025)."""
    frame = _read_geojson(path)
    columns = ["siren_epci", "lib_epci", "nature", "insee_dep", "nb_communes", "population_municipale", "nb_qpv_2024"]
    validation.check_columns(frame, columns, path)
    validation.check_unique(frame, "siren_epci", path)
    validation.check_pattern(frame, "siren_epci", r"\d{9}", path, "SIREN")
    validation.check_geometry(frame, path, _POLYGONS, "siren_epci")
    validation.check_count(frame, expected, path, "EPCI")
    return frame


def load_departements(path: Path, expected: int | None = None) -> gpd.GeoDataFrame:
    """Departments of the region."""
    frame = _read_geojson(path)
    validation.check_columns(frame, ["insee_dep", "lib_dep", "population", "nb_qpv_2024"], path)
    validation.check_unique(frame, "insee_dep", path)
    validation.check_pattern(frame, "insee_dep", DEP_CODE, path, "code(s) de département")
    validation.check_geometry(frame, path, _POLYGONS, "insee_dep")
    validation.check_count(frame, expected, path, "départements")
    return frame


def load_region(path: Path, expected: int | None = None) -> gpd.GeoDataFrame:
    """Region outline (one polygon)."""
    frame = _read_geojson(path)
    validation.check_columns(frame, ["insee_reg", "lib_reg"], path)
    validation.check_geometry(frame, path, _POLYGONS, "insee_reg")
    validation.check_count(frame, expected if expected is not None else 1, path, "région")
    return frame


def load_communes(path: Path, expected: int | None = None) -> gpd.GeoDataFrame:
    """Communes with their EPCI, population and QPV count."""
    frame = _read_geojson(path)
    columns = ["insee_com", "nom", "insee_dep", "siren_epci", "population", "nb_qpv_2024"]
    validation.check_columns(frame, columns, path)
    validation.check_unique(frame, "insee_com", path)
    validation.check_pattern(frame, "insee_com", r"\d{5}|2[AB]\d{3}", path, "code(s) commune")
    validation.check_geometry(frame, path, _POLYGONS, "insee_com")
    validation.check_count(frame, expected, path, "communes")
    return frame


def load_credits(path: Path) -> tuple[pd.DataFrame, CreditsQuality]:
    """Adultes-relais and FONJEP posts funded per year (ANCT, Dauphin platform), deduplicated and checked.

    Returns one row per scheme, year and post, and the findings of the data-quality checks
    (see :mod:`cartographie.domaine.credits`).
    """
    frame = _read_csv(path)
    columns = ["dispositif", "annee", "id_poste", "raison_sociale", "montant", "code_cv", "insee_dep"]
    validation.check_columns(frame, columns, path)
    validation.check_values(frame, "dispositif", ["adultes-relais", "FONJEP"], path)
    frame["annee"] = validation.check_numeric(frame, "annee", path).astype(int)
    frame["montant"] = validation.check_numeric(frame, "montant", path).astype(float)
    missing = frame["id_poste"].isna()
    if missing.any():
        lignes = ", ".join(str(i + 2) for i in frame.index[missing][:5])
        raise ReferenceDataError(path, f"identifiant de poste manquant (ligne(s) {lignes}).")
    return check_credits(frame)


def join_qpv(
    perimeters: gpd.GeoDataFrame,
    attributes: pd.DataFrame,
    correspondence: pd.DataFrame,
    paths: dict[str, Path],
    communes: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """One row per QPV 2024: perimeter, attributes and the 2015 codes it comes from.

    With the QPV ↔ commune table, ``lib_com`` and ``insee_com`` become display texts
    (« Nancy, Vandœuvre-lès-Nancy »): the communes themselves are in that table.
    """
    geo_codes, list_codes = set(perimeters["code_qp"]), set(attributes["code_qp"])
    if geo_codes != list_codes:
        ecart = sorted(geo_codes ^ list_codes)
        raise ReferenceDataError(
            paths["qpv_2024"], f"les codes QPV diffèrent de ceux de la liste : {', '.join(ecart[:5])}."
        )
    corr = correspondence.set_index("qp2024")
    code_cols = [c for c in ("qp2015_1", "qp2015_2", "qp2015_3") if c in corr]
    label_cols = [c.replace("qp2015", "label_qp2015") for c in code_cols]

    def joined(row: pd.Series, cols: list[str]) -> str:
        return ";".join(str(row[c]) for c in cols if c in row and pd.notna(row[c]) and str(row[c]).strip())

    corr = corr.assign(
        codes_qp_2015=corr.apply(joined, axis=1, cols=code_cols),
        libs_qp_2015=corr.apply(joined, axis=1, cols=[c for c in label_cols if c in corr]),
    )
    if communes is not None:
        grouped = communes.groupby("code_qp")
        attributes = attributes.assign(
            insee_com=attributes["code_qp"].map(grouped["insee_com"].agg(", ".join)),
            lib_com=attributes["code_qp"].map(grouped["lib_com"].agg(", ".join)),
        )
    frame = perimeters.merge(attributes, on="code_qp", how="inner", validate="one_to_one")
    frame = frame.merge(corr[["codes_qp_2015", "libs_qp_2015"]], left_on="code_qp", right_index=True, how="left")
    frame[["codes_qp_2015", "libs_qp_2015"]] = frame[["codes_qp_2015", "libs_qp_2015"]].fillna("")
    frame["statut_libelle"] = frame["statut_2024_vs_2015"].map(STATUTS)
    keep = [
        *QPV_LIST_COLUMNS,
        "statut_libelle",
        "codes_qp_2015",
        "libs_qp_2015",
        "geometry",
    ]
    return gpd.GeoDataFrame(
        frame[keep].sort_values("code_qp").reset_index(drop=True), geometry="geometry", crs=perimeters.crs
    )


def attach_carrier_perimeters(
    points: gpd.GeoDataFrame, epci: gpd.GeoDataFrame, communes: gpd.GeoDataFrame, path: Path
) -> gpd.GeoDataFrame:
    """Draw each contrat de ville as its carrier's perimeter (the EPCI, or the commune)."""
    shapes = pd.concat(
        [
            pd.DataFrame({"porteur_type": "epci", "porteur_code": epci["siren_epci"], "perimetre": epci.geometry}),
            pd.DataFrame(
                {"porteur_type": "commune", "porteur_code": communes["insee_com"], "perimetre": communes.geometry}
            ),
        ],
        ignore_index=True,
    )
    frame = points.merge(shapes, on=["porteur_type", "porteur_code"], how="left")
    orphan = frame["perimetre"].isna()
    if orphan.any():
        raise ReferenceDataError(
            path, f"porteur introuvable dans les EPCI et communes pour : {', '.join(frame.loc[orphan, 'code_cv'])}."
        )
    frame["label_lon"] = frame.geometry.x
    frame["label_lat"] = frame.geometry.y
    frame = frame.drop(columns="geometry").rename(columns={"perimetre": "geometry"})
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=points.crs).sort_values("code_cv").reset_index(drop=True)


def _expected_counts(folder: Path, region: RegionInfo, manifest: Manifest) -> dict[str, int]:
    """Row counts to check: those the data update recorded in the folder, else the manifest's."""
    recorded = folder / FOLDER_MANIFEST
    if recorded.is_file():
        try:
            counts = json.loads(recorded.read_text(encoding="utf-8")).get("fichiers", {})
        except (OSError, json.JSONDecodeError) as exc:
            raise ReferenceDataError(recorded, f"manifeste illisible ({exc}).") from exc
        by_name = {spec.filename(region.suffixe): key for key, spec in manifest.fichiers.items()}
        return {by_name[name]: int(n) for name, n in counts.items() if name in by_name}
    return region.effectifs


def load_reference(folder: Path | None = None, manifest: Manifest | None = None) -> ReferenceData:
    """Load, validate and join every reference layer of a folder.

    Parameters
    ----------
    folder
        A folder in the format of ``shared/data``; defaults to :func:`config.reference_dir`.
    manifest
        The sources manifest; defaults to ``data/sources.toml``.

    Returns
    -------
    ReferenceData
        The validated layers, all in WGS84.

    Raises
    ------
    ReferenceDataError
        A file is missing (``MissingReferenceData``), unreadable or inconsistent.
    """
    folder = Path(folder) if folder is not None else config.reference_dir()
    manifest = manifest or load_manifest()
    region, paths = resolve_files(folder, manifest)
    n = _expected_counts(folder, region, manifest).get

    communes = load_communes(paths["communes"], n("communes"))
    epci = load_epci(paths["epci"], n("epci"))
    qpv_list = load_qpv_list(paths["qpv_2024_liste"], n("qpv_2024_liste"))
    qpv_communes = load_qpv_communes(paths["qpv_2024_communes"], qpv_list)
    qpv = join_qpv(
        load_qpv_perimeters(paths["qpv_2024"], n("qpv_2024")),
        qpv_list,
        load_qpv_correspondence(paths["qpv_correspondance"], n("qpv_correspondance")),
        paths,
        qpv_communes,
    )
    contrats_2024 = attach_carrier_perimeters(
        load_contrats_2024_points(paths["contrats_ville_2024"], n("contrats_ville_2024")),
        epci,
        communes,
        paths["contrats_ville_2024"],
    )
    unknown = sorted(set(qpv["code_cv_2024"]) - set(contrats_2024["code_cv"]))
    if unknown:
        raise ReferenceDataError(paths["qpv_2024_liste"], f"contrat(s) de ville inconnu(s) : {', '.join(unknown)}.")
    credits, credits_qualite = load_credits(paths["credits"])
    contrats_2015 = load_contrats_2015(paths["contrats_ville_2015"], n("contrats_ville_2015"))
    ref = ReferenceData(
        dossier=folder,
        region_info=region,
        sources=folder_sources(folder, manifest),
        qpv=qpv,
        contrats_2024=contrats_2024,
        contrats_2015=contrats_2015,
        epci=epci,
        departements=load_departements(paths["departements"], n("departements")),
        region=load_region(paths["region"], n("region")),
        communes=communes,
        credits=credits,
        qpv_communes=qpv_communes,
        credits_qualite=credits_qualite,
        contrats_predecesseurs=predecessors_table(contrats_2024, contrats_2015, qpv),
    )
    if "qpv_indicateurs" in paths:  # optional: without it, the views say the figures are missing
        from cartographie.lecture.indicateurs import load_qpv_indicators

        ref.indicateurs = load_qpv_indicators(paths["qpv_indicateurs"], qpv, communes, qpv_communes)
        # The QPV table carries them too (the screen's table and every export), as the file gives them.
        by_code = ref.indicateurs.set_index("code_qp")
        for column, source in (("population_qpv", "population"), ("taux_pauvrete", "taux_pauvrete"),
                               ("taux_emploi", "taux_emploi"), ("indice_jeunesse", "indice_jeunesse")):  # fmt: skip
            ref.qpv[column] = ref.qpv["code_qp"].map(by_code[source])
    ref.predecesseurs = all_predecessors(ref)
    ref.credits_par_territoire = credits_ledger(
        credits,
        departements=sorted(ref.departements["insee_dep"]),
        contrats_2015=sorted(contrats_2015["code_cv"]),
        predecessors=predecessor_codes(ref),
    )
    return ref
