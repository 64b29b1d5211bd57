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


#: What a spreadsheet reads as the start of a formula (``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM(…)``).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def spreadsheet_safe(value: object) -> object:
    """A text cell a spreadsheet would evaluate, prefixed with ``'`` (shown as text); other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def control_characters(text: str, *, multiline: bool = False) -> bool:
    """Whether ``text`` holds a control character (NUL, escape…); line breaks and tabs only if ``multiline``."""
    return bool((_CONTROL if multiline else _CONTROL_OR_BREAK).search(text))
