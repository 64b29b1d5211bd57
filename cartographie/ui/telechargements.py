"""Downloads: tables as CSV for French Excel and XLSX, the QPV selection as GeoJSON, charts with their table."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from cartographie.ui import mise_en_page
from cartographie.ui.cache import full_reference

if TYPE_CHECKING:  # the heavy modules are imported where used, so that cached pages start light
    from cartographie.lecture.reference import ReferenceData


#: Spreadsheet formats of every table export: label, extension, MIME type.
ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sources_line(sources) -> str:
    """« Sources : … » naming every source of an exported table in full (written under the table)."""
    return "Sources : " + " ; ".join(s.citation for s in dict.fromkeys(sources))


def table_downloads(table: pd.DataFrame, *, filename: str, key: str, sources: list, sheet: str = "Tableau") -> None:
    """CSV (French Excel), XLSX and ODS (LibreOffice) of exactly the table shown, built only when downloaded.

    The workbooks carry a « Sources » sheet: the reference files ``sources`` the table's figures come from.
    """
    from cartographie.lecture.exports import sources_frame, to_csv_excel, to_ods, to_xlsx

    note = sources_line(sources)
    formats = (
        ("Télécharger (CSV pour Excel)", "csv", "text/csv", lambda: to_csv_excel(table)),
        (
            "Télécharger (XLSX)",
            "xlsx",
            XLSX_MIME,
            lambda: to_xlsx(table, sheet=sheet, note=note, sources=sources_frame(sources)),
        ),
        ("Télécharger (ODS)", "ods", ODS_MIME, lambda: to_ods(table, sheet=sheet, sources=sources_frame(sources))),
    )
    for column, (label, extension, mime, build) in zip(st.columns(len(formats)), formats, strict=True):
        column.download_button(
            label, build, file_name=f"{filename}.{extension}", mime=mime, on_click="ignore", key=f"{key}_{extension}"
        )


def export_buttons(table, codes: set[str], selection, ref: ReferenceData) -> None:
    """CSV, XLSX, ODS, GeoJSON and GeoPackage of exactly the selection shown; built only when downloaded.

    Workbooks carry a « Sources » sheet and the GeoPackage a « sources » table, beside the QPV
    perimeters and those of their contrats de ville.
    """
    from cartographie.lecture.exports import (
        export_filename,
        sources_frame,
        to_csv_excel,
        to_geojson,
        to_geopackage,
        to_ods,
        to_xlsx,
    )

    table_keys = ("qpv_2024_liste", "qpv_2024_communes", "qpv_correspondance", "contrats_ville_2024")
    if ref.indicateurs is not None:
        table_keys += ("qpv_indicateurs",)

    def sources(*more: str):
        return sources_frame([ref.source(k) for k in (*table_keys, *more)])

    def chosen():
        return full_reference().qpv.loc[lambda f: f["code_qp"].isin(codes)]

    formats = (
        ("Télécharger (CSV pour Excel)", "csv", "text/csv", lambda: to_csv_excel(table)),
        (
            "Télécharger (XLSX)",
            "xlsx",
            XLSX_MIME,
            lambda: to_xlsx(table, note=sources_line(ref.source(k) for k in table_keys), sources=sources()),
        ),
        ("Télécharger (ODS)", "ods", ODS_MIME, lambda: to_ods(table, sources=sources())),
        ("Télécharger (GeoJSON)", "geojson", "application/geo+json", lambda: to_geojson(chosen())),
        (
            "Télécharger (GeoPackage pour QGIS)",
            "gpkg",
            "application/geopackage+sqlite3",
            lambda: to_geopackage(chosen(), full_reference().contrats_2024, sources("qpv_2024", "epci", "communes")),
        ),
    )
    # Spreadsheets on one row, geographic files on the next: five buttons side by side cut their labels.
    columns = [*st.columns(3), *st.columns(3)[:2]]
    for column, (label, extension, mime, build) in zip(columns, formats, strict=True):
        column.download_button(
            label,
            build,
            file_name=export_filename(selection, extension),
            mime=mime,
            on_click="ignore",
            key=f"export_{extension}",
            disabled=not codes,
            width="stretch",
        )


def chart_with_table(figure, table: pd.DataFrame, *, key: str, filename: str, demo: bool) -> None:
    """A chart, the table behind it (its accessible alternative) and the table's CSV export."""
    graphique, tableau = st.tabs(["Graphique", "Tableau"])
    with graphique:
        st.plotly_chart(figure, width="stretch", key=f"{key}_graphique", config={"displaylogo": False})
    with tableau:
        mise_en_page.table(table, key=f"{key}_tableau", name=f"Données du graphique : {_title(figure)}")
    download_table(table, filename=filename, key=key, demo=demo)


def _title(figure) -> str:
    """A figure's title as plain text (Plotly's line breaks and tags removed)."""
    import re

    text = str(figure.layout.title.text or "graphique")
    return " ".join(re.sub(r"<[^>]*>", " ", text).split())


def download_table(
    table: pd.DataFrame, *, filename: str, key: str, demo: bool, not_for_publication: bool = False
) -> None:
    """The table's CSV export (French Excel); built on demo answers, every row and the file name say so.

    ``not_for_publication``: an editor's detail table; every row and the file name say it is not to be shared.
    """
    from cartographie.domaine.enquete.demo import with_demo_column
    from cartographie.domaine.enquete.publication import NE_PAS_DIFFUSER
    from cartographie.lecture.exports import to_csv_excel

    def content() -> bytes:
        shown = with_demo_column(table, demo)
        return to_csv_excel(shown.assign(Diffusion=NE_PAS_DIFFUSER) if not_for_publication else shown)

    suffix = ("_ne-pas-diffuser" if not_for_publication else "") + ("_donnees-fictives" if demo else "")
    st.download_button(
        "Télécharger le tableau (CSV pour Excel)",
        content,
        file_name=f"{filename}{suffix}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"{key}_export",
    )


def map_image_buttons(codes: set[str], selection, ref: ReferenceData) -> None:
    """The map of the selection as PNG (slides) and SVG (print), drawn by the server, built only when downloaded."""
    from cartographie.domaine.formats import compte, format_date
    from cartographie.lecture.exports import export_filename
    from cartographie.rendu.image_carte import map_drawing, to_png, to_svg

    def drawing():
        import datetime as dt

        quartiers = compte(len(codes), "quartier", "quartiers")
        subtitle = f"{selection_words(selection, ref)} – {quartiers}, carte du {format_date(dt.date.today())}"
        from cartographie.domaine.chiffres import default_credits_year
        from cartographie.ui.cache import experience_points, experiences_registry, map_classes

        reference = full_reference()
        return map_drawing(
            reference,
            codes,
            title="Quartiers prioritaires 2024",
            subtitle=subtitle,
            couches=selection.couches,
            credits=(selection.annee or default_credits_year(reference), selection.mesure),
            experiences=experience_points(experiences_registry()) if "experiences" in selection.couches else None,
            classes=map_classes(selection.indicateur) if selection.indicateur else None,
        )

    formats = (
        ("Télécharger la carte (PNG, diaporama)", "png", "image/png", lambda: to_png(drawing())),
        ("Télécharger la carte (SVG, impression)", "svg", "image/svg+xml", lambda: to_svg(drawing())),
    )
    for column, (label, extension, mime, build) in zip(st.columns(3)[:2], formats, strict=True):
        column.download_button(
            label,
            build,
            file_name=export_filename(selection, extension).replace("qpv_2024_", "carte_qpv_2024_"),
            mime=mime,
            on_click="ignore",
            key=f"carte_image_{extension}",
            disabled=not codes,
            width="stretch",
        )


def selection_words(selection, ref: ReferenceData) -> str:
    """The filters of a selection in words: « Moselle (57) ; statut Nouveau » (« toute la région » when none)."""
    from cartographie.domaine.territoires import STATUTS

    names = dict(zip(ref.departements["insee_dep"], ref.departements["lib_dep"], strict=True))
    contrats = dict(zip(ref.contrats_2024["code_cv"], ref.contrats_2024["lib_cv"], strict=True))
    parts = []
    if selection.departements:
        parts.append(", ".join(f"{names.get(c, c)} ({c})" for c in selection.departements))
    if selection.contrats:
        parts.append(", ".join(contrats.get(c, c) for c in selection.contrats))
    if selection.epci:
        parts.append(f"{len(selection.epci)} EPCI")
    if selection.communes:
        parts.append(f"{len(selection.communes)} commune(s)")
    if selection.statuts:
        parts.append("statut " + ", ".join(STATUTS.get(s, s) for s in selection.statuts))
    return " ; ".join(parts) or f"toute la région {ref.region_info.nom}"


#: The printable sheets: kind → what the button says.
PRINTABLE = {
    "qpv": "Télécharger la fiche du quartier à imprimer (PDF, A4)",
    "contrat": "Télécharger la fiche du contrat à imprimer (PDF, A4)",
    "departement": "Télécharger la fiche du département à imprimer (PDF, A4)",
}


def sheet_pdf_button(kind: str, code: str) -> None:
    """The printable sheet of a QPV, a contrat or a department: built on the server only when asked for."""
    from cartographie.rendu import fiche_pdf
    from cartographie.ui.cache import catalogue, experiences_registry

    label = PRINTABLE[kind]

    def build() -> bytes:
        reference = full_reference()
        return fiche_pdf.to_pdf(reference, fiche_pdf.printable_sheet(reference, kind, code, catalogue(),
                                                                     experiences_registry()))  # fmt: skip

    st.download_button(
        label,
        build,
        file_name=f"fiche_{kind}_{code}.pdf",
        mime="application/pdf",
        on_click="ignore",
        key=f"fiche_pdf_{kind}",
        icon=":material/print:",
    )
