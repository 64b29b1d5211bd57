"""Text helpers shared by every module: one accent-folding function, one slug."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=200_000)
def _fold(value: str) -> str:
    value = value.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", value).strip()


def fold(text: object) -> str:
    """Lower case without accents, ligatures or punctuation: ``"Vandœuvre-lès-Nancy"`` → ``"vandoeuvre les nancy"``."""
    return _fold(str(text or ""))


def slug(text: object, separator: str = "_") -> str:
    """``"Grand Est"`` → ``"grand_est"`` (file suffixes, identifiers): :func:`fold`, words joined by ``separator``."""
    return separator.join(fold(text).split())
