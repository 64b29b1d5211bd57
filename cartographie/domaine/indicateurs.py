"""Figures computed from the reference data: QPV by department, the sheet of a QPV.

The key figures of a territory (home page, slides, sheets) are its facts:
:func:`cartographie.domaine.fiches.territory_facts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from cartographie.domaine.predecesseurs import Predecessors, predecessors_of
from cartographie.domaine.territoires import STATUTS, communes_of

if TYPE_CHECKING:
    from cartographie.domaine.territoires import ReferenceData


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
        code: f"{name} ({commune}) – {code}"
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
        communes=[f"{r.lib_com} ({r.insee_com})" for r in communes_of(ref, code_qp).itertuples()],
        epci=row["lib_epci"],
        contrat_code=row["code_cv_2024"],
        contrat_nom=row["lib_cv_2024"],
        statut=STATUTS[row["statut_2024_vs_2015"]],
        codes_2015=list(zip(codes, labels[: len(codes)], strict=True)),
        communes_codes=tuple(communes_of(ref, code_qp)["insee_com"]),
        siren_epci=row["siren_epci"],
    )


@dataclass(frozen=True)
class Population:
    """The population of a territory, with what it is and where it comes from."""

    valeur: int
    communes: int
    manquantes: int  # communes of the territory absent from the reference file (outside the region)
    definition: str

    @property
    def complete(self) -> bool:
        """Whether every commune of the territory is counted."""
        return self.manquantes == 0


def population_definition(ref: ReferenceData) -> str:
    """What every population figure of the app is, and its vintage as the source states it."""
    source = ref.source("communes")
    return (
        f"population municipale (INSEE, populations légales ; {source.producteur.split(' ;')[0]}, "
        f"{source.millesime}), somme des communes du territoire ; l'année de recensement n'est pas indiquée "
        "par le fichier source"
    )


def population_of(ref: ReferenceData, kind: str, code: str = "") -> Population | None:
    """Population of the region, a department (``dep``), an EPCI (``epci``), a commune or a contrat (``cv``).

    One rule everywhere: the sum of the ``population`` of the territory's communes in the
    reference communes file (never the EPCI file's own field, whose vintage differs). A
    contrat's territory is its carrier (the EPCI or the commune). ``None`` for an unknown code.
    """
    communes = ref.communes
    expected = None
    if kind == "region":
        rows = communes
    elif kind == "dep":
        rows = communes[communes["insee_dep"] == code]
    elif kind == "commune":
        rows = communes[communes["insee_com"] == code]
    elif kind in ("epci", "cv"):
        if kind == "cv":
            contrat = ref.contrats_2024[ref.contrats_2024["code_cv"] == code]
            if contrat.empty:
                return None
            if contrat["porteur_type"].iloc[0] == "commune":
                return population_of(ref, "commune", contrat["porteur_code"].iloc[0])
            code = contrat["porteur_code"].iloc[0]
        rows = communes[communes["siren_epci"] == code]
        declared = ref.epci.loc[ref.epci["siren_epci"] == code, "nb_communes"]
        expected = int(declared.iloc[0]) if len(declared) else None
    else:
        raise ValueError(f"territoire inconnu : {kind}")
    if rows.empty:
        return None
    missing = max(0, expected - len(rows)) if expected is not None else 0
    return Population(int(rows["population"].sum()), len(rows), missing, population_definition(ref))


def contrat_choices(ref: ReferenceData, codes, keep: str | None = None) -> dict[str, str]:
    """Code → name of the contrats ``codes`` (every contrat when empty), plus ``keep`` (a choice already made)."""
    names = dict(zip(ref.contrats_2024["code_cv"], ref.contrats_2024["lib_cv"], strict=True))
    choices = {code: names[code] for code in codes if code in names} or names
    if keep and keep in names and keep not in choices:
        choices[keep] = names[keep]
    return choices


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
    predecesseurs: Predecessors
    statuts: dict[str, int]
    population: Population | None = None


def contrat_sheet(ref: ReferenceData, code_cv: str) -> ContratSheet | None:
    """The sheet of a contrat de ville 2024–2030, or ``None`` for an unknown code."""
    rows = ref.contrats_2024[ref.contrats_2024["code_cv"] == code_cv]
    if rows.empty:
        return None
    row = rows.iloc[0]
    qpv = ref.qpv[ref.qpv["code_cv_2024"] == code_cv].sort_values("lib_qp")
    communes = sorted({f"{r.lib_com} ({r.insee_com})" for r in communes_of(ref, qpv["code_qp"]).itertuples()})
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
        predecesseurs=predecessors_of(ref, code_cv),
        population=population_of(ref, "cv", code_cv),
        statuts={c: int(counts.get(c, 0)) for c in ("NOUVEAU", "MODIFIE", "INCHANGE")},
    )
