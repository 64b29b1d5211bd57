"""Cartographie des coopérations : contrats de ville et QPV du Grand Est.

The package holds everything but the page scripts: configuration, reference-data
loaders and validation, geometry preparation, map builders and (in ``ui``) the thin
Streamlit glue shared by the pages. Only ``cartographie.ui`` imports Streamlit.
"""

from cartographie.lecture.erreurs import MissingReferenceData, ReferenceDataError

__all__ = ["MissingReferenceData", "ReferenceData", "ReferenceDataError", "load_reference"]


def __getattr__(name: str):
    # The loaders pull in geopandas: imported on first use, so that pages working from the
    # cache start without it.
    if name in ("ReferenceData", "load_reference"):
        from cartographie.lecture import reference

        return getattr(reference, name)
    raise AttributeError(name)
