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
    # INSEE's indicators, when the loaded folder has them (empty cell: not published, secret statistique).
    "population_qpv": "Population (INSEE)",
    "taux_pauvrete": "Taux de pauvreté, % (INSEE)",
    "taux_emploi": "Taux d'emploi, % (INSEE)",
    "indice_jeunesse": "Indice de jeunesse (INSEE)",
}
#: The indicator columns of :data:`QPV_COLUMNS` (absent when the folder has no indicators file).
INDICATOR_COLUMNS = ("population_qpv", "taux_pauvrete", "taux_emploi", "indice_jeunesse")


def qpv_table(qpv: pd.DataFrame) -> pd.DataFrame:
    """The QPV table with French headers, one row per QPV, lists joined with ", " (INSEE's figures when loaded)."""
    table = pd.DataFrame(qpv[[c for c in QPV_COLUMNS if c in qpv.columns]]).copy()
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


#: What each reference file gives an export (the « Utilisé pour » column of its sources).
USAGES = {
    "qpv_2024": "périmètres des QPV",
    "qpv_2024_liste": "codes, noms, départements et EPCI des QPV ; leur contrat de ville (rattachement déduit)",
    "qpv_2024_communes": "communes de chaque QPV",
    "qpv_correspondance": "statut par rapport à 2015 et codes QPV 2015",
    "contrats_ville_2024": "contrats de ville 2024–2030 : codes, noms, porteurs, départements",
    "contrats_ville_2015": "rattachement des crédits 2020–2023 aux contrats 2024 (prédécesseurs)",
    "credits": "postes adultes-relais et FONJEP (montants, postes)",
    "epci": "périmètres des EPCI (porteurs des contrats de ville)",
    "communes": "périmètres et population des communes (porteurs des contrats communaux)",
    "departements": "contours des départements",
    "region": "contour de la région",
    "qpv_indicateurs": "population, taux de pauvreté, taux d'emploi et indice de jeunesse de chaque QPV",
}


def sources_frame(sources, usages: dict[str, str] | None = None) -> pd.DataFrame:
    """The sources of an export, as a table of its own: what each gives, its title, producer, vintage, licence.

    ``sources`` are the loaded folder's manifest entries (:class:`~cartographie.lecture.sources.SourceFile`).
    """
    usages = {**USAGES, **(usages or {})}
    columns = ["Utilisé pour", "Données", "Producteur", "Millésime", "Licence", "Adresse", "Remarque"]
    return pd.DataFrame(
        [
            {
                "Utilisé pour": usages.get(s.cle, ""),
                "Données": s.titre,
                "Producteur": s.producteur,
                "Millésime": s.millesime,
                "Licence": s.licence,
                "Adresse": s.adresse,
                "Remarque": s.note,
            }
            for s in dict.fromkeys(sources)
        ],
        columns=columns,
    )


def to_xlsx(table: pd.DataFrame, sheet: str = "QPV", note: str = "", sources: pd.DataFrame | None = None) -> bytes:
    """An XLSX workbook with the table (and, below it, a line naming the sources), and a « Sources » sheet."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise_formulas(table).to_excel(writer, index=False, sheet_name=sheet)
        if sources is not None:
            neutralise_formulas(sources).to_excel(writer, index=False, sheet_name="Sources")
        for worksheet in writer.sheets.values():
            for column in worksheet.columns:
                width = max(len(str(cell.value or "")) for cell in column[:200])
                worksheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
        if note:
            writer.sheets[sheet].cell(row=len(table) + 3, column=1, value=note)
    return buffer.getvalue()


def to_ods(table: pd.DataFrame, sheet: str = "QPV", sources: pd.DataFrame | None = None) -> bytes:
    """An OpenDocument spreadsheet (LibreOffice) with the table and a « Sources » sheet."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="odf") as writer:
        neutralise_formulas(table).to_excel(writer, index=False, sheet_name=sheet)
        if sources is not None:
            neutralise_formulas(sources).to_excel(writer, index=False, sheet_name="Sources")
    return buffer.getvalue()


def to_geojson(qpv: gpd.GeoDataFrame) -> bytes:
    """GeoJSON (WGS84) of the selected QPV perimeters with the table's attributes."""
    import geopandas as gpd  # only when a GeoJSON is actually downloaded

    columns = [c for c in QPV_COLUMNS if c in qpv.columns]
    frame = gpd.GeoDataFrame(qpv[[*columns, qpv.geometry.name]], geometry=qpv.geometry.name, crs=qpv.crs).to_crs(4326)
    return frame.to_json(drop_id=True, ensure_ascii=False).encode("utf-8")


#: Layers of a GeoPackage export, as QGIS lists them.
GPKG_QPV, GPKG_CONTRATS, GPKG_SOURCES = "qpv_2024", "contrats_de_ville_2024", "sources"


def to_geopackage(qpv: gpd.GeoDataFrame, contrats: gpd.GeoDataFrame, sources: pd.DataFrame) -> bytes:
    """A GeoPackage (QGIS) of the selection, in WGS84 as the reference files.

    Three layers: the QPV perimeters with the screen table's columns, the perimeters of their
    contrats de ville, and a table of the sources.
    """
    import tempfile
    from pathlib import Path

    import geopandas as gpd  # only when a GeoPackage is actually downloaded

    qpv_layer = gpd.GeoDataFrame(qpv_table(qpv), geometry=qpv.geometry.to_numpy(), crs=qpv.crs)
    contrat_columns = {
        "code_cv": "Code du contrat",
        "lib_cv": "Contrat de ville",
        "porteur_nom": "Porteur",
        "insee_dep": "Département",
        "nb_qpv_2024": "QPV 2024",
    }
    chosen = contrats[contrats["code_cv"].isin(set(qpv["code_cv_2024"]))]
    contrat_layer = gpd.GeoDataFrame(
        chosen[list(contrat_columns)].rename(columns=contrat_columns),
        geometry=chosen.geometry.to_numpy(),
        crs=chosen.crs,
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "selection.gpkg"
        qpv_layer.to_file(path, layer=GPKG_QPV, driver="GPKG")
        contrat_layer.to_file(path, layer=GPKG_CONTRATS, driver="GPKG")
        import pyogrio

        pyogrio.write_dataframe(neutralise_formulas(sources), path, layer=GPKG_SOURCES, driver="GPKG")
        return path.read_bytes()


def export_filename(selection: Selection, extension: str, today: dt.date | None = None) -> str:
    """``qpv_2024_dep-57_statut-nouveau_2026-11-30.csv``: what, which filter, which day."""
    today = today or dt.date.today()
    return f"qpv_2024_{selection.label()}_{today.isoformat()}.{extension}"
