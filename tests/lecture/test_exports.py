from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pandas as pd

from cartographie import load_reference
from cartographie.domaine.filtres import Selection, filter_qpv
from cartographie.lecture.exports import (
    export_filename,
    neutralise_formulas,
    qpv_table,
    to_csv_excel,
    to_geojson,
    to_xlsx,
)


def _selection_table(tiny_folder):
    ref = load_reference(tiny_folder)
    qpv = filter_qpv(ref.qpv, Selection(departements=("01",)), ref.qpv_communes)
    return qpv, qpv_table(qpv)


def test_csv_is_for_french_excel_and_holds_exactly_the_table(tiny_folder):
    _, table = _selection_table(tiny_folder)
    raw = to_csv_excel(table)
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == list(table.columns)
    assert back["Code QPV"].tolist() == ["QN00101M", "QN00102N"]
    assert back.equals(table.astype(str))


def test_decimal_comma_in_csv():
    raw = to_csv_excel(pd.DataFrame({"Montant": [1234.5]}))
    assert "1234,5" in raw.decode("utf-8-sig")


def test_xlsx_holds_exactly_the_table(tiny_folder):
    _, table = _selection_table(tiny_folder)
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(table, note="Sources : test"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(table.columns)
    assert [r[0] for r in rows[1:3]] == ["QN00101M", "QN00102N"]
    assert rows[-1][0] == "Sources : test"


def test_geojson_holds_the_selected_perimeters(tiny_folder):
    qpv, _ = _selection_table(tiny_folder)
    data = json.loads(to_geojson(qpv))
    assert [f["properties"]["code_qp"] for f in data["features"]] == ["QN00101M", "QN00102N"]
    assert data["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_formula_cells_are_neutralised_in_every_format():
    table = pd.DataFrame({"Nom": ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "normal", "\tTAB"], "N": range(6)})
    safe = neutralise_formulas(table)
    assert safe["Nom"].tolist() == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "normal", "'\tTAB"]
    assert safe["N"].tolist() == list(range(6))
    assert "'=HYPERLINK" in to_csv_excel(table).decode("utf-8-sig")
    cells = [c.value for c in openpyxl.load_workbook(io.BytesIO(to_xlsx(table))).active["A"]]
    assert cells[1] == '\'=HYPERLINK("http://x")' and not any(str(c).startswith("=") for c in cells)


def test_file_names_carry_the_filter_and_the_date():
    day = dt.date(2026, 11, 30)
    assert export_filename(Selection(departements=("57",), statuts=("NOUVEAU",)), "csv", day) == (
        "qpv_2024_dep-57_statut-nouveau_2026-11-30.csv"
    )
    assert export_filename(Selection(), "xlsx", day) == "qpv_2024_region_2026-11-30.xlsx"
