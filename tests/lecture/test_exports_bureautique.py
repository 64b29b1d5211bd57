"""Exports for LibreOffice (ODS) and QGIS (GeoPackage): the same rows as the screen's table, with their sources."""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from cartographie.lecture.exports import (
    GPKG_CONTRATS,
    GPKG_QPV,
    GPKG_SOURCES,
    qpv_table,
    sources_frame,
    to_geopackage,
    to_ods,
    to_xlsx,
)


@pytest.fixture(scope="module")
def reference(real_folder):
    from cartographie.lecture.reference import load_reference

    return load_reference(real_folder)


def _sources(ref) -> pd.DataFrame:
    return sources_frame([ref.source("qpv_2024"), ref.source("qpv_2024_liste"), ref.source("contrats_ville_2024")])


@pytest.mark.parametrize(
    "choose",
    [lambda q: q["code_qp"] == "QN05415M", lambda q: q["code_cv_2024"] == "CN05403M", lambda q: q["insee_dep"] == "57"],
    ids=["un-qpv", "un-contrat", "un-departement"],
)
def test_ods_and_geopackage_reopen_with_the_screen_s_rows_crs_and_sources(reference, choose, tmp_path):
    chosen = reference.qpv[choose(reference.qpv)]
    shown = qpv_table(chosen)
    sheets = pd.read_excel(io.BytesIO(to_ods(shown, sources=_sources(reference))), engine="odf", sheet_name=None)
    assert list(sheets["QPV"]["Code QPV"]) == list(shown["Code QPV"])
    assert len(sheets["Sources"]) == 3 and sheets["Sources"]["Producteur"].str.startswith("ANCT").all()
    workbook = pd.read_excel(io.BytesIO(to_xlsx(shown, sources=_sources(reference))), sheet_name=None)
    assert set(workbook) == {"QPV", "Sources"}
    path = tmp_path / "selection.gpkg"
    path.write_bytes(to_geopackage(chosen, reference.contrats_2024, _sources(reference)))
    assert [name for name, _ in pyogrio.list_layers(path)] == [GPKG_QPV, GPKG_CONTRATS, GPKG_SOURCES]
    qpv = gpd.read_file(path, layer=GPKG_QPV)
    assert list(qpv["Code QPV"]) == list(shown["Code QPV"]) and qpv.crs.to_epsg() == 4326
    assert list(qpv.columns[:-1]) == list(shown.columns)
    contrats = gpd.read_file(path, layer=GPKG_CONTRATS)
    assert set(contrats["Code du contrat"]) == set(chosen["code_cv_2024"])
    assert len(pyogrio.read_dataframe(path, layer=GPKG_SOURCES)) == 3
