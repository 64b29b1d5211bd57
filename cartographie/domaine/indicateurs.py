"""Figures computed from the reference data: key figures, QPV by department, the sheet of a QPV."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from cartographie.domaine.territoires import STATUTS, communes_of, hosting_communes

if TYPE_CHECKING:
    import geopandas as gpd

    from cartographie.domaine.territoires import ReferenceData


@dataclass(frozen=True)
class KeyFigures:
    """The headline figures of the home page."""

    nb_qpv: int
    nb_contrats: int
    nb_communes: int
    nb_epci: int
    nb_departements: int
    #: QPV per status code (``NOUVEAU``, ``MODIFIE``, ``INCHANGE``).
    par_statut: dict[str, int]


def key_figures(ref: ReferenceData) -> KeyFigures:
    """QPV 2024, contrats de ville, communes and EPCI hosting at least one QPV."""
    communes = hosting_communes(ref)
    counts = ref.qpv["statut_2024_vs_2015"].value_counts()
    return KeyFigures(
        nb_qpv=len(ref.qpv),
        nb_contrats=len(ref.contrats_2024),
        nb_communes=len(communes),
        nb_epci=ref.qpv["siren_epci"].nunique(),
        nb_departements=ref.qpv["insee_dep"].nunique(),
        par_statut={code: int(counts.get(code, 0)) for code in ("NOUVEAU", "MODIFIE", "INCHANGE")},
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


def credits_by_contrat(credits: pd.DataFrame, annee: int, mesure: str = "montant") -> pd.Series:
    """Adultes-relais and FONJEP credits of one year per contrat de ville code.

    2020–2023 rows carry the 2015 contrat codes (``CVnnn``), 2024–2025 rows the 2024 codes.
    Rows without a contrat code are left out.
    """
    rows = credits[(credits["annee"] == annee) & credits["code_cv"].notna() & (credits["code_cv"] != "")]
    if mesure == "postes":
        return rows.groupby("code_cv")["id_poste"].nunique().astype(float)
    return rows.groupby("code_cv")["montant"].sum()


#: Share of a QPV 2024's area that must lie inside a 2015–2023 contrat for that contrat to have covered it.
PART_QPV_COUVERT = 0.5


#: Share of a 2024 contrat's territory that must lie inside a 2015–2023 contrat for it to be a predecessor.
PART_TERRITOIRE_COUVERT = 0.5


#: Columns of the predecessors table (one row per 2024 contrat and 2015–2023 predecessor).
PREDECESSOR_COLUMNS = ["code_cv", "code_cv_2015", "qpv_couverts", "part_territoire"]


def predecessors_table(
    contrats_2024: gpd.GeoDataFrame, contrats_2015: gpd.GeoDataFrame, qpv: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Which 2015–2023 contrats preceded each 2024–2030 contrat, and why.

    No official table links the two generations. A 2015–2023 contrat is a predecessor of a
    2024 contrat when it covered at least one of its QPV 2024 (at least
    :data:`PART_QPV_COUVERT` of the QPV's area inside its perimeter: a QPV that succeeds a 2015 QPV
    lies where its predecessor lay), or most of its territory (:data:`PART_TERRITOIRE_COUVERT`).
    Computed once when the reference data are loaded.

    Returns
    -------
    pandas.DataFrame
        ``code_cv`` (2024), ``code_cv_2015``, ``qpv_couverts`` (codes joined by ``;``) and
        ``part_territoire`` (share of the 2024 territory inside the 2015 perimeter).
    """
    if contrats_2024.empty or contrats_2015.empty:
        return pd.DataFrame(columns=PREDECESSOR_COLUMNS)
    metric = contrats_2015.estimate_utm_crs()
    old = contrats_2015[["code_cv", "geometry"]].to_crs(metric)
    new = contrats_2024[["code_cv", "geometry"]].to_crs(metric)
    quartiers = qpv[["code_qp", "code_cv_2024", "geometry"]].to_crs(metric)
    rows = []
    for contrat in new.itertuples():
        own = quartiers[quartiers["code_cv_2024"] == contrat.code_cv]
        area = contrat.geometry.area
        for previous in old.itertuples():
            if not contrat.geometry.intersects(previous.geometry) and not own.intersects(previous.geometry).any():
                continue
            covered = [
                q.code_qp
                for q in own.itertuples()
                if q.geometry.area
                and q.geometry.intersection(previous.geometry).area / q.geometry.area >= PART_QPV_COUVERT
            ]
            share = contrat.geometry.intersection(previous.geometry).area / area if area else 0.0
            if covered or share >= PART_TERRITOIRE_COUVERT:
                rows.append((contrat.code_cv, previous.code_cv, ";".join(sorted(covered)), round(float(share), 3)))
    return pd.DataFrame(rows, columns=PREDECESSOR_COLUMNS)


@dataclass(frozen=True)
class Predecessors:
    """The 2015–2023 contrats that preceded a 2024 contrat, or why the data cannot name them."""

    contrats: pd.DataFrame  # rows of the 2015 layer, with "qpv_couverts", "part_territoire", "partage_avec"
    statut: str  # "documente", "non_documente" or "sans_qpv_2015"
    explication: str

    @property
    def codes(self) -> set[str]:
        """Codes of the predecessors (whose 2020–2023 credits the sheet shows)."""
        return set(self.contrats["code_cv"])


def predecessors_of(ref: ReferenceData, code_cv: str) -> Predecessors:
    """The predecessors of one 2024 contrat, with a sentence that never asserts what the data do not show."""
    table = ref.contrats_predecesseurs
    links = table[table["code_cv"] == code_cv]
    shared = table.groupby("code_cv_2015")["code_cv"].agg(lambda codes: ";".join(sorted(codes)))
    contrats = ref.contrats_2015.merge(
        links.rename(columns={"code_cv": "code_cv_2024", "code_cv_2015": "code_cv"}), on="code_cv", how="inner"
    )
    contrats = contrats.assign(
        partage_avec=contrats["code_cv"].map(
            lambda c: ";".join(x for x in shared.get(c, "").split(";") if x and x != code_cv)
        )
    )
    if not contrats.empty:
        return Predecessors(contrats, "documente", "")
    qpv = ref.qpv[ref.qpv["code_cv_2024"] == code_cv]
    successors = qpv[qpv["statut_2024_vs_2015"] != "NOUVEAU"]
    if not successors.empty:
        row = successors.iloc[0]
        anciens = str(row["codes_qp_2015"]).replace(";", ", ")
        return Predecessors(
            contrats,
            "non_documente",
            f"Les données ne documentent pas le contrat de ville 2015–2023 de ce territoire : le QPV "
            f"{row['lib_qp']} ({row['code_qp']}) succède au QPV 2015 {anciens}, qui relevait d'un contrat de "
            "ville 2015–2023, mais la couche des périmètres 2015–2023 n'en contient aucun à cet endroit. "
            "Ses crédits 2020–2023 ne peuvent donc pas être rattachés à cette fiche.",
        )
    return Predecessors(
        contrats,
        "sans_qpv_2015",
        "Aucun périmètre de contrat 2015–2023 des données ne couvre ce territoire, et ses quartiers sont tous "
        "nouveaux en 2024 (aucun ne succède à un QPV 2015).",
    )


def credits_history(ref: ReferenceData, code_cv: str) -> pd.DataFrame:
    """Amount and posts per year and scheme for one 2024 contrat (2020–2023 through its 2015 predecessors).

    Each row carries what the data-quality checks found for its scheme and year (column
    ``Qualité des données``), so that a doubtful year never travels without its warning.
    """
    old_codes = predecessors_of(ref, code_cv).codes
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
    table = table.sort_values(["Année", "Dispositif"]).reset_index(drop=True)
    quality = ref.credits_qualite
    table["Alerte"] = [
        bool(quality and quality.has_alert(a, d)) for a, d in zip(table["Année"], table["Dispositif"], strict=True)
    ]
    table["Qualité des données"] = [
        quality.column(a, d) if quality else "" for a, d in zip(table["Année"], table["Dispositif"], strict=True)
    ]
    return table


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


def contrat_choices(ref: ReferenceData, codes, keep: str | None = None) -> dict[str, str]:
    """Code → name of the contrats ``codes`` (every contrat when empty), plus ``keep`` (a choice already made)."""
    names = dict(zip(ref.contrats_2024["code_cv"], ref.contrats_2024["lib_cv"], strict=True))
    choices = {code: names[code] for code in codes if code in names} or names
    if keep and keep in names and keep not in choices:
        choices[keep] = names[keep]
    return choices


def contrats_table(ref: ReferenceData, annee: int | None = None, codes: set[str] | None = None) -> pd.DataFrame:
    """The contrats de ville 2024–2030: carrier, department, QPV count and the credits of one year.

    ``annee`` defaults to :func:`default_credits_year`; the last column says what the
    data-quality checks found for that year (it travels with the figures into the exports).
    ``codes`` keeps only those contrats (the ones the filters leave).
    """
    annee = annee if annee is not None else default_credits_year(ref)
    amounts = credits_by_contrat(ref.credits, annee) if annee else pd.Series(dtype=float)
    posts = credits_by_contrat(ref.credits, annee, "postes") if annee else pd.Series(dtype=float)
    deps = ref.departements.set_index("insee_dep")["lib_dep"]
    dep_codes = ref.contrats_2024["insee_dep"]
    quality = ref.credits_qualite
    table = pd.DataFrame(
        {
            "Code": ref.contrats_2024["code_cv"],
            "Contrat de ville": ref.contrats_2024["lib_cv"],
            "Porteur": ref.contrats_2024["porteur_nom"],
            "Type de porteur": ref.contrats_2024["porteur_type"].map({"epci": "EPCI", "commune": "Commune"}),
            "Département": dep_codes.map(deps).fillna("") + " (" + dep_codes + ")",
            "QPV 2024": ref.contrats_2024["code_cv"].map(ref.qpv["code_cv_2024"].value_counts()).fillna(0).astype(int),
            f"Crédits {annee} (€)": ref.contrats_2024["code_cv"].map(amounts).fillna(0.0),
            f"Postes {annee}": ref.contrats_2024["code_cv"].map(posts).fillna(0).astype(int),
            f"Qualité des données {annee}": quality.column(annee) if quality and annee else "",
        }
    )
    if codes is not None:
        table = table[table["Code"].isin(codes)]
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
