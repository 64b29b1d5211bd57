"""Exports of the current selection: CSV for French Excel, XLSX, GeoJSON.

Every export holds exactly the rows of the table on screen. Text cells that a spreadsheet
would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) are prefixed with an apostrophe, so that opening the file never runs anything.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

import pandas as pd

from cartographie.domaine.filtres import Selection
from cartographie.domaine.texte import spreadsheet_safe

if TYPE_CHECKING:
    import geopandas as gpd


#: Columns of the QPV table (on screen and in exports), with their French headers.
QPV_COLUMNS = {
    "code_qp": "Code QPV",
    "lib_qp": "Nom du quartier",
    "insee_dep": "Département (code)",
    "lib_dep": "Département",
    "lib_com": "Commune(s)",
    "insee_com": "Code(s) commune",
    "lib_epci": "EPCI",
    "siren_epci": "SIREN EPCI",
    "code_cv_2024": "Contrat de ville 2024 (code)",
    "lib_cv_2024": "Contrat de ville 2024",
    "statut_libelle": "Statut par rapport à 2015",
    "codes_qp_2015": "Code(s) QPV 2015",
}


def qpv_table(qpv: pd.DataFrame) -> pd.DataFrame:
    """The QPV table with French headers, one row per QPV, lists joined with ", "."""
    table = pd.DataFrame(qpv[list(QPV_COLUMNS)]).copy()
    table["codes_qp_2015"] = table["codes_qp_2015"].fillna("").str.replace(";", ", ")
    return table.rename(columns=QPV_COLUMNS).reset_index(drop=True)


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Prefix with ``'`` every text cell a spreadsheet would evaluate as a formula (:func:`spreadsheet_safe`)."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(spreadsheet_safe)
    return out


def to_csv_excel(table: pd.DataFrame) -> bytes:
    """CSV as French Excel opens it: ``;`` separator, UTF-8 with BOM, decimal comma."""
    return (
        neutralise_formulas(table).to_csv(index=False, sep=";", decimal=",", encoding="utf-8-sig").encode("utf-8-sig")
    )


def to_xlsx(table: pd.DataFrame, sheet: str = "QPV", note: str = "") -> bytes:
    """An XLSX workbook with the table (and, below it, a line naming the sources)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise_formulas(table).to_excel(writer, index=False, sheet_name=sheet)
        worksheet = writer.sheets[sheet]
        for column in worksheet.columns:
            width = max(len(str(cell.value or "")) for cell in column[:200])
            worksheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
        if note:
            worksheet.cell(row=len(table) + 3, column=1, value=note)
    return buffer.getvalue()


def to_geojson(qpv: gpd.GeoDataFrame) -> bytes:
    """GeoJSON (WGS84) of the selected QPV perimeters with the table's attributes."""
    import geopandas as gpd  # only when a GeoJSON is actually downloaded

    columns = [c for c in QPV_COLUMNS if c in qpv.columns]
    frame = gpd.GeoDataFrame(qpv[[*columns, qpv.geometry.name]], geometry=qpv.geometry.name, crs=qpv.crs).to_crs(4326)
    return frame.to_json(drop_id=True, ensure_ascii=False).encode("utf-8")


def export_filename(selection: Selection, extension: str, today: dt.date | None = None) -> str:
    """``qpv_2024_dep-57_statut-nouveau_2026-11-30.csv``: what, which filter, which day."""
    today = today or dt.date.today()
    return f"qpv_2024_{selection.label()}_{today.isoformat()}.{extension}"
