"""Printable sheets (PDF, A4 portrait) of a QPV, a contrat de ville and a department, for a meeting.

Each sheet is written from the same domain functions as the screen (:mod:`cartographie.domaine`):
its facts, the map of :mod:`.image_carte`, the 2015 → 2024 changes, the credits by year with their
data-quality warnings, the meetings and the cooperation experiences of the territory, and the
sources with their vintage. Black and white friendly: every colour of the map is named in its
legend, and tables are ruled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cartographie.domaine.formats import compte, format_date, format_euros, format_nombre

#: Unicode fonts for French text (œ, ’, « », espaces fines); without them, Helvetica and simplified characters.
_TTF = "/usr/share/fonts/truetype"
FONTS = {
    "": (f"{_TTF}/dejavu/DejaVuSans.ttf", f"{_TTF}/liberation/LiberationSans-Regular.ttf"),
    "B": (f"{_TTF}/dejavu/DejaVuSans-Bold.ttf", f"{_TTF}/liberation/LiberationSans-Bold.ttf"),
    "I": (f"{_TTF}/dejavu/DejaVuSans-Oblique.ttf", f"{_TTF}/liberation/LiberationSans-Italic.ttf"),
}
_LATIN1 = str.maketrans({"œ": "oe", "Œ": "OE", "’": "'", "–": "-", "—": "-", "…": "...", "\u202f": " ", "€": "EUR"})


@dataclass
class Sheet:
    """What a printed sheet says, section by section (built from the domain, written by :func:`to_pdf`)."""

    title: str
    kind: str  # « Quartier prioritaire », « Contrat de ville 2024–2030 », « Département »
    facts: list[tuple[str, str, str]]  # (label, value, source and vintage)
    map_png: bytes
    changes: list[str]
    qpv: pd.DataFrame
    credits: pd.DataFrame | None
    credit_warnings: list[str]
    meetings: list[str]
    experiences: list[str]
    sources: list[str]
    notes: list[str] = field(default_factory=list)


def _source(s) -> str:
    return f"{s.producteur}, {s.millesime}"


def _qpv_rows(qpv: pd.DataFrame) -> pd.DataFrame:
    from cartographie.lecture.exports import qpv_table

    return qpv_table(qpv)[["Code QPV", "Nom du quartier", "Commune(s)", "Statut par rapport à 2015"]]


def _meetings(found) -> list[str]:
    lines = [f"{e.date_libelle} – {e.type_libelle} : {e.titre}" for e in found.sur_place]
    lines += [
        f"{e.date_libelle} – {e.type_libelle} : {e.titre} (tenu à {e.lieu or 'lieu non précisé'})"
        for e in found.ailleurs
    ]
    return lines


def _experiences(experiences: list) -> list[str]:
    return [f"{e.titre} ({e.statut_libelle})" for e in experiences]


def _warnings(ref, years) -> list[str]:
    quality = ref.credits_qualite
    if quality is None:
        return []
    return [f.texte for y in years for f in quality.of(y, None, niveau="alerte")]


def _map(ref, codes: set[str], title: str, subtitle: str) -> bytes:
    from cartographie.rendu.image_carte import map_drawing, to_png

    return to_png(map_drawing(ref, codes, title=title, subtitle=subtitle, width=1600, height=1000))


def _sources(ref, keys) -> list[str]:
    return [ref.source(k).citation for k in keys]


def contrat_sheet_pdf(ref, code_cv: str, catalogue, experiences: list) -> Sheet:
    """The printable sheet of a contrat de ville (``None`` fields never: an unknown code raises ``KeyError``)."""
    from cartographie.domaine.indicateurs import contrat_sheet, credits_history
    from cartographie.domaine.presentation import resolve_territory, territory_experiences
    from cartographie.domaine.rencontres import events_for_territory
    from cartographie.domaine.territoires import statuts_phrase

    sheet = contrat_sheet(ref, code_cv)
    if sheet is None:
        raise KeyError(code_cv)
    contrats, qpv_list = ref.source("contrats_ville_2024"), ref.source("qpv_2024_liste")
    facts = [
        ("Code", sheet.code, _source(contrats)),
        ("Porteur", f"{sheet.porteur} ({sheet.porteur_type} {sheet.porteur_code})", _source(contrats)),
        ("Département", sheet.departement, _source(contrats)),
        ("Quartiers prioritaires 2024", format_nombre(len(sheet.qpv)), _source(qpv_list)),
        ("Communes ayant un QPV", ", ".join(sheet.communes), _source(qpv_list)),
    ]
    if sheet.population is not None:
        facts.append(
            ("Population du territoire du porteur", f"{format_nombre(sheet.population.valeur)} habitants",
             sheet.population.definition)
        )  # fmt: skip
    changes = [f"Quartiers : {statuts_phrase(sheet.statuts)} par rapport à la géographie prioritaire de 2015."]
    before = sheet.predecesseurs
    if before.statut == "documente":
        changes += [f"Précédé par : {r.lib_cv} ({r.code_cv})" for r in before.contrats.itertuples()]
    else:
        changes.append(before.explication)
    history = credits_history(ref, code_cv)
    territory = resolve_territory(ref, f"cv:{code_cv}")
    found = events_for_territory(
        catalogue, qpv=tuple(territory.qpv_codes), communes=tuple(territory.communes), epci=tuple(territory.epci)
    )
    codes = set(sheet.qpv["code_qp"])
    return Sheet(
        title=sheet.nom,
        kind="Contrat de ville 2024–2030",
        facts=facts,
        map_png=_map(ref, codes, sheet.nom, f"{compte(len(codes), 'quartier prioritaire', 'quartiers prioritaires')}"),
        changes=changes,
        qpv=_qpv_rows(sheet.qpv),
        credits=None if history.empty else history.drop(columns="Alerte"),
        credit_warnings=_warnings(ref, sorted(set(history["Année"])) if not history.empty else []),
        meetings=_meetings(found),
        experiences=_experiences(territory_experiences(experiences, territory)),
        sources=_sources(ref, ("contrats_ville_2024", "qpv_2024", "qpv_2024_liste", "qpv_correspondance", "credits")),
    )


def qpv_sheet_pdf(ref, code_qp: str, catalogue, experiences: list) -> Sheet:
    """The printable sheet of a QPV."""
    from cartographie.domaine.indicateurs import credits_history, qpv_sheet
    from cartographie.domaine.presentation import Territory, territory_experiences
    from cartographie.domaine.rencontres import events_for_territory

    sheet = qpv_sheet(ref, code_qp)
    if sheet is None:
        raise KeyError(code_qp)
    qpv_list, correspondance = ref.source("qpv_2024_liste"), ref.source("qpv_correspondance")
    before = ", ".join(f"{c} ({n})" if n else c for c, n in sheet.codes_2015) or "aucun (nouveau quartier en 2024)"
    facts = [
        ("Code", sheet.code, _source(qpv_list)),
        ("Département", sheet.departement, _source(qpv_list)),
        ("Commune(s)", ", ".join(sheet.communes), _source(qpv_list)),
        ("EPCI", sheet.epci, _source(qpv_list)),
        ("Contrat de ville 2024–2030", f"{sheet.contrat_nom} ({sheet.contrat_code})", _source(qpv_list)),
        ("Statut par rapport à 2015", sheet.statut, _source(correspondance)),
        ("QPV 2015 d'origine", before, _source(correspondance)),
    ]
    history = credits_history(ref, sheet.contrat_code)
    departement = ref.qpv.loc[ref.qpv["code_qp"] == code_qp, "insee_dep"].iloc[0]
    territory = Territory("qpv", code_qp, sheet.nom, frozenset({code_qp}), frozenset({departement}),
                          frozenset(sheet.communes_codes), frozenset({sheet.siren_epci}))  # fmt: skip
    found = events_for_territory(catalogue, qpv=(code_qp,), communes=sheet.communes_codes, epci=(sheet.siren_epci,))
    return Sheet(
        title=sheet.nom,
        kind="Quartier prioritaire de la politique de la ville",
        facts=facts,
        map_png=_map(ref, {code_qp}, sheet.nom, f"{sheet.code} – {', '.join(sheet.communes)}"),
        changes=[f"Statut par rapport à 2015 : {sheet.statut}. QPV 2015 d'origine : {before}."],
        qpv=_qpv_rows(ref.qpv[ref.qpv["code_qp"] == code_qp]),
        credits=None if history.empty else history.drop(columns="Alerte"),
        credit_warnings=_warnings(ref, sorted(set(history["Année"])) if not history.empty else []),
        meetings=_meetings(found),
        experiences=_experiences(territory_experiences(experiences, territory)),
        sources=_sources(ref, ("qpv_2024", "qpv_2024_liste", "qpv_correspondance", "credits")),
        notes=[f"Crédits : ceux du contrat de ville {sheet.contrat_nom}, auquel le quartier appartient."],
    )


def departement_sheet_pdf(ref, insee_dep: str, catalogue, experiences: list) -> Sheet:
    """The printable sheet of a department: its QPV, contrats, credits by year, meetings and experiences."""
    from cartographie.domaine.presentation import resolve_territory, territory_experiences
    from cartographie.domaine.rencontres import events_for_territory
    from cartographie.domaine.territoires import hosting_communes, statuts_phrase

    territory = resolve_territory(ref, f"dep:{insee_dep}")
    qpv = ref.qpv[ref.qpv["insee_dep"] == insee_dep].sort_values("lib_qp")
    contrats = ref.contrats_2024[ref.contrats_2024["insee_dep"] == insee_dep]
    qpv_list = ref.source("qpv_2024_liste")
    counts = qpv["statut_2024_vs_2015"].value_counts()
    statuts = {c: int(counts.get(c, 0)) for c in ("NOUVEAU", "MODIFIE", "INCHANGE")}
    facts = [
        ("Quartiers prioritaires 2024", format_nombre(len(qpv)), _source(qpv_list)),
        ("Contrats de ville 2024–2030", format_nombre(len(contrats)), _source(ref.source("contrats_ville_2024"))),
        (
            "Communes ayant un QPV",
            format_nombre(len(territory.communes & hosting_communes(ref, qpv["code_qp"]))),
            _source(qpv_list),
        ),
    ]
    credits = ref.credits[ref.credits["insee_dep"] == insee_dep]
    by_year = (
        credits.groupby(["annee", "dispositif"])
        .agg(postes=("id_poste", "nunique"), montant=("montant", "sum"))
        .reset_index()
        if not credits.empty
        else pd.DataFrame()
    )
    table = None
    if not by_year.empty:
        table = pd.DataFrame(
            {
                "Année": by_year["annee"],
                "Dispositif": by_year["dispositif"],
                "Postes": by_year["postes"],
                "Montant (€)": by_year["montant"],
            }
        )
    found = events_for_territory(catalogue, departements=(insee_dep,))
    return Sheet(
        title=territory.label,
        kind="Département",
        facts=facts,
        map_png=_map(ref, set(qpv["code_qp"]), territory.label, compte(len(qpv), "quartier", "quartiers")),
        changes=[f"Quartiers : {statuts_phrase(statuts)} par rapport à la géographie prioritaire de 2015."],
        qpv=_qpv_rows(qpv),
        credits=table,
        credit_warnings=_warnings(ref, sorted(set(by_year["annee"])) if not by_year.empty else []),
        meetings=_meetings(found),
        experiences=_experiences(territory_experiences(experiences, territory)),
        sources=_sources(ref, ("departements", "qpv_2024", "qpv_2024_liste", "contrats_ville_2024", "credits")),
    )  # fmt: skip


def to_pdf(sheet: Sheet, *, today: dt.date | None = None) -> bytes:
    """The sheet as an A4 portrait PDF (a few hundred kilobytes: the map is one PNG)."""
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
    pdf.image(sheet.map_png, w=180)
    pdf.ln(2)
    write("L'essentiel", size=12, style="B", gap=1)
    for label, value, source in sheet.facts:
        pdf.set_font(family, "B", 9.5)
        pdf.multi_cell(
            0, 4.8, clean(f"{label} : ") + f"**{''}**" * 0 + clean(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        write(f"Source : {source}", size=7.5, colour=90, gap=0.8)
    write("Depuis 2015", size=12, style="B", gap=1)
    for line in sheet.changes:
        write(f"• {line}", size=9.5)
    write(f"Quartiers prioritaires ({len(sheet.qpv)})", size=12, style="B", gap=1)
    _table(pdf, family, clean, sheet.qpv, widths=(24, 56, 62, 38))
    write("Crédits adultes-relais et FONJEP par année", size=12, style="B", gap=1)
    if sheet.credits is None:
        write("Aucun poste adultes-relais ou FONJEP rattaché à ce territoire dans les données.", size=9.5)
    else:
        shown = sheet.credits.copy()
        for column in shown.columns:
            if "€" in column:
                shown[column] = shown[column].map(lambda v: format_euros(v).replace("\u00a0€", " €"))
            elif pd.api.types.is_numeric_dtype(shown[column]) and column != "Année":
                shown[column] = shown[column].map(format_nombre)
        widths = (14, 28, 26, 14, 98) if len(shown.columns) == 5 else None  # room for the data-quality notes
        _table(pdf, family, clean, shown, widths=widths)
    for warning in sheet.credit_warnings:
        write(f"Attention, données douteuses dans la source : {warning}", size=8.5, style="B")
    for note in sheet.notes:
        write(note, size=8.5, colour=60)
    write("Rencontres", size=12, style="B", gap=1)
    for line in sheet.meetings or ["Aucune rencontre recensée sur ce territoire ni consacrée à lui."]:
        write(f"• {line}", size=9)
    write("Expériences de coopération", size=12, style="B", gap=1)
    for line in sheet.experiences or ["Aucune expérience de coopération recensée sur ce territoire pour le moment."]:
        write(f"• {line}", size=9)
    write("Sources et date des données", size=12, style="B", gap=1)
    for line in sheet.sources:
        write(f"• {line}", size=8)
    write(f"Fiche produite le {format_date(today)} par la cartographie des coopérations (données publiques ouvertes).",
          size=8, colour=60)  # fmt: skip
    return bytes(pdf.output())


def _fonts(pdf):
    """A Unicode font when the system has one (DejaVu, Liberation), else Helvetica with simplified characters."""
    if all(any(Path(p).is_file() for p in paths) for paths in FONTS.values()):
        for style, paths in FONTS.items():
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
