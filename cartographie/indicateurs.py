"""Figures computed from the reference data: key figures, QPV by department, the sheet of a QPV."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cartographie.reference import STATUTS, ReferenceData


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
    )
