"""One function per official source: download it, check it, keep what the region needs.

``get(name)`` downloads one of :data:`cartographie.mise_a_jour.OFFICIAL_ADDRESSES`; every
function raises :class:`~cartographie.mise_a_jour.formats.UpdateError` in French when a source
is not what it should be. :func:`cartographie.mise_a_jour.build_folder` calls them in order
and writes the folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from cartographie.domaine.texte import fold, slug
from cartographie.mise_a_jour.formats import (
    UpdateError,
    check_plausible,
    read_decoupage,
    read_geojson,
    read_json,
    read_official_csv,
    read_topojson,
    require,
)
from cartographie.mise_a_jour.telechargement import Download

Get = Callable[[str], Download]

CORRESPONDENCE_COLUMNS = [
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
CREDITS_COLUMNS = [
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


@dataclass(frozen=True)
class Decoupage:
    """The administrative lists of @etalab/decoupage-administratif, as the region needs them."""

    region: str
    region_name: str
    dep_names: dict[str, str]
    all_communes: dict[str, dict]
    region_communes: dict[str, dict]
    departements: list[str]
    epci_of: dict[str, str]  # commune → EPCI
    epci_info: dict[str, dict]

    @property
    def suffix(self) -> str:
        """File suffix of the region (``grand_est``)."""
        return slug(self.region_name)

    def commune_name(self, code: str) -> str:
        """Name of a commune (its code when unknown)."""
        return self.all_communes.get(code, {}).get("nom", code)

    def epci_name(self, siren: str) -> str:
        """Name of an EPCI (empty when unknown)."""
        return self.epci_info.get(siren, {}).get("nom", "")


def administrative_lists(get: Get, region: str) -> Decoupage:
    """Communes, EPCI, departments and regions (npm package @etalab/decoupage-administratif)."""
    lists = read_decoupage(get("decoupage_administratif"))
    regions = {r["code"]: r["nom"] for r in lists["regions"]}
    if region not in regions:
        raise UpdateError(f"région « {region} » inconnue (codes INSEE : {', '.join(sorted(regions))}).")
    communes = [c for c in lists["communes"] if c.get("type", "commune-actuelle") == "commune-actuelle"]
    region_communes = {c["code"]: c for c in communes if c.get("region") == region}
    epci_of = {member["code"]: epci["code"] for epci in lists["epci"] for member in epci.get("membres", [])}
    return Decoupage(
        region=region,
        region_name=regions[region],
        dep_names={d["code"]: d["nom"] for d in lists["departements"]},
        all_communes={c["code"]: c for c in communes},
        region_communes=region_communes,
        departements=sorted({c["departement"] for c in region_communes.values()}),
        epci_of=epci_of,
        epci_info={epci["code"]: epci for epci in lists["epci"]},
    )


def qpv_perimeters(get: Get, region: str, expected: int | None) -> gpd.GeoDataFrame:
    """QPV 2024 perimeters (ANCT, national file, possibly zipped), the region's, as published."""
    perimeters = read_geojson(get("qpv_perimetres"))
    columns = ["code_qp", "lib_qp", "insee_reg", "insee_dep", "insee_com", "lib_com", "siren_epci"]
    require(perimeters, columns, "qpv_perimetres")
    perimeters = perimeters[perimeters["insee_reg"].astype(str) == region].copy()
    check_plausible(len(perimeters), expected, "QPV")
    perimeters["geometry"] = shapely.set_precision(perimeters.geometry.values, 1e-6)
    return perimeters


def qpv_list(get: Get, qpv_codes: set[str]) -> pd.DataFrame:
    """The ANCT list of QPV 2024 (COG 2024): communes and EPCI of each QPV, indexed by code."""
    listing = read_official_csv(get("qpv_liste").contenu, "qpv_liste")
    require(listing, ["code_qp", "lib_qp", "insee_com"], "qpv_liste")
    listing = listing[listing["code_qp"].isin(qpv_codes)].drop_duplicates("code_qp").set_index("code_qp")
    if set(listing.index) != qpv_codes:
        ecart = sorted(qpv_codes ^ set(listing.index))[:5]
        raise UpdateError(f"qpv_liste : les codes QPV ne correspondent pas aux périmètres ({', '.join(ecart)}).")
    return listing


def qpv_correspondence(get: Get, qpv_codes: set[str]) -> pd.DataFrame:
    """The ANCT correspondence QPV 2024 → QPV 2015, found through the data.gouv.fr API."""
    resources = read_json(get("qpv_ressources"))
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
    require(correspondence, ["qp2024", "statut", "qp2015_1"], "qpv_correspondance")
    correspondence = correspondence[correspondence["qp2024"].isin(qpv_codes)].copy()
    correspondence["statut"] = correspondence["statut"].map(lambda value: fold(value).upper())
    correspondence = correspondence.reindex(columns=CORRESPONDENCE_COLUMNS, fill_value="").sort_values("qp2024")
    missing = sorted(qpv_codes - set(correspondence["qp2024"]))
    if missing:
        raise UpdateError(f"qpv_correspondance : QPV absents de la correspondance : {', '.join(missing[:5])}.")
    return correspondence


def contrats_2024(get: Get, lists: Decoupage, expected: int | None) -> gpd.GeoDataFrame:
    """Contrats de ville 2024–2030 (ANCT label points); carrier = commune (5 digits) or EPCI (SIREN)."""
    contrats = read_geojson(get("contrats_2024"), ".json")
    require(contrats, ["codgeo", "code_cv", "lib_cv", "insee_dep"], "contrats_2024")
    contrats = contrats[contrats["insee_dep"].isin(lists.departements)].copy()
    check_plausible(len(contrats), expected, "contrats de ville 2024")
    contrats["porteur_code"] = contrats["codgeo"].astype(str)
    contrats["porteur_type"] = contrats["porteur_code"].map(lambda c: "commune" if len(c) == 5 else "epci")
    contrats["porteur_nom"] = [
        lists.commune_name(c) if t == "commune" else lists.epci_name(c) or c
        for c, t in zip(contrats["porteur_code"], contrats["porteur_type"], strict=True)
    ]
    contrats["pop_anct"] = pd.to_numeric(contrats.get("pop"), errors="coerce")
    return contrats


def qpv_tables(
    perimeters: gpd.GeoDataFrame,
    listing: pd.DataFrame,
    correspondence: pd.DataFrame,
    contrats: gpd.GeoDataFrame,
    lists: Decoupage,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The QPV table (one row per QPV) and the QPV ↔ commune table, each QPV given its contrat.

    A QPV goes to the contrat carried by one of its communes, else to the one carried by its EPCI
    (this is deduced: ANCT publishes no QPV → contrat table).
    """
    carried = dict(zip(contrats["porteur_code"], contrats["code_cv"], strict=True))
    lib_cv = dict(zip(contrats["code_cv"], contrats["lib_cv"], strict=True))
    statut = correspondence.set_index("qp2024")
    rows, long_rows = [], []
    for code, perimeter in perimeters.set_index("code_qp").iterrows():
        communes = [c for c in re.split(r"[;,\s]+", listing.loc[code, "insee_com"] or str(perimeter["insee_com"])) if c]
        siren = (
            listing.loc[code].get("siren_epci") or str(perimeter["siren_epci"]) or lists.epci_of.get(communes[0], "")
        )
        contrat = next((carried[c] for c in communes if c in carried), None) or carried.get(siren)
        if contrat is None:
            raise UpdateError(f"contrat de ville introuvable pour le QPV {code} (EPCI {siren}).")
        rows.append(
            {
                "code_qp": code,
                "lib_qp": perimeter["lib_qp"],
                "insee_dep": code[2:4] if code[2:4].isdigit() else perimeter["insee_dep"],
                "lib_dep": lists.dep_names.get(str(perimeter["insee_dep"]), perimeter.get("lib_dep", "")),
                "insee_com": ";".join(communes),
                "lib_com": ";".join(lists.commune_name(c) for c in communes),
                "nb_communes": len(communes),
                "siren_epci": siren,
                "lib_epci": lists.epci_name(siren) or listing.loc[code].get("lib_epci", ""),
                "code_cv_2024": contrat,
                "lib_cv_2024": lib_cv[contrat],
                "statut_2024_vs_2015": statut.loc[code, "statut"],
                "code_qp_2015": statut.loc[code, "qp2015_1"],
                "lib_qp_2015": statut.loc[code, "label_qp2015_1"],
            }
        )
        long_rows += [
            {
                "code_qp": code,
                "lib_qp": perimeter["lib_qp"],
                "insee_com": commune,
                "lib_com": lists.commune_name(commune),
                "insee_dep": lists.all_communes.get(commune, {}).get("departement", ""),
                "siren_epci": lists.epci_of.get(commune, ""),
                "lib_epci": lists.epci_name(lists.epci_of.get(commune, "")),
                "population_commune": lists.all_communes.get(commune, {}).get("population", ""),
            }
            for commune in communes
        ]
    return pd.DataFrame(rows).sort_values("code_qp"), pd.DataFrame(long_rows).sort_values(["code_qp", "insee_com"])


def count_qpv_per_contrat(contrats: gpd.GeoDataFrame, qpv_table: pd.DataFrame) -> gpd.GeoDataFrame:
    """The contrats with their number and list of QPV; a contrat without QPV is refused."""
    per_contrat = qpv_table.groupby("code_cv_2024")["code_qp"].agg(list)
    contrats = contrats.assign(
        nb_qpv_2024=contrats["code_cv"].map(lambda c: len(per_contrat.get(c, []))),
        codes_qpv_2024=contrats["code_cv"].map(lambda c: ";".join(per_contrat.get(c, []))),
    )
    orphans = contrats.loc[contrats["nb_qpv_2024"] == 0, "code_cv"].tolist()
    if orphans:
        raise UpdateError(f"contrat(s) de ville sans QPV : {', '.join(orphans)}.")
    return contrats


def contrats_2015(get: Get, lists: Decoupage, expected: int | None) -> gpd.GeoDataFrame:
    """Contrats de ville 2015–2023: perimeters (CGET/ANCT TopoJSON) joined with ANCT attributes."""
    download = get("contrats_2015_perimetres")
    topo = read_topojson(download.member(".topojson"), "contrats_2015_perimetres")
    require(topo, ["id", "lib", "perimetre", "nbcom", "info1", "info2"], "contrats_2015_perimetres")
    attributes = read_geojson(get("contrats_2015_attributs"), ".json")
    require(attributes, ["code_cv", "lib_cv", "insee_dep"], "contrats_2015_attributs")
    attributes = pd.DataFrame(attributes.drop(columns="geometry"))
    attributes = attributes[attributes["insee_dep"].isin(lists.departements)]
    frame = topo.rename(columns={"id": "code_cv", "lib": "lib_cv", "nbcom": "nb_communes", "info2": "fiche_sig_ville"})
    frame["siren_porteur_2015"] = frame["info1"].map(lambda v: str(v).split(".")[0] if v is not None else "")
    frame = frame.merge(
        attributes.rename(columns={"lib_cv": "lib_cv_anct", "pop": "pop_qpv_anct"}).reindex(
            columns=["code_cv", "lib_cv_anct", "insee_dep", "pop_qpv_anct"]
        ),
        on="code_cv",
        how="inner",
    )
    frame["geometry"] = shapely.make_valid(frame.geometry.values)
    columns = ["code_cv", "lib_cv", "lib_cv_anct", "perimetre", "nb_communes", "siren_porteur_2015", "insee_dep"]
    frame = gpd.GeoDataFrame(
        frame[[*columns, "pop_qpv_anct", "fiche_sig_ville", "geometry"]], geometry="geometry", crs=4326
    ).sort_values("code_cv")
    check_plausible(len(frame), expected, "contrats de ville 2015")
    return frame


def credits(get: Get, region: str) -> pd.DataFrame:
    """Adultes-relais and FONJEP posts 2020–2025 of the region, as published (repeats included)."""
    frames = []
    for dispositif in ("adultes-relais", "FONJEP"):
        for year in range(2020, 2026):
            records = read_json(get(f"{dispositif}_{year}"))
            if not isinstance(records, list):
                raise UpdateError(f"{dispositif}_{year} : liste JSON attendue.")
            frame = pd.DataFrame(records, dtype=str)
            columns = ["id_poste", "raison_sociale", "montant", "annee", "insee_dep", "insee_reg"]
            require(frame, columns, f"{dispositif}_{year}")
            frame.insert(0, "dispositif", dispositif)
            frames.append(frame[frame["insee_reg"] == region])
    return pd.concat(frames, ignore_index=True).reindex(columns=CREDITS_COLUMNS)


def communes(get: Get, lists: Decoupage, qpv_long: pd.DataFrame, expected: int | None) -> gpd.GeoDataFrame:
    """The region's communes: Etalab contours and the lists' names, EPCI, population and QPV."""
    qpv_by_commune = qpv_long.groupby("insee_com")["code_qp"].agg(list)
    contours = read_geojson(get("communes_contours"))
    require(contours, ["code"], "communes_contours")
    kept = contours[contours["code"].isin(lists.region_communes)].copy()
    check_plausible(len(kept), expected, "communes")
    codes = kept["code"]
    return gpd.GeoDataFrame(
        {
            "insee_com": codes,
            "nom": codes.map(lists.commune_name),
            "insee_dep": codes.map(lambda c: lists.region_communes[c]["departement"]),
            "siren_epci": codes.map(lambda c: lists.epci_of.get(c, "")),
            "lib_epci": codes.map(lambda c: lists.epci_name(lists.epci_of.get(c, ""))),
            "population": codes.map(lambda c: lists.region_communes[c].get("population", 0)),
            "nb_qpv_2024": codes.map(lambda c: len(qpv_by_commune.get(c, []))),
            "codes_qpv_2024": codes.map(lambda c: ";".join(qpv_by_commune.get(c, []))),
        },
        geometry=shapely.make_valid(kept.geometry.values),
        crs=4326,
    ).sort_values("insee_com")


def epci(
    get: Get, lists: Decoupage, qpv_table: pd.DataFrame, contrats: gpd.GeoDataFrame, expected: int | None
) -> gpd.GeoDataFrame:
    """Every EPCI with a commune in the region (whole membership), with its QPV and contrat."""
    codes_in_region = {lists.epci_of[c] for c in lists.region_communes if c in lists.epci_of}
    contours = read_geojson(get("epci_contours"))
    require(contours, ["code"], "epci_contours")
    kept = contours[contours["code"].isin(codes_in_region)].copy()
    carried = dict(zip(contrats["porteur_code"], contrats["code_cv"], strict=True))

    def department(code: str) -> str:
        members = [
            lists.all_communes.get(m["code"], {}).get("departement", "") for m in lists.epci_info[code]["membres"]
        ]
        deps = pd.Series([d for d in members if d in lists.departements])
        return deps.mode().iloc[0] if not deps.empty else ""

    def population(code: str) -> int:
        members = lists.epci_info[code]["membres"]
        return sum(lists.all_communes.get(m["code"], {}).get("population", 0) or 0 for m in members)

    codes = kept["code"]
    frame = gpd.GeoDataFrame(
        {
            "siren_epci": codes,
            "lib_epci": codes.map(lambda c: lists.epci_info[c]["nom"]),
            "nature": codes.map(lambda c: lists.epci_info[c].get("type", "")),
            "insee_dep": codes.map(department),
            "nb_communes": codes.map(lambda c: len(lists.epci_info[c].get("membres", []))),
            "population_municipale": codes.map(population),
            "nb_qpv_2024": codes.map(lambda c: int((qpv_table["siren_epci"] == c).sum())),
            "code_cv_2024": codes.map(carried.get),
        },
        geometry=shapely.make_valid(kept.geometry.values),
        crs=4326,
    ).sort_values("siren_epci")
    check_plausible(len(frame), expected, "EPCI")
    return frame


def departements(
    get: Get, lists: Decoupage, communes_frame: gpd.GeoDataFrame, qpv_table: pd.DataFrame, expected: int | None
) -> gpd.GeoDataFrame:
    """The region's departments: Etalab contours, population summed over their communes, QPV."""
    contours = read_geojson(get("departements_contours"))
    require(contours, ["code"], "departements_contours")
    kept = contours[contours["code"].isin(lists.departements)]
    codes = kept["code"]
    frame = gpd.GeoDataFrame(
        {
            "insee_dep": codes,
            "lib_dep": codes.map(lists.dep_names),
            "insee_reg": lists.region,
            "nb_communes": codes.map(lambda d: int((communes_frame["insee_dep"] == d).sum())),
            "population": codes.map(
                lambda d: int(communes_frame.loc[communes_frame["insee_dep"] == d, "population"].sum())
            ),
            "nb_qpv_2024": codes.map(lambda d: int((qpv_table["insee_dep"] == d).sum())),
        },
        geometry=shapely.make_valid(kept.geometry.values),
        crs=4326,
    ).sort_values("insee_dep")
    check_plausible(len(frame), expected, "départements")
    return frame


def region_outline(
    get: Get, lists: Decoupage, communes_frame: gpd.GeoDataFrame, qpv_table: pd.DataFrame
) -> gpd.GeoDataFrame:
    """The region's outline (Etalab contours) with its totals."""
    contours = read_geojson(get("regions_contours"))
    require(contours, ["code"], "regions_contours")
    kept = contours[contours["code"] == lists.region]
    if kept.empty:
        raise UpdateError(f"regions_contours : la région {lists.region} est absente.")
    return gpd.GeoDataFrame(
        {
            "insee_reg": [lists.region],
            "lib_reg": [lists.region_name],
            "nb_communes": [len(communes_frame)],
            "population": [int(communes_frame["population"].sum())],
            "nb_qpv_2024": [len(qpv_table)],
        },
        geometry=shapely.make_valid(kept.geometry.values[:1]),
        crs=4326,
    )
