"""Editor sign-in: a slow standard password hash (scrypt), constant-time checks, slowed retries.

The editors' password is never stored: only its hash, given by the environment variable
``CARTOGRAPHIE_EDITEUR_HASH`` or the Streamlit secret ``editeur_hash``. To produce one:

    python -m cartographie.auth hash
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import os
import secrets
import sys
import threading
import time

HASH_ENV = "CARTOGRAPHIE_EDITEUR_HASH"
SECRET_KEY = "editeur_hash"

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
    value = os.environ.get(HASH_ENV, "").strip()
    if value:
        return value
    try:
        return str((secrets_mapping or {}).get(SECRET_KEY, "")).strip()
    except Exception:  # Streamlit raises when no secrets file exists
        return ""


def main(argv: list[str] | None = None) -> int:
    """``python -m cartographie.auth hash``: print the hash of a password typed twice (or read on stdin)."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] != ["hash"]:
        print("Usage : python -m cartographie.auth hash [--stdin]", file=sys.stderr)
        return 2
    if "--stdin" in args:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Mot de passe des éditeurs : ")
        if getpass.getpass("Confirmez : ") != password:
            print("Les deux saisies diffèrent.", file=sys.stderr)
            return 1
    if len(password) < 12:
        print("Choisissez au moins 12 caractères.", file=sys.stderr)
        return 1
    print(hash_password(password))
    print(f"À placer dans la variable {HASH_ENV} ou le secret Streamlit « {SECRET_KEY} ».", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
