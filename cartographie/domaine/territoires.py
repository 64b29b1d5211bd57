"""The reference-data container and the statuses of QPV 2024 versus 2015 (no heavy import here).

``ReferenceData`` is read back from the disk cache without importing geopandas (pages served
from the cache start faster).
"""

from __future__ import annotations

from dataclasses import dataclass
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
