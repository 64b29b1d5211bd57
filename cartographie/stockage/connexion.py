"""Editors' sign-in: scrypt password hashes and the slowing of repeated failures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time

from cartographie import config

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


class LoginThrottle:
    """Slows repeated failures: after the third failure in a row, each attempt waits longer (up to 30 s)."""

    def __init__(self, free_attempts: int = 3, base_delay: float = 1.0, max_delay: float = 30.0) -> None:
        self._failures: dict[str, int] = {}
        self._lock = threading.Lock()
        self.free_attempts, self.base_delay, self.max_delay = free_attempts, base_delay, max_delay

    def delay(self, key: str) -> float:
        """Seconds to wait before checking the next attempt for ``key``."""
        with self._lock:
            failures = self._failures.get(key, 0)
        if failures < self.free_attempts:
            return 0.0
        return min(self.max_delay, self.base_delay * 2 ** (failures - self.free_attempts))

    def record(self, key: str, success: bool) -> None:
        """Count a failure, or reset the count after a success."""
        with self._lock:
            self._failures[key] = 0 if success else self._failures.get(key, 0) + 1

    def attempt(self, key: str, password: str, stored: str, *, sleep=time.sleep) -> bool:
        """Wait as long as the previous failures require, then check the password."""
        wait = self.delay(key)
        if wait:
            sleep(wait)
        ok = verify_password(password, stored)
        self.record(key, ok)
        return ok


def configured_hash(secrets_mapping=None) -> str:
    """The editors' password hash from the environment or the Streamlit secrets ("" when none)."""
    value = os.environ.get(config.EDITOR_HASH_ENV, "").strip()
    if value:
        return value
    try:
        return str((secrets_mapping or {}).get(config.EDITOR_HASH_SECRET, "")).strip()
    except Exception:  # Streamlit raises when no secrets file exists
        return ""
