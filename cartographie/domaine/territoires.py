"""The reference-data container and the statuses of QPV 2024 versus 2015 (no heavy import here).

``ReferenceData`` is read back from the disk cache without importing geopandas (pages served
from the cache start faster).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from cartographie.domaine.credits import CreditsQuality
    from cartographie.lecture.sources import RegionInfo, SourceFile


#: Status of a QPV 2024 compared with the 2015 priority geography, as coded by ANCT.
STATUTS = {"NOUVEAU": "Nouveau", "MODIFIE": "Modifié", "INCHANGE": "Inchangé"}


#: The same statuses as adjectives of a count (singular, plural): « 1 nouveau », « 8 nouveaux ».
STATUTS_ACCORDES = {
    "NOUVEAU": ("nouveau", "nouveaux"),
    "MODIFIE": ("modifié", "modifiés"),
    "INCHANGE": ("inchangé", "inchangés"),
}


def statuts_phrase(counts: dict[str, int], *, bold: bool = False) -> str:
    """``8 nouveaux, 81 modifiés, 34 inchangés`` from counts keyed by status code (numbers in bold if asked)."""
    from cartographie.domaine.formats import format_nombre

    parts = []
    for code, (one, many) in STATUTS_ACCORDES.items():
        n = int(counts.get(code, 0))
        number = f"**{format_nombre(n)}**" if bold else format_nombre(n)
        parts.append(f"{number} {many if n > 1 else one}")
    return ", ".join(parts)


@dataclass
class ReferenceData:
    """All the reference layers of one region, validated and joined."""

    dossier: Path
    region_info: RegionInfo
    sources: dict[str, SourceFile]
    qpv: gpd.GeoDataFrame
    contrats_2024: gpd.GeoDataFrame
    contrats_2015: gpd.GeoDataFrame
    epci: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    region: gpd.GeoDataFrame
    #: Communes with their shapes (a plain DataFrame without them in ``ui.reference()``).
    communes: gpd.GeoDataFrame | pd.DataFrame
    #: Adultes-relais and FONJEP posts, one row per scheme, year and post (see ``cartographie.domaine.credits``).
    credits: pd.DataFrame
    #: The QPV ↔ commune table (``code_qp``, ``insee_com``, ``lib_com``): a QPV's communes are read here.
    qpv_communes: pd.DataFrame | None = None
    #: What the deduplication dropped and what the checks found on the credits.
    credits_qualite: CreditsQuality | None = None
    #: 2015–2023 predecessors of each 2024 contrat (see ``indicateurs.predecessors_table``).
    contrats_predecesseurs: pd.DataFrame | None = None
    #: Every credits figure, per territory, year and scheme (see ``credits.credits_ledger``): views read it.
    credits_par_territoire: pd.DataFrame | None = None
    #: Each 2024 contrat's predecessors, as ``predecesseurs.predecessors_of`` says them (computed once at load).
    predecesseurs: dict | None = None
    #: INSEE's indicators of each QPV (``code_qp``, ``population``, ``indice_jeunesse``, ``taux_emploi``,
    #: ``taux_pauvrete``; NaN where not published), or ``None`` when the folder has no such file.
    indicateurs: pd.DataFrame | None = None
    #: Territories already resolved (:func:`resolve_territory`), by value: a QPV's sheet resolves its five
    #: comparable QPV on every run (3 ms each). Territories are immutable; the data never change in place.
    territoires_resolus: dict = field(default_factory=dict, repr=False, compare=False)

    def source(self, cle: str) -> SourceFile:
        """The manifest entry of one reference file."""
        return self.sources[cle]


def communes_of(ref: ReferenceData, codes_qp: object = None) -> pd.DataFrame:
    """The (QPV, commune) rows of these QPV (all of them when ``codes_qp`` is ``None``)."""
    table = ref.qpv_communes
    if codes_qp is None:
        return table
    wanted = {codes_qp} if isinstance(codes_qp, str) else set(codes_qp)
    return table[table["code_qp"].isin(wanted)]


def hosting_communes(ref: ReferenceData, codes_qp: object = None) -> set[str]:
    """INSEE codes of the communes hosting at least one of these QPV (all QPV when ``None``)."""
    return set(communes_of(ref, codes_qp)["insee_com"])


@dataclass(frozen=True)
class Territory:
    """A territory a view is about: the region, a department, a contrat de ville or a QPV.

    ``communes`` and ``epci`` are where a meeting held *on* the territory may take place (for a
    contrat: its QPV's communes and every commune of its carrier); ``communes_qpv`` are the
    communes hosting one of its QPV; ``contrats`` the contrats de ville 2024–2030 it belongs to.
    """

    kind: str  # "region", "dep", "cv" or "qpv"
    code: str
    label: str
    qpv_codes: frozenset[str]
    departements: frozenset[str]
    communes: frozenset[str] = frozenset()
    epci: frozenset[str] = frozenset()
    communes_qpv: frozenset[str] = frozenset()
    contrats: frozenset[str] = frozenset()

    @property
    def value(self) -> str:
        """The territory as a settings or address value: ``region``, ``dep:57``, ``cv:CN05403M``, ``qpv:QN05415M``."""
        return "region" if self.kind == "region" else f"{self.kind}:{self.code}"


def resolve_territory(ref: ReferenceData, value: str) -> Territory:
    """The territory of a value (``region``, ``dep:57``, ``cv:CN05403M``, ``qpv:QN05415M``).

    Raises ``KeyError`` for an unknown code. Resolved once per value and reference data.
    """
    known = ref.territoires_resolus.get(value)
    if known is None:
        known = ref.territoires_resolus[value] = _resolve(ref, value)
    return known


def _resolve(ref: ReferenceData, value: str) -> Territory:
    kind, _, code = value.partition(":")
    if kind == "qpv":
        rows = ref.qpv[ref.qpv["code_qp"] == code]
        if rows.empty:
            raise KeyError(code)
        row = rows.iloc[0]
        communes = frozenset(hosting_communes(ref, code))
        return Territory("qpv", code, str(row["lib_qp"]), frozenset({code}), frozenset({row["insee_dep"]}),
                         communes, frozenset({row["siren_epci"]}), communes,
                         frozenset({row["code_cv_2024"]}))  # fmt: skip
    if kind == "dep":
        names = ref.departements.loc[ref.departements["insee_dep"] == code, "lib_dep"]
        if names.empty:
            raise KeyError(code)
        qpv = ref.qpv[ref.qpv["insee_dep"] == code]
        communes = ref.communes.loc[ref.communes["insee_dep"] == code, "insee_com"]
        epci = ref.epci.loc[ref.epci["insee_dep"] == code, "siren_epci"]
        contrats = ref.contrats_2024.loc[ref.contrats_2024["insee_dep"] == code, "code_cv"]
        return Territory("dep", code, f"{names.iloc[0]} ({code})", frozenset(qpv["code_qp"]), frozenset({code}),
                         frozenset(communes), frozenset(epci), frozenset(hosting_communes(ref, qpv["code_qp"])),
                         frozenset(contrats))  # fmt: skip
    if kind == "cv":
        rows = ref.contrats_2024[ref.contrats_2024["code_cv"] == code]
        if rows.empty:
            raise KeyError(code)
        row = rows.iloc[0]
        qpv = ref.qpv[ref.qpv["code_cv_2024"] == code]
        if row["porteur_type"] == "epci":
            carrier = set(ref.communes.loc[ref.communes["siren_epci"] == row["porteur_code"], "insee_com"])
        else:
            carrier = {row["porteur_code"]}
        hosting = hosting_communes(ref, qpv["code_qp"])
        return Territory(
            "cv",
            code,
            str(row["lib_cv"]),
            frozenset(qpv["code_qp"]),
            frozenset({row["insee_dep"]}),
            frozenset(hosting | carrier),
            frozenset(qpv["siren_epci"]) | ({row["porteur_code"]} if row["porteur_type"] == "epci" else set()),
            frozenset(hosting),
            frozenset({code}),
        )
    return Territory(
        "region",
        "",
        ref.region_info.nom,
        frozenset(ref.qpv["code_qp"]),
        frozenset(ref.departements["insee_dep"]),
        frozenset(ref.communes["insee_com"]),
        frozenset(ref.epci["siren_epci"]),
        frozenset(hosting_communes(ref)),
        frozenset(ref.contrats_2024["code_cv"]),
    )


def touches(territory: Territory, places) -> bool:
    """Whether an experience or event located by ``(kind, code)`` pairs concerns the territory.

    A contrat-level place concerns the contrat itself and its QPV (not its department: a
    department is reached through the communes and EPCI of the place).
    """
    for kind, code in places:
        if territory.kind == "region":
            return True
        if (
            (kind == "qpv" and code in territory.qpv_codes)
            or (kind == "commune" and code in territory.communes)
            or (kind == "epci" and code in territory.epci)
            or (kind == "contrat" and territory.kind in ("cv", "qpv") and code in territory.contrats)
        ):
            return True
    return False
