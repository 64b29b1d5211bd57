"""French number and date formats (1 234,5 ; 2 octobre 2025)."""

from __future__ import annotations

import datetime as dt

#: Narrow no-break space, the French thousands separator.
ESPACE_FINE = "\u202f"


MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def format_nombre(value: float | int | None, decimales: int = 0) -> str:
    """``1234.5`` → ``"1 234,5"`` (with a narrow no-break space); ``None`` → ``"–"``."""
    if value is None or value != value:
        return "–"
    text = f"{value:,.{decimales}f}"
    return text.replace(",", ESPACE_FINE).replace(".", ",")


def format_euros(value: float | None) -> str:
    """``1234567.8`` → ``"1 234 568 €"``."""
    return "–" if value is None or value != value else f"{format_nombre(value)}\u00a0€"


def format_date(value: dt.date | str) -> str:
    """``2025-10-02`` → ``"2 octobre 2025"`` (``1er`` for the first of the month)."""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    jour = "1er" if day.day == 1 else str(day.day)
    return f"{jour} {MOIS[day.month - 1]} {day.year}"


def compte(n: int, singulier: str, pluriel: str | None = None) -> str:
    """« 1 expérience », « 2 expériences », « 0 expérience » (French: 0 and 1 take the singular)."""
    mot = singulier if abs(n) < 2 else (pluriel or f"{singulier}s")
    return f"{format_nombre(n)} {mot}"


#: The time zone the app shows times in (the users are in France).
FUSEAU = "Europe/Paris"


def format_datetime(value: dt.datetime | str | None) -> str:
    """A stored instant (UTC, naive or aware, or ISO text) as French reads it, at the time of France.

    ``2025-10-02T12:05:00+00:00`` → ``"2 octobre 2025 à 14 h 05 (heure de Paris)"``; nothing → ``"–"``.
    """
    from zoneinfo import ZoneInfo

    if value is None or value == "":
        return "–"
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(moment, dt.datetime):  # a date alone
        return format_date(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)  # the store writes UTC
    local = moment.astimezone(ZoneInfo(FUSEAU))
    return f"{format_date(local.date())} à {local.hour} h {local.minute:02d} (heure de Paris)"
