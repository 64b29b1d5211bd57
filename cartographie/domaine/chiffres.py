"""Figures: every number the app shows is an object, computed once here and rendered by every view.

A :class:`Figure` carries its value, unit, scope (the region, a department, a contrat de ville, a
QPV), the reference files it comes from (keys of the loaded folder's manifest), its vintage and
its notes. Lists, sheets, slides, printed sheets, map images and exports render these objects;
none of them sums or relabels a figure on its own. The credits figures are read from the ledger
computed once at load (:func:`cartographie.domaine.credits.credits_ledger`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from cartographie.domaine.credits import ALERTE, NOTE, PREMIERE_ANNEE_CONTRATS_2024
from cartographie.domaine.formats import format_euros, format_nombre

if TYPE_CHECKING:
    from cartographie.domaine.territoires import ReferenceData


#: Levels of a scope, in French (a figure says whose it is).
NIVEAUX = {
    "region": "région",
    "dep": "département",
    "cv": "contrat de ville 2024–2030",
    "cv2015": "contrat de ville 2015–2023",
    "qpv": "quartier prioritaire",
}


@dataclass(frozen=True)
class Scope:
    """Whose figure it is: the region, a department, a contrat de ville (2024 or 2015 generation) or a QPV."""

    niveau: str
    code: str = ""
    libelle: str = ""


@dataclass(frozen=True)
class Figure:
    """One figure as every view shows it: value, unit, scope, sources, vintage and notes.

    ``value`` is ``None`` (or NaN) when the data do not document it: views write « – » and the
    notes say why, never 0. ``sources`` are keys of the loaded folder's manifest.
    """

    key: str
    value: float | int | str | None
    unit: str  # "euros", "postes", "habitants", "nombre" or "texte"
    label: str
    scope: Scope
    sources: tuple[str, ...]
    vintage: str
    notes: tuple[str, ...] = ()
    alerts: tuple[str, ...] = ()
    #: What a count counts, when a sheet lists it (« Nancy (54395), Vandœuvre-lès-Nancy (54547) »).
    detail: str = ""
    #: What the figure is (or is not), in a few words for a slide's card (its notes say it at length).
    brief: str = ""

    @property
    def known(self) -> bool:
        """Whether the data document the value."""
        return self.value is not None and self.value == self.value  # NaN is not known

    @property
    def text(self) -> str:
        """The value in French: « 814 877 € », « 41 postes », « 1 234 », « – » when unknown."""
        if not self.known:
            return "–"
        if self.unit == "euros":
            return format_euros(float(self.value))
        if self.unit == "postes":
            return f"{format_nombre(self.value)} poste{'s' if abs(float(self.value)) >= 2 else ''}"
        if self.unit in ("nombre", "habitants"):
            return format_nombre(self.value)
        return str(self.value)

    @property
    def short_text(self) -> str:
        """The value for a large card on a slide: millions of inhabitants as « 5,5 M », else :attr:`text`."""
        if self.unit == "habitants" and self.known and float(self.value) >= 1_000_000:
            return f"{format_nombre(float(self.value) / 1_000_000, 1)}\u00a0M"
        return self.text


#: Sources that are not reference files: the project's authored registries.
AUTHORED_SOURCES = {
    "rencontres": "documents publics de l'ORIV et du Réseau DSU Grand Est, 2020–2025",
    "experiences": "registre de l'application (documents publics, propositions validées)",
}


def source_short(ref: ReferenceData, key: str) -> str:
    """« Producer, vintage » of one source of a figure, as a line under it says."""
    if key in AUTHORED_SOURCES:
        return AUTHORED_SOURCES[key]
    source = ref.source(key)
    producer = source.producteur.split(" ;")[0]
    producer += ")" * (producer.count("(") - producer.count(")"))
    return producer if source.millesime in producer else f"{producer}, {source.millesime}"


def source_named(ref: ReferenceData, key: str) -> str:
    """« Title, producer, vintage » in a few words: « Correspondance QPV 2024 – QPV 2015, ANCT, 2024 »."""
    if key in AUTHORED_SOURCES:
        return AUTHORED_SOURCES[key]
    source = ref.source(key)
    return f"{source.titre.split(' (')[0]}, {source.producteur.split(' (')[0].split(' ;')[0]}, {source.millesime}"


def source_brief(ref: ReferenceData, figure: Figure) -> str:
    """Where a figure comes from, in a few words (a slide's card): producers and vintages, and what it is not."""

    def brief(key: str) -> str:
        if key in AUTHORED_SOURCES:
            return AUTHORED_SOURCES[key]
        source = ref.source(key)
        return f"{source.producteur.split(' (')[0].split(' ;')[0]}, {source.millesime}"

    text = " ; ".join(dict.fromkeys(brief(k) for k in figure.sources))
    return f"{text} — {figure.brief}" if figure.brief else text


def source_line(ref: ReferenceData, figure: Figure) -> str:
    """Where a figure comes from (« title – producer, vintage » of each source), then its notes."""
    parts = []
    for key in figure.sources:
        if key in AUTHORED_SOURCES:
            parts.append(AUTHORED_SOURCES[key])
        else:
            parts.append(f"{ref.source(key).titre} – {source_short(ref, key)}")
    text = " ; ".join(dict.fromkeys(parts))
    return f"{text} — {' ; '.join(figure.notes)}" if figure.notes else text


# --------------------------------------------------------------------------------------------- credits


def credits_years(ref: ReferenceData) -> list[int]:
    """Years of the credits, oldest first."""
    return sorted(int(y) for y in ref.credits["annee"].unique())


def default_credits_year(ref: ReferenceData) -> int | None:
    """The year every credits view opens on: the latest one without a data-quality alert."""
    quality = ref.credits_qualite
    if quality is not None and quality.annees:
        return quality.default_year()
    years = credits_years(ref)
    return years[-1] if years else None


def credit_sources(niveau: str, annee: int) -> tuple[str, ...]:
    """The reference files a credits figure comes from.

    A 2024 contrat's 2020–2023 credits are those of its 2015–2023 predecessors, found from the
    perimeters (2015–2023 contrats, the 2024 contrats' carriers, the QPV 2024).
    """
    if niveau == "cv" and annee < PREMIERE_ANNEE_CONTRATS_2024:
        return ("credits", "contrats_ville_2015", "contrats_ville_2024", "qpv_2024", "epci", "communes")
    if niveau == "cv2015":
        return ("credits", "contrats_ville_2015")
    return ("credits",)


def _ledger(ref: ReferenceData, niveau: str, code: str | None = None, annee: int | None = None) -> pd.DataFrame:
    ledger = ref.credits_par_territoire
    rows = ledger[ledger["niveau"] == niveau]
    if code is not None:
        rows = rows[rows["code"] == code]
    if annee is not None:
        rows = rows[rows["annee"] == annee]
    return rows


def credit_quality(
    ref: ReferenceData, niveau: str, code: str, annee: int, *, dispositif: str | None = None, source_codes=()
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The alerts and the notes of the data-quality checks that belong to one credits figure."""
    quality = ref.credits_qualite
    if quality is None:
        return (), ()
    found = [
        f
        for f in quality.about(niveau, code, annee, source_codes=tuple(source_codes))
        if dispositif is None or f.dispositif == dispositif
    ]
    return (
        tuple(f.texte for f in found if f.niveau == ALERTE),
        tuple(f.texte for f in found if f.niveau == NOTE),
    )


def credit_origin(ref: ReferenceData, code_cv: str, annee: int) -> str:
    """Whose credits a 2024 contrat's figure of ``annee`` sums, in a few words (empty from 2024 on: its own)."""
    from cartographie.domaine.predecesseurs import predecessors_of

    if annee >= PREMIERE_ANNEE_CONTRATS_2024:
        return ""
    return predecessors_of(ref, code_cv).credits_origin


def _figure(ref: ReferenceData, niveau: str, code: str, annee: int, rows: pd.DataFrame, mesure: str,
            dispositif: str | None) -> Figure:  # fmt: skip
    column = "montant" if mesure == "montant" else "postes"
    value = float(rows[column].sum()) if len(rows) and rows[column].notna().all() else float("nan")
    if mesure == "montant" and value == value:
        value = round(value, 2)
    source_codes = tuple(sorted({c for codes in rows["codes_source"] for c in codes}))
    alerts, notes = credit_quality(ref, niveau, code, annee, dispositif=dispositif, source_codes=source_codes)
    origin = credit_origin(ref, code, annee) if niveau == "cv" else ""
    return Figure(
        key=f"credits_{mesure}",
        value=value,
        unit="euros" if mesure == "montant" else "postes",
        label="Crédits adultes-relais et FONJEP" + ("" if dispositif is None else f" ({dispositif})"),
        scope=Scope(niveau, code),
        sources=credit_sources(niveau, annee),
        vintage=str(annee),
        notes=((origin,) if origin else ()) + notes,
        alerts=alerts,
    )


def credit_figure(
    ref: ReferenceData, niveau: str, code: str, annee: int, *, mesure: str = "montant", dispositif: str | None = None
) -> Figure:
    """The credits (amount or posts) of one territory and year, both schemes or one, with sources and notes."""
    rows = _ledger(ref, niveau, code, annee)
    if dispositif is not None:
        rows = rows[rows["dispositif"] == dispositif]
    return _figure(ref, niveau, code, annee, rows, mesure, dispositif)


def credit_figures(ref: ReferenceData, niveau: str, annee: int, *, mesure: str = "montant") -> dict[str, Figure]:
    """:func:`credit_figure` of every territory of a level for one year (code → figure), in one pass."""
    rows = _ledger(ref, niveau, annee=annee)
    return {str(code): _figure(ref, niveau, str(code), annee, group, mesure, None)
            for code, group in rows.groupby("code", sort=True)}  # fmt: skip


def credit_values(ref: ReferenceData, annee: int, mesure: str = "montant") -> pd.Series:
    """The credits of one year per contrat, as the map draws them (indexed by contrat code).

    2020–2023: per contrat 2015–2023 (drawn on the 2015–2023 perimeters); from 2024: per contrat
    2024–2030. Contrats without a post that year are left out (nothing is drawn on them).
    """
    niveau = "cv" if annee >= PREMIERE_ANNEE_CONTRATS_2024 else "cv2015"
    rows = _ledger(ref, niveau, annee=annee)
    grouped = rows.groupby("code").agg(montant=("montant", "sum"), postes=("postes", "sum"))
    grouped = grouped[grouped["postes"] > 0]
    return grouped["montant"].round(2) if mesure == "montant" else grouped["postes"].astype(float)


def credits_by_year(ref: ReferenceData, niveau: str, code: str) -> pd.DataFrame:
    """Amount and posts per year and scheme of one territory, each row with its data-quality notes.

    Rows without any post are left out, except the years the data do not document (a 2024
    contrat whose 2015–2023 contrat is unknown): they stay, empty, with their explanation.
    Columns: ``Année``, ``Dispositif``, ``Montant (€)``, ``Postes``, ``Alerte``, ``Origine`` (for a
    contrat 2024–2030 in 2020–2023: whose credits they are) and ``Qualité des données`` (the alerts
    and notes that belong to the row). Territories other than contrats have no ``Origine``.
    """
    rows = _ledger(ref, niveau, code)
    rows = rows[rows["postes"].isna() | (rows["postes"] > 0)].sort_values(["annee", "dispositif"])
    records = []
    for row in rows.itertuples():
        alerts, notes = credit_quality(
            ref, niveau, code, int(row.annee), dispositif=row.dispositif, source_codes=row.codes_source
        )
        origin = credit_origin(ref, code, int(row.annee)) if niveau == "cv" else ""
        records.append(
            {
                "Année": int(row.annee),
                "Dispositif": row.dispositif,
                "Montant (€)": row.montant,
                "Postes": row.postes,
                "Alerte": bool(alerts),
                "Origine": origin,
                "Qualité des données": " ".join((*alerts, *notes)) or "aucune anomalie détectée",
            }
        )
    columns = ["Année", "Dispositif", "Montant (€)", "Postes", "Alerte", "Origine", "Qualité des données"]
    table = pd.DataFrame(records, columns=columns)
    table["Postes"] = table["Postes"].astype("Int64")
    if niveau != "cv":
        table = table.drop(columns="Origine")
    return table.reset_index(drop=True)


def credits_history(ref: ReferenceData, code_cv: str) -> pd.DataFrame:
    """Amount and posts per year and scheme of one 2024 contrat (2020–2023 through its predecessors)."""
    return credits_by_year(ref, "cv", code_cv)


def contrats_table(ref: ReferenceData, annee: int | None = None, codes: set[str] | None = None) -> pd.DataFrame:
    """The contrats de ville 2024–2030: the credits of one year, QPV count, carrier and department.

    ``annee`` defaults to :func:`default_credits_year`. Each row's credits are the figure of its
    sheet (:func:`credit_figure`): for 2020–2023, those of the contrat's predecessors. The last
    columns say where a 2020–2023 figure comes from, and the data-quality findings of that row.
    ``codes`` keeps only those contrats (the ones the filters leave).
    """
    annee = annee if annee is not None else default_credits_year(ref)
    deps = ref.departements.set_index("insee_dep")["lib_dep"]
    contrats = ref.contrats_2024.sort_values("code_cv")
    if codes is not None:
        contrats = contrats[contrats["code_cv"].isin(codes)]
    if annee:
        by_code = credit_figures(ref, "cv", annee)
        montants = [by_code[c] for c in contrats["code_cv"]]
        by_code = credit_figures(ref, "cv", annee, mesure="postes")
        postes = [by_code[c] for c in contrats["code_cv"]]
    dep_codes = contrats["insee_dep"]
    table = pd.DataFrame(
        {
            "Code": contrats["code_cv"].to_numpy(),
            "Contrat de ville": contrats["lib_cv"].to_numpy(),
            "Porteur": contrats["porteur_nom"].to_numpy(),
            "Type de porteur": contrats["porteur_type"].map({"epci": "EPCI", "commune": "Commune"}).to_numpy(),
            "Département": (dep_codes.map(deps).fillna("") + " (" + dep_codes + ")").to_numpy(),
            "QPV 2024": contrats["code_cv"].map(ref.qpv["code_cv_2024"].value_counts()).fillna(0).astype(int),
        }
    ).reset_index(drop=True)
    if annee:  # the year's figures right after the contrat's name: seen without scrolling at 1440 px and less
        table.insert(2, f"Crédits {annee} (€)", pd.Series([f.value for f in montants], dtype=float))
        table.insert(3, f"Postes {annee}", pd.Series([f.value for f in postes], dtype=float).astype("Int64"))
        old = annee < PREMIERE_ANNEE_CONTRATS_2024  # the first note of a 2020–2023 figure is its origin
        if old:
            table[f"Origine des crédits {annee}"] = [f.notes[0] for f in montants]
        table[f"Qualité des données {annee}"] = [
            " ".join((*f.alerts, *f.notes[1 if old else 0 :])) or "aucune anomalie détectée" for f in montants
        ]
    return table


def credits_total_sentence(ref: ReferenceData, annee: int) -> str:
    """The regional total of a year in one sentence, and why the contrats' rows may not add up to it."""
    montant = credit_figure(ref, "region", "", annee)
    postes = credit_figure(ref, "region", "", annee, mesure="postes")
    contrats = _ledger(ref, "cv", annee=annee)
    counted = round(float(contrats["montant"].sum()), 2)
    sentence = (
        f"Total de la région {ref.region_info.nom} en {annee} : {montant.text} pour {postes.text} "
        "(toutes les lignes de la source, un poste compté une fois)."
    )
    if abs(counted - float(montant.value)) >= 0.01:
        sentence += f" La somme des contrats de ville 2024–2030 fait {format_euros(counted)} : " + (
            "la différence vient des postes sans contrat, des crédits 2015–2023 que les données ne rattachent "
            "à aucun contrat 2024 et, le cas échéant, d'un contrat 2015–2023 compté pour deux contrats."
            if annee < PREMIERE_ANNEE_CONTRATS_2024
            else "la différence vient des postes sans contrat de ville."
        )
    return sentence
