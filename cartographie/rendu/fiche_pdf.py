"""Printable sheets (PDF, A4 portrait) of a QPV, a contrat de ville and a department, for a meeting.

Each sheet writes the domain's :class:`~cartographie.domaine.fiches.Sheet`, the very object the
screen renders: its facts with their sources, the map of :mod:`.image_carte`, the 2015 → 2024
changes, the credits by year with their data-quality notes (or whose credits they are), the
meetings and the cooperation experiences of the territory, and the sources with their vintage.
Black and white friendly: every colour of the map is named in its legend, and tables are ruled.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pandas as pd

from cartographie.domaine.formats import format_date, format_euros, format_nombre
from cartographie.rendu.charte import FONT_FILES

#: fpdf2 subsets the fonts with fontTools, which logs a dozen INFO lines per sheet: the server's log is for
#: what an operator needs, so only its warnings and errors are kept.
logging.getLogger("fontTools").setLevel(logging.WARNING)

_LATIN1 = str.maketrans({"œ": "oe", "Œ": "OE", "’": "'", "–": "-", "—": "-", "…": "...", "\u202f": " ", "€": "EUR"})


def _meetings(found) -> list[str]:
    lines = [f"{e.date_libelle} – {e.type_libelle} : {e.titre}" for e in found.sur_place]
    lines += [
        f"{e.date_libelle} – {e.type_libelle} : {e.titre} (tenu à {e.lieu or 'lieu non précisé'})"
        for e in found.ailleurs
    ]
    return lines


def _experiences(experiences) -> list[str]:
    return [f"{e.titre} ({e.statut_libelle})" for e in experiences]


def _map(ref, sheet) -> bytes:
    from cartographie.domaine.formats import compte
    from cartographie.rendu.image_carte import map_drawing, to_png

    if sheet.territory.kind == "qpv":
        subtitle = f"{sheet.territory.code} – {sheet.facts['communes'].text}"
    else:
        subtitle = compte(len(sheet.qpv_codes), "quartier prioritaire", "quartiers prioritaires")
    drawing = map_drawing(
        ref,
        set(sheet.qpv_codes),
        title=sheet.title,
        subtitle=subtitle,
        width=PAPER_MAP_PX,
        height=PAPER_MAP_PX * 5 // 8,
    )
    return to_png(drawing, keep_double=True)


#: The printed map's width: its drawing is this many pixels across for :data:`PAPER_MAP_MM` of paper, so that a
#: QPV dot (12 pixels) is 2 mm across and the sources' 13-pixel type is 6 points.
PAPER_MAP_PX, PAPER_MAP_MM = 1080, 180


#: The printable sheets: the kind of a button (``qpv``, ``contrat``, ``departement``) → the territory's kind.
KINDS = {"qpv": "qpv", "contrat": "cv", "departement": "dep"}


def printable_sheet(ref, kind: str, code: str, catalogue, experiences: list):
    """The sheet of a QPV, a contrat or a department (:func:`cartographie.domaine.fiches.sheet_of`).

    Raises ``KeyError`` for an unknown code.
    """
    from cartographie.domaine.fiches import sheet_of
    from cartographie.domaine.territoires import resolve_territory

    return sheet_of(ref, resolve_territory(ref, f"{KINDS[kind]}:{code}"), catalogue, experiences)


def _qpv_rows(ref, codes) -> pd.DataFrame:
    from cartographie.lecture.exports import qpv_table

    qpv = ref.qpv[ref.qpv["code_qp"].isin(set(codes))].set_index("code_qp").loc[list(codes)].reset_index()
    return qpv_table(qpv)[["Code QPV", "Nom du quartier", "Commune(s)", "Statut par rapport à 2015"]]


def sheet_text_lines(ref, sheet) -> list[tuple[str, str]]:
    """The sheet's facts as the PDF writes them: (« label : value », « Source : … »)."""
    from cartographie.domaine.chiffres import source_line

    lines = []
    for figure in sheet.essentials:
        value = f"{figure.text} — {figure.detail}" if figure.detail else figure.text
        lines.append((f"{figure.label} : {value}", f"Source : {source_line(ref, figure)}"))
    return lines


def to_pdf(ref, sheet, *, today: dt.date | None = None) -> bytes:
    """The sheet (:class:`cartographie.domaine.fiches.Sheet`) as an A4 portrait PDF, its map drawn from ``ref``."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    today = today or dt.date.today()
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(f"{sheet.kind} – {sheet.title}")
    pdf.set_lang("fr-FR")
    pdf.set_creator("Cartographie des coopérations – contrats de ville")
    family, clean = _fonts(pdf)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_margins(15, 15, 15)

    def footer() -> None:
        pdf.set_y(-12)
        pdf.set_font(family, "I", 8)
        where = f"{sheet.kind} – {sheet.title} – fiche du {format_date(today)}"
        pdf.cell(0, 5, clean(f"{where} – page {pdf.page_no()}/{{nb}}"), align="C")

    pdf.footer = footer
    pdf.add_page()
    write = _writer(pdf, family, clean)
    write(sheet.kind.upper(), size=9, style="B", colour=90)
    write(sheet.title, size=18, style="B", gap=1)
    pdf.image(_map(ref, sheet), w=PAPER_MAP_MM)
    pdf.ln(2)
    write("L'essentiel", size=12, style="B", gap=1)
    for fact, source in sheet_text_lines(ref, sheet):
        pdf.set_font(family, "B", 9.5)
        pdf.multi_cell(0, 4.8, clean(fact), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        write(source, size=7.5, colour=90, gap=0.8)
    write("Depuis 2015", size=12, style="B", gap=1)
    for line in sheet.changes:
        write(f"• {line}", size=9.5)
    write(f"Quartiers prioritaires ({len(sheet.qpv_codes)})", size=12, style="B", gap=1)
    _table(pdf, family, clean, _qpv_rows(ref, sheet.qpv_codes), widths=(24, 56, 62, 38))
    write("Crédits adultes-relais et FONJEP par année", size=12, style="B", gap=1)
    if sheet.credits_note:
        write(sheet.credits_note, size=9.5)
    if sheet.credits is not None:
        shown = sheet.credits.drop(columns="Alerte").copy()
        shown["Montant (€)"] = shown["Montant (€)"].map(lambda v: format_euros(v).replace("\u00a0€", " €"))
        shown["Postes"] = shown["Postes"].map(lambda v: format_nombre(None if pd.isna(v) else v))
        # Room for the origin of a contrat's 2020–2023 figures and for the data-quality notes.
        widths = (12, 22, 24, 12, 55, 55) if "Origine" in shown else (14, 28, 26, 14, 98)
        _table(pdf, family, clean, shown, widths=widths)
        for warning in sheet.credit_alerts:
            write(f"Attention, données douteuses dans la source : {warning}", size=8.5, style="B")
    write("Rencontres", size=12, style="B", gap=1)
    for line in _meetings(sheet.meetings) or ["Aucune rencontre recensée sur ce territoire ni consacrée à lui."]:
        write(f"• {line}", size=9)
    write("Expériences de coopération", size=12, style="B", gap=1)
    for line in _experiences(sheet.experiences) or ["Aucune expérience de coopération recensée sur ce territoire "
                                                     "pour le moment."]:  # fmt: skip
        write(f"• {line}", size=9)
    if sheet.experiences_wider:
        write(sheet.experiences_wider_label, size=9.5, style="B")
        for line in _experiences(sheet.experiences_wider):
            write(f"• {line}", size=9)
    if sheet.territory.kind == "qpv":
        write("Quartiers comparables, pour coopérer", size=12, style="B", gap=1)
        for comparable in sheet.comparables:
            write(f"• {comparable.line}", size=9)
        write(sheet.comparables_note, size=8, colour=60)
    write("Sources et date des données", size=12, style="B", gap=1)
    for key in sheet.sources:
        write(f"• {ref.source(key).citation}", size=8)
    for line in sheet.authored_sources:
        write(f"• {line}", size=8)
    write(f"Fiche produite le {format_date(today)} par la cartographie des coopérations (données publiques ouvertes).",
          size=8, colour=60)  # fmt: skip
    return bytes(pdf.output())


def _fonts(pdf):
    """A Unicode font when the system has one (DejaVu, Liberation), else Helvetica with simplified characters."""
    if all(any(Path(p).is_file() for p in paths) for paths in FONT_FILES.values()):
        for style, paths in FONT_FILES.items():
            pdf.add_font("Texte", style, next(p for p in paths if Path(p).is_file()))
        return "Texte", str
    return "Helvetica", lambda text: str(text).translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def _writer(pdf, family: str, clean):
    from fpdf.enums import XPos, YPos

    def write(text: str, *, size: float = 10, style: str = "", colour: int = 0, gap: float = 0.5) -> None:
        pdf.set_font(family, style, size)
        pdf.set_text_color(colour)
        pdf.multi_cell(0, size * 0.5, clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0)
        pdf.ln(gap)

    return write


def _table(pdf, family: str, clean, frame: pd.DataFrame, widths: tuple[int, ...] | None = None) -> None:
    pdf.set_font(family, "", 8.5)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.5, borders_layout="SINGLE_TOP_LINE") as table:
        header = table.row()
        for column in frame.columns:
            header.cell(clean(str(column)))
        for values in frame.itertuples(index=False):
            row = table.row()
            for value in values:
                row.cell(clean("" if pd.isna(value) else str(value)))
    pdf.ln(2)
