"""A tiny reference folder written by code, in the format of ``shared/data`` (region suffix ``test``).

Two departments, two EPCI, three communes, three QPV, two contrats de ville (one carried
by an EPCI, one by a commune). Tests break one file at a time to check the validation.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, box

SUFFIX = "test"


def _square(x: float, y: float, size: float) -> object:
    return box(x, y, x + size, y + size)


def communes_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "insee_com": ["01001", "01002", "02001"],
            "nom": ["Aville", "Bébourg-lès-Eaux", "Cœurville"],
            "insee_dep": ["01", "01", "02"],
            "siren_epci": ["200000001", "200000001", "200000002"],
            "lib_epci": ["CA d'Aville", "CA d'Aville", "CC de Cœurville"],
            "population": [50000, 8000, 12000],
            "nb_qpv_2024": [2, 0, 1],
            "codes_qpv_2024": ["QN00101M;QN00102N", "", "QN00201I"],
        },
        geometry=[_square(5.0, 48.0, 0.1), _square(5.1, 48.0, 0.1), _square(5.2, 48.0, 0.1)],
        crs=4326,
    )


def qpv_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "fid": [1.0, 2.0, 3.0],
            "code_qp": ["QN00101M", "QN00102N", "QN00201I"],
            "lib_qp": ["Les Tilleuls", "Centre <Gare>", "Le Plateau"],
            "insee_reg": ["99"] * 3,
            "lib_reg": ["Région Test"] * 3,
            "insee_dep": ["01", "01", "02"],
            "lib_dep": ["Ain-Test", "Ain-Test", "Aisne-Test"],
            "insee_com": ["01001", "01001", "02001"],
            "lib_com": ["Aville", "Aville", "Cœurville"],
            "siren_epci": ["200000001", "200000001", "200000002"],
        },
        geometry=[_square(5.01, 48.01, 0.01), _square(5.05, 48.05, 0.01), _square(5.21, 48.01, 0.01)],
        crs=4326,
    )


def qpv_list_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code_qp": ["QN00101M", "QN00102N", "QN00201I"],
            "lib_qp": ["Les Tilleuls", "Centre <Gare>", "Le Plateau"],
            "insee_dep": ["01", "01", "02"],
            "lib_dep": ["Ain-Test", "Ain-Test", "Aisne-Test"],
            "insee_com": ["01001", "01001", "02001"],
            "lib_com": ["Aville", "Aville", "Cœurville"],
            "nb_communes": ["1", "1", "1"],
            "siren_epci": ["200000001", "200000001", "200000002"],
            "lib_epci": ["CA d'Aville", "CA d'Aville", "CC de Cœurville"],
            "code_cv_2024": ["CN00101M", "CN00101M", "CN00201I"],
            "lib_cv_2024": ["01 - CA d'Aville", "01 - CA d'Aville", "02 - Cœurville"],
            "statut_2024_vs_2015": ["MODIFIE", "NOUVEAU", "INCHANGE"],
            "code_qp_2015": ["QP001001", "", "QP002001"],
            "lib_qp_2015": ["Tilleuls", "", "Le Plateau"],
        }
    )


def correspondence_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "qp2024": ["QN00101M", "QN00102N", "QN00201I"],
            "label_qp2024": ["Les Tilleuls", "Centre <Gare>", "Le Plateau"],
            "statut": ["MODIFIE", "NOUVEAU", "INCHANGE"],
            "qp2015_1": ["QP001001", "", "QP002001"],
            "label_qp2015_1": ["Tilleuls", "", "Le Plateau"],
            "qp2015_2": ["QP001002", "", ""],
            "label_qp2015_2": ["Gare", "", ""],
            "qp2015_3": ["", "", ""],
            "label_qp2015_3": ["", "", ""],
        }
    )


def contrats_2024_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code_cv": ["CN00101M", "CN00201I"],
            "lib_cv": ["01 - CA d'Aville", "02 - Cœurville"],
            "porteur_code": ["200000001", "02001"],
            "porteur_type": ["epci", "commune"],
            "porteur_nom": ["CA d'Aville", "Cœurville"],
            "insee_dep": ["01", "02"],
            "pop_anct": [1000.0, 500.0],
            "nb_qpv_2024": [2, 1],
            "codes_qpv_2024": ["QN00101M;QN00102N", "QN00201I"],
        },
        geometry=[Point(5.1, 48.05), Point(5.25, 48.05)],
        crs=4326,
    )


def contrats_2015_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code_cv": ["CV001", "CV002"],
            "lib_cv": ["CA d'Aville", "Cœurville"],
            "lib_cv_anct": ["01 - CA d'Aville", "02 - Cœurville"],
            "perimetre": ["epci", "commune"],
            "nb_communes": [2, 1],
            "siren_porteur_2015": ["200000001", "02001"],
            "insee_dep": ["01", "02"],
            "pop_qpv_anct": [3000.0, 900.0],
            "fiche_sig_ville": ["", ""],
        },
        geometry=[_square(5.0, 48.0, 0.2), _square(5.2, 48.0, 0.1)],
        crs=4326,
    )


def epci_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "siren_epci": ["200000001", "200000002"],
            "lib_epci": ["CA d'Aville", "CC de Cœurville"],
            "nature": ["CA", "CC"],
            "insee_dep": ["01", "02"],
            "nb_communes": [2, 1],
            "population_municipale": [58000, 12000],
            "nb_qpv_2024": [2, 1],
            "code_cv_2024": ["CN00101M", None],
        },
        geometry=[box(5.0, 48.0, 5.2, 48.1), _square(5.2, 48.0, 0.1)],
        crs=4326,
    )


def departements_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "insee_dep": ["01", "02"],
            "lib_dep": ["Ain-Test", "Aisne-Test"],
            "insee_reg": ["99", "99"],
            "nb_communes": [2, 1],
            "population": [58000, 12000],
            "nb_qpv_2024": [2, 1],
        },
        geometry=[box(5.0, 48.0, 5.2, 48.1), _square(5.2, 48.0, 0.1)],
        crs=4326,
    )


def region_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "insee_reg": ["99"],
            "lib_reg": ["Région Test"],
            "nb_communes": [3],
            "population": [70000],
            "nb_qpv_2024": [3],
        },
        geometry=[box(5.0, 48.0, 5.3, 48.1)],
        crs=4326,
    )


def credits_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dispositif": ["adultes-relais", "FONJEP", "adultes-relais"],
            "annee": ["2023", "2024", "2024"],
            "id_poste": ["P1", "P2", "P3"],
            "code_tiers": ["1", "2", "3"],
            "raison_sociale": ["Asso A", "Asso B", '=HYPERLIEN("x")'],
            "montant": ["19875.06", "7164", "20000"],
            "code_cv": ["CV001", "CN00101M", ""],
            "insee_dep": ["01", "01", "02"],
            "insee_reg": ["99", "99", "99"],
        }
    )


def write_reference_folder(folder: Path) -> Path:
    """Write the tiny reference folder and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    layers = {
        "qpv_2024": qpv_frame(),
        "contrats_ville_2024": contrats_2024_frame(),
        "contrats_ville_2015": contrats_2015_frame(),
        "epci": epci_frame(),
        "departements": departements_frame(),
        "region": region_frame(),
        "communes": communes_frame(),
    }
    for stem, frame in layers.items():
        frame.to_file(folder / f"{stem}_{SUFFIX}.geojson", driver="GeoJSON")
    tables = {
        "qpv_2024": qpv_list_frame(),
        "qpv_2024_communes": qpv_list_frame()[["code_qp", "lib_qp", "insee_com", "lib_com", "insee_dep", "siren_epci"]],
        "qpv_correspondance_2024_2015": correspondence_frame(),
        "credits_adultes_relais_fonjep": credits_frame(),
    }
    for stem, frame in tables.items():
        frame.to_csv(folder / f"{stem}_{SUFFIX}.csv", index=False)
    return folder
