from __future__ import annotations

import subprocess
import sys

from cartographie.stockage.connexion import LoginThrottle, configured_hash, hash_password, verify_password


def test_hash_is_salted_slow_scrypt_and_verifies():
    first, second = hash_password("un mot de passe long"), hash_password("un mot de passe long")
    assert first.startswith("scrypt$16384$8$1$") and first != second
    assert verify_password("un mot de passe long", first)
    assert not verify_password("un mot de passe lonG", first)
    assert not verify_password("", first)
    assert not verify_password("x", "pas-un-hash")


def test_failures_are_slowed_then_reset_by_a_success():
    stored = hash_password("correct horse battery")
    throttle = LoginThrottle(free_attempts=2, base_delay=1.0, max_delay=8.0)
    waits: list[float] = []
    for _ in range(5):
        assert not throttle.attempt("ip", "faux", stored, sleep=waits.append)
    assert waits == [1.0, 2.0, 4.0]
    assert throttle.delay("ip") == 8.0
    assert throttle.attempt("ip", "correct horse battery", stored, sleep=waits.append)
    assert throttle.delay("ip") == 0.0


def test_hash_comes_from_the_environment_or_the_secrets(monkeypatch):
    monkeypatch.delenv("CARTOGRAPHIE_EDITEUR_HASH", raising=False)
    assert configured_hash({}) == ""
    assert configured_hash({"editeur_hash": "scrypt$x"}) == "scrypt$x"
    monkeypatch.setenv("CARTOGRAPHIE_EDITEUR_HASH", "scrypt$env")
    assert configured_hash({"editeur_hash": "scrypt$x"}) == "scrypt$env"


def test_command_prints_a_hash():
    result = subprocess.run(
        [sys.executable, "-m", "cartographie.auth", "hash", "--stdin"],
        input="un mot de passe assez long\n",
        capture_output=True,
        text=True,
        check=True,
    )
    assert verify_password("un mot de passe assez long", result.stdout.strip())
    short = subprocess.run(
        [sys.executable, "-m", "cartographie.auth", "hash", "--stdin"],
        input="court\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert short.returncode == 1 and "12 caractères" in short.stderr
