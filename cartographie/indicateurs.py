"""Figures computed from the reference data: key figures, QPV by department, the sheet of a QPV."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from cartographie.domaine import STATUTS

if TYPE_CHECKING:
    from cartographie.reference import ReferenceData


@dataclass(frozen=True)
class KeyFigures:
    """The headline figures of the home page."""

    nb_qpv: int
    nb_contrats: int
    nb_communes: int
    nb_epci: int
    nb_departements: int
    par_statut: dict[str, int]


def key_figures(ref: ReferenceData) -> KeyFigures:
    """QPV 2024, contrats de ville, communes and EPCI hosting at least one QPV."""
    communes = {code for cell in ref.qpv["insee_com"] for code in str(cell).split(";") if code}
    counts = ref.qpv["statut_2024_vs_2015"].value_counts()
    return KeyFigures(
        nb_qpv=len(ref.qpv),
        nb_contrats=len(ref.contrats_2024),
        nb_communes=len(communes),
        nb_epci=ref.qpv["siren_epci"].nunique(),
        nb_departements=ref.qpv["insee_dep"].nunique(),
        par_statut={STATUTS[code]: int(counts.get(code, 0)) for code in ("NOUVEAU", "MODIFIE", "INCHANGE")},
    )


def qpv_by_departement(ref: ReferenceData) -> pd.DataFrame:
    """One row per department: QPV 2024 in total and by status versus 2015."""
    counts = pd.crosstab(ref.qpv["insee_dep"], ref.qpv["statut_2024_vs_2015"])
    counts = counts.reindex(columns=list(STATUTS), fill_value=0).rename(columns=STATUTS)
    table = ref.departements[["insee_dep", "lib_dep"]].set_index("insee_dep").join(counts).fillna(0)
    table[list(STATUTS.values())] = table[list(STATUTS.values())].astype(int)
    table.insert(1, "QPV 2024", table[list(STATUTS.values())].sum(axis=1))
    table = table.reset_index().rename(columns={"insee_dep": "Code", "lib_dep": "Département"})
    return table.sort_values("Code").reset_index(drop=True)


def qpv_options(ref: ReferenceData) -> dict[str, str]:
    """Code → "Name (commune) – code" for a QPV picker, sorted by name."""
    frame = ref.qpv.sort_values(["lib_qp", "code_qp"])
    return {
        code: f"{name} ({commune.replace(';', ', ')}) – {code}"
        for code, name, commune in zip(frame["code_qp"], frame["lib_qp"], frame["lib_com"], strict=True)
    }


@dataclass(frozen=True)
class QpvSheet:
    """What the sheet of one QPV shows."""

    code: str
    nom: str
    departement: str
    communes: list[str]
    epci: str
    contrat_code: str
    contrat_nom: str
    statut: str
    codes_2015: list[tuple[str, str]]
    communes_codes: tuple[str, ...] = ()
    siren_epci: str = ""


def qpv_sheet(ref: ReferenceData, code_qp: str) -> QpvSheet | None:
    """The sheet of a QPV, or ``None`` for an unknown code."""
    rows = ref.qpv[ref.qpv["code_qp"] == code_qp]
    if rows.empty:
        return None
    row = rows.iloc[0]
    codes = [c for c in str(row["codes_qp_2015"]).split(";") if c]
    labels = [n for n in str(row["libs_qp_2015"]).split(";")]
    labels += [""] * (len(codes) - len(labels))
    return QpvSheet(
        code=row["code_qp"],
        nom=row["lib_qp"],
        departement=f"{row['lib_dep']} ({row['insee_dep']})",
        communes=[
            f"{nom} ({code})"
            for nom, code in zip(str(row["lib_com"]).split(";"), str(row["insee_com"]).split(";"), strict=False)
        ],
        epci=row["lib_epci"],
        contrat_code=row["code_cv_2024"],
        contrat_nom=row["lib_cv_2024"],
        statut=STATUTS[row["statut_2024_vs_2015"]],
        codes_2015=list(zip(codes, labels[: len(codes)], strict=True)),
        communes_codes=tuple(c for c in str(row["insee_com"]).split(";") if c),
        siren_epci=row["siren_epci"],
    )


#: How the credits are counted: the sum of amounts, or the number of distinct posts.
MESURES_CREDITS = {"montant": "Montant (€)", "postes": "Nombre de postes"}


def credits_by_contrat(credits: pd.DataFrame, annee: int, mesure: str = "montant") -> pd.Series:
    """Adultes-relais and FONJEP credits of one year per contrat de ville code.

    2020–2023 rows carry the 2015 contrat codes (``CVnnn``), 2024–2025 rows the 2024 codes.
    Rows without a contrat code are left out.
    """
    rows = credits[(credits["annee"] == annee) & credits["code_cv"].notna() & (credits["code_cv"] != "")]
    if mesure == "postes":
        return rows.groupby("code_cv")["id_poste"].nunique().astype(float)
    return rows.groupby("code_cv")["montant"].sum()


def contrats_2015_of(ref: ReferenceData, code_cv: str, min_share: float = 0.5) -> pd.DataFrame:
    """The 2015–2023 contrats whose perimeter lies mostly (``min_share``) inside a 2024 contrat's carrier.

    This is deduced from the perimeters (no official table links the two generations).
    """
    contrat = ref.contrats_2024[ref.contrats_2024["code_cv"] == code_cv]
    if contrat.empty:
        return ref.contrats_2015.iloc[0:0]
    metric = ref.contrats_2015.estimate_utm_crs()
    old = ref.contrats_2015.to_crs(metric)
    new = contrat.to_crs(metric).geometry.iloc[0]
    share = old.geometry.intersection(new).area / old.geometry.area
    kept = (share >= min_share).to_numpy()
    return ref.contrats_2015[kept].assign(part_dans_2024=share.to_numpy()[kept])


def credits_history(ref: ReferenceData, code_cv: str) -> pd.DataFrame:
    """Amount and posts per year and scheme for one 2024 contrat (2020–2023 through its 2015 contrats)."""
    old_codes = set(contrats_2015_of(ref, code_cv)["code_cv"])
    rows = ref.credits[
        ((ref.credits["annee"] >= 2024) & (ref.credits["code_cv"] == code_cv))
        | ((ref.credits["annee"] < 2024) & ref.credits["code_cv"].isin(old_codes))
    ]
    table = (
        rows.groupby(["annee", "dispositif"])
        .agg(montant=("montant", "sum"), postes=("id_poste", "nunique"))
        .reset_index()
        .rename(columns={"annee": "Année", "dispositif": "Dispositif", "montant": "Montant (€)", "postes": "Postes"})
    )
    return table.sort_values(["Année", "Dispositif"]).reset_index(drop=True)


def contrats_table(ref: ReferenceData) -> pd.DataFrame:
    """The contrats de ville 2024–2030: carrier, department, QPV count and the latest credits."""
    latest = int(ref.credits["annee"].max()) if not ref.credits.empty else None
    amounts = credits_by_contrat(ref.credits, latest) if latest else pd.Series(dtype=float)
    posts = credits_by_contrat(ref.credits, latest, "postes") if latest else pd.Series(dtype=float)
    deps = ref.departements.set_index("insee_dep")["lib_dep"]
    dep_codes = ref.contrats_2024["insee_dep"]
    table = pd.DataFrame(
        {
            "Code": ref.contrats_2024["code_cv"],
            "Contrat de ville": ref.contrats_2024["lib_cv"],
            "Porteur": ref.contrats_2024["porteur_nom"],
            "Type de porteur": ref.contrats_2024["porteur_type"].map({"epci": "EPCI", "commune": "Commune"}),
            "Département": dep_codes.map(deps).fillna("") + " (" + dep_codes + ")",
            "QPV 2024": ref.contrats_2024["code_cv"].map(ref.qpv["code_cv_2024"].value_counts()).fillna(0).astype(int),
            f"Crédits {latest} (€)": ref.contrats_2024["code_cv"].map(amounts).fillna(0.0),
            f"Postes {latest}": ref.contrats_2024["code_cv"].map(posts).fillna(0).astype(int),
        }
    )
    return table.sort_values("Code").reset_index(drop=True)


@dataclass(frozen=True)
class ContratSheet:
    """What the sheet of a contrat de ville shows."""

    code: str
    nom: str
    porteur: str
    porteur_type: str
    porteur_code: str
    departement: str
    qpv: pd.DataFrame
    communes: list[str]
    contrats_2015: pd.DataFrame
    statuts: dict[str, int]


def contrat_sheet(ref: ReferenceData, code_cv: str) -> ContratSheet | None:
    """The sheet of a contrat de ville 2024–2030, or ``None`` for an unknown code."""
    rows = ref.contrats_2024[ref.contrats_2024["code_cv"] == code_cv]
    if rows.empty:
        return None
    row = rows.iloc[0]
    qpv = ref.qpv[ref.qpv["code_cv_2024"] == code_cv].sort_values("lib_qp")
    communes = sorted(
        {
            f"{nom} ({code})"
            for codes, noms in zip(qpv["insee_com"], qpv["lib_com"], strict=True)
            for code, nom in zip(str(codes).split(";"), str(noms).split(";"), strict=False)
        }
    )
    deps = ref.departements.set_index("insee_dep")["lib_dep"]
    counts = qpv["statut_2024_vs_2015"].value_counts()
    return ContratSheet(
        code=code_cv,
        nom=row["lib_cv"],
        porteur=row["porteur_nom"],
        porteur_type="EPCI" if row["porteur_type"] == "epci" else "Commune",
        porteur_code=row["porteur_code"],
        departement=f"{deps.get(row['insee_dep'], '')} ({row['insee_dep']})",
        qpv=qpv,
        communes=communes,
        contrats_2015=contrats_2015_of(ref, code_cv),
        statuts={STATUTS[c]: int(counts.get(c, 0)) for c in ("NOUVEAU", "MODIFIE", "INCHANGE")},
    )
