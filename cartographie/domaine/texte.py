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


def web_address(token: str) -> tuple[str, str] | None:
    """``(address, host)`` when ``token`` is an http(s) address to a named host, else ``None``.

    A named host has at least two labels of letters, digits and hyphens, the last one of letters
    (``exemple.fr``): an address to a bare number (``http://3232235777/``), a dotted IP, a
    user name (``http://a@b``) or an unusual scheme is not one. Checked without a regular
    expression, in one pass over the token.
    """
    from urllib.parse import urlsplit

    if len(token) > 2000 or not token.lower().startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(token)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return None
    if parts.username or parts.password or port not in (None, 80, 443):
        return None
    labels = host.split(".")
    named = (
        len(labels) >= 2
        and all(0 < len(label) <= 63 and label.isascii() and label.replace("-", "").isalnum() for label in labels)
        and labels[-1].isalpha()
    )
    return (token, host) if named else None


#: What replaces an e-mail address, a phone number or a web address in a respondent's free text.
MASQUE_COORDONNEES = "[masqué]"


#: A phone number has at least this many digits (a French number has 10, 11 with +33); « 2020-2021 » has 8.
_PHONE_DIGITS = 9


def _contact_token(token: str) -> bool:
    """Whether a word is an e-mail or a web address (``jean@exemple.fr``, ``http://…``, ``www.…``)."""
    lower = token.lower().strip("()[]<>«»\"'.,;:!?")
    at = lower.find("@")
    if at > 0 and "." in lower[at + 2 :]:
        return True
    return lower.startswith(("http://", "https://", "ftp://", "www.")) or "://" in lower


def mask_contact_details(text: str) -> str:
    """A respondent's text with its e-mail addresses, phone numbers and web addresses replaced by « [masqué] ».

    Done when an answer is stored, before anyone reads it. Linear, without regular expressions
    of the text: the words are cut at spaces once, then one pass finds runs of digits and phone
    separators (`` .-/()``, a leading ``+``) holding at least nine digits.
    """
    words = re.split(r"(\s+)", text)
    text = "".join(MASQUE_COORDONNEES if w.strip() and _contact_token(w) else w for w in words)
    out, start, i, n = [], 0, 0, len(text)
    while i < n:
        if text[i].isdigit() or (text[i] == "+" and i + 1 < n and text[i + 1].isdigit()):
            j, digits, last = i, 0, i
            while j < n and (text[j].isdigit() or text[j] in " .-/()" or (text[j] == "+" and j == i)):
                if text[j].isdigit():
                    digits, last = digits + 1, j
                j += 1
            if digits >= _PHONE_DIGITS:
                out.append(text[start:i])
                out.append(MASQUE_COORDONNEES)
                start = last + 1
            i = max(j, i + 1)
        else:
            i += 1
    out.append(text[start:])
    return "".join(out)


#: Unicode's direction controls: embeddings, overrides and isolates, and the marks.
_DIRECTION_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def without_direction_controls(text: str) -> str:
    """``text`` without Unicode's direction controls (``U+202E`` shows what follows it reversed)."""
    return text.translate(_DIRECTION_CONTROLS)
