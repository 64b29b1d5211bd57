"""Editors' sign-in: scrypt password hashes and the slowing of repeated failures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable
from functools import cache
from typing import TypeVar

from cartographie import config

T = TypeVar("T")

# scrypt parameters (RFC 7914): about 50 ms and 16 MiB per check on a current machine.
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$16384$8$1$<salt>$<hash>`` for ``password`` (salt random by default)."""
    if not password:
        raise ValueError("Le mot de passe ne peut pas être vide.")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    encode = base64.urlsafe_b64encode
    return f"scrypt${_N}${_R}${_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (constant-time comparison; a malformed hash never matches)."""
    try:
        scheme, n, r, p, salt, digest = stored.strip().split("$")
        if scheme != "scrypt":
            return False
        expected = base64.urlsafe_b64decode(digest)
        computed = hashlib.scrypt(
            (password or "").encode("utf-8"),
            salt=base64.urlsafe_b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, expected)


@cache
def dummy_hash() -> str:
    """A hash of a random password, computed once: checked when an identifier is no account (same time)."""
    return hash_password(secrets.token_urlsafe(16))


class LoginThrottle:
    """Budgets of sign-in attempts that refill with time: one per source (network address), one for everyone.

    A source may try ``per_source`` times in a row, then once every ``source_refill`` seconds; all
    sources together may try ``overall`` times, then once every ``overall_refill`` seconds. A crowd
    of sessions or addresses therefore gets no more guesses than the overall budget allows, and
    nobody is locked out for good: budgets refill while nobody tries. A success restores its
    source's budget. Attempts beyond a budget are refused at once (no waiting thread), with the
    number of seconds to wait.
    """

    def __init__(
        self,
        *,
        per_source: int = 5,
        source_refill: float = 60.0,
        overall: int = 30,
        overall_refill: float = 10.0,
        clock=time.monotonic,
    ) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._sources: dict[str, tuple[float, float]] = {}  # source → (tokens, at)
        self._overall = (float(overall), clock())
        self.per_source, self.source_refill = per_source, source_refill
        self.overall, self.overall_refill = overall, overall_refill

    @staticmethod
    def _refill(state: tuple[float, float], capacity: int, every: float, now: float) -> float:
        tokens, at = state
        return min(float(capacity), tokens + (now - at) / every)

    def wait(self, source: str) -> float:
        """Seconds before ``source`` may try again (0 when it may now)."""
        with self._lock:
            now = self._clock()
            mine = self._refill(
                self._sources.get(source, (self.per_source, now)), self.per_source, self.source_refill, now
            )
            everyone = self._refill(self._overall, self.overall, self.overall_refill, now)
        return max(0.0, (1 - mine) * self.source_refill, (1 - everyone) * self.overall_refill)

    def _take(self, source: str) -> bool:
        with self._lock:
            now = self._clock()
            mine = self._refill(
                self._sources.get(source, (self.per_source, now)), self.per_source, self.source_refill, now
            )
            everyone = self._refill(self._overall, self.overall, self.overall_refill, now)
            if mine < 1 or everyone < 1:
                return False
            self._sources[source] = (mine - 1, now)
            self._overall = (everyone - 1, now)
            if len(self._sources) > 10_000:  # forget the sources whose budget is full again
                self._sources = {
                    k: v
                    for k, v in self._sources.items()
                    if self._refill(v, self.per_source, self.source_refill, now) < self.per_source
                }
            return True

    def attempt(self, source: str, password: str, stored: str) -> bool | None:
        """``True`` or ``False`` for the password; ``None`` when a budget refuses the attempt (see :meth:`wait`)."""
        return self.attempt_with(source, lambda: verify_password(password, stored))

    def attempt_with(self, source: str, check: Callable[[], T]) -> T | None:
        """``check()``'s answer (a success restores the source's budget); ``None`` when a budget refuses."""
        if not self._take(source):
            return None
        answer = check()
        if answer:
            self._restore(source)
        return answer

    def _restore(self, source: str) -> None:
        """A success gives its source its whole budget again."""
        with self._lock:
            self._sources[source] = (float(self.per_source), self._clock())


def configured_hash(secrets_mapping=None) -> str:
    """The editors' password hash from the environment or the Streamlit secrets ("" when none)."""
    value = os.environ.get(config.EDITOR_HASH_ENV, "").strip()
    if value:
        return value
    try:
        return str((secrets_mapping or {}).get(config.EDITOR_HASH_SECRET, "")).strip()
    except Exception:  # Streamlit raises when no secrets file exists
        return ""
