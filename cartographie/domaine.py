"""Domain constants and the reference-data container (no heavy import here).

``ReferenceData`` lives here rather than beside its loaders so that cached copies can be read
back without importing geopandas (pages served from the cache start faster).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from cartographie.sources import RegionInfo, SourceFile

#: Status of a QPV 2024 compared with the 2015 priority geography, as coded by ANCT.
STATUTS = {"NOUVEAU": "Nouveau", "MODIFIE": "Modifié", "INCHANGE": "Inchangé"}


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
    credits: pd.DataFrame

    def source(self, cle: str) -> SourceFile:
        """The manifest entry of one reference file."""
        return self.sources[cle]
