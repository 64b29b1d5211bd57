"""Cartographie des coopérations : contrats de ville et QPV du Grand Est.

The package holds everything but the page scripts: configuration, reference-data
loaders and validation, geometry preparation, map builders and (in ``ui``) the thin
Streamlit glue shared by the pages. Only ``cartographie.ui`` imports Streamlit.
"""

from cartographie.errors import MissingReferenceData, ReferenceDataError
from cartographie.reference import ReferenceData, load_reference

__all__ = ["MissingReferenceData", "ReferenceData", "ReferenceDataError", "load_reference"]
