"""A room on the day: the address phones can open, and the limits that keep the live keywords fair.

Nothing here knows Streamlit: the glue is in ``cartographie.ui.salle``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

#: Host names that only the machine itself can open.
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
#: A host as a browser may send it: a DNS name, an IPv4 address or a bracketed IPv6 address.
_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)$")


def _clean_origin(scheme: str, netloc: str) -> str | None:
    """``scheme://host[:port]`` when both parts are well formed, else ``None``."""
    scheme = scheme.lower()
    if scheme not in ("http", "https") or not netloc or len(netloc) > 300:
        return None
    try:
        parts = urlsplit(f"{scheme}://{netloc}")
        port = parts.port  # raises ValueError on a port that is not a number in range
    except ValueError:
        return None
    host = netloc.rsplit(":", 1)[0] if port is not None and not netloc.endswith("]") else netloc
    if parts.username or parts.password or not _HOST.match(host):
        return None
    default = {"http": 80, "https": 443}[scheme]
    suffix = f":{port}" if port is not None and port != default else ""
    return f"{scheme}://{host.lower()}{suffix}"


def address_from_headers(headers: Mapping[str, str]) -> str | None:
    """The address the browser used to reach the app, from its request headers (never from the page's URL).

    The ``Origin`` of the WebSocket request is exactly what the browser shows (scheme, host, port),
    also behind a reverse proxy; failing that, ``X-Forwarded-Proto`` / ``X-Forwarded-Host`` or
    ``Host``. Anything malformed is ignored.
    """
    lower = {str(k).lower(): str(v) for k, v in headers.items()}
    origin = lower.get("origin", "").strip()
    if origin and origin != "null":
        parts = urlsplit(origin)
        if cleaned := _clean_origin(parts.scheme, parts.netloc):
            return cleaned
    host = (lower.get("x-forwarded-host") or lower.get("host") or "").split(",")[0].strip()
    scheme = (lower.get("x-forwarded-proto") or "http").split(",")[0].strip()
    return _clean_origin(scheme, host) if host else None


def is_loopback(address: str) -> bool:
    """Whether an address only opens on the machine itself (phones in the room cannot reach it)."""
    host = (urlsplit(address).hostname or "").lower()
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified


# --- Live keywords: how many a participant may send, and how fast a network may send them --------

#: Settings of the live keywords kept in the database: the organiser's refused words, and the random key of
#: the networks' hashes.
REFUSED_WORDS_SETTING = "mots_refuses"
NETWORK_KEY_SETTING = "cle_reseaux"


#: Keywords one participant may send to a live session.
KEYWORDS_PER_PARTICIPANT = 3
#: What one network address (a venue's router may hide a whole room) may send: at most so many keywords
#: in so many seconds. A room of 300 phones sends its first keywords within a minute and its three
#: keywords each within a few; the windows bound what many scripted sessions could send together.
NETWORK_WINDOWS = ((600, 60.0), (1_500, 600.0))
#: Seconds a person needs at least between opening the page and sending a word (reading the question,
#: typing), and between two words: a room never sends faster, a script that opens a session for each
#: word and sends at once is refused, one that waits is held to this pace.
MIN_DWELL = 2.0
MIN_GAP = 2.0


#: A session's name: letters, digits, spaces and ``- _ . ' ’``, at most 60 characters (« 2025-10-02 »,
#: « Journée régionale »). Anything else (brackets, links, control characters) is refused.
SESSION_MAX = 60
_SESSION = re.compile(r"[\w \-.'’]+")


def session_name(raw: object) -> str | None:
    """A session's name from an address or a backup, spaces tidied; ``None`` when it is not acceptable."""
    text = " ".join(str(raw or "").split())
    if not text or len(text) > SESSION_MAX or not _SESSION.fullmatch(text):
        return None
    return text


def network_key(address: str, session: str, key: str) -> str:
    """What is stored of a keyword's network: a keyed hash of its address and the session (never the address)."""
    import hmac

    return hmac.new(key.encode(), f"{session}\x00{address}".encode(), hashlib.sha256).hexdigest()[:32]


def refused_word(value: str, words) -> bool:
    """Whether a keyword holds one of the refused words (accents, case and a plural ``s`` or ``x`` ignored)."""
    from cartographie.domaine.texte import fold

    folded = f" {fold(value)} "
    tokens = set(folded.split())
    tokens |= {t[:-1] for t in tokens if len(t) > 3 and t.endswith(("s", "x"))}
    for word in words:
        refused = fold(word)
        if refused and (refused in tokens or (" " in refused and f" {refused} " in folded)):
            return True
    return False


def participant_key(token: str, session: str) -> str:
    """What the limits remember of a participant: a hash of their browser's random token and the session."""
    return hashlib.sha256(f"{session}\x00{token}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Verdict:
    """Whether a keyword may be stored now, and if not, why (French) and after how many seconds."""

    accepted: bool
    message: str = ""
    retry_after: float = 0.0
    #: The participant's keywords in the session, this one included once stored.
    sent: int = 0


def keyword_verdict(
    sent: int,
    since_last: float | None,
    network_ages: list[float],
    since_opened: float | None,
    *,
    per_participant: int = KEYWORDS_PER_PARTICIPANT,
    windows: tuple[tuple[int, float], ...] = NETWORK_WINDOWS,
) -> Verdict:
    """Whether one more keyword may be stored now, from what was sent (wherever it is counted).

    ``sent``: this participant's keywords in the session; ``since_last``: seconds since their last
    one; ``network_ages``: seconds since each recent keyword of their network, newest first;
    ``since_opened``: seconds since their page was opened (a person reads and types first).
    """
    if sent >= per_participant:
        return Verdict(False, f"Vous avez déjà proposé {per_participant} mots-clés pour cette session : merci !")
    waits = [MIN_DWELL - since_opened] if since_opened is not None else []
    if since_last is not None:
        waits.append(MIN_GAP - since_last)
    wait = max(waits, default=0.0)
    if wait > 0:
        seconds = math.ceil(wait)  # « 1 seconde », never « 1 secondes »
        return Verdict(
            False,
            f"Prenez le temps d'écrire votre mot : réessayez dans {seconds} seconde{'s' if seconds > 1 else ''}.",
            wait,
        )
    for limit, seconds in windows:
        inside = [age for age in network_ages if age <= seconds]
        if len(inside) >= limit:
            wait = max(1.0, seconds - sorted(inside)[limit - 1])
            seconds_left = math.ceil(wait)
            return Verdict(
                False,
                "Beaucoup de mots-clés arrivent en même temps depuis ce réseau : "
                f"réessayez dans {seconds_left} seconde{'s' if seconds_left > 1 else ''}.",
                wait,
            )
    return Verdict(True)
