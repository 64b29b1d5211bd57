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


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_source_gets_a_few_attempts_then_one_a_minute_and_a_success_restores_it():
    stored = hash_password("correct horse battery")
    clock = Clock()
    throttle = LoginThrottle(per_source=3, source_refill=60.0, overall=100, overall_refill=1.0, clock=clock)
    assert [throttle.attempt("10.0.0.1", "faux", stored) for _ in range(4)] == [False, False, False, None]
    assert throttle.wait("10.0.0.1") == 60.0
    assert throttle.attempt("10.0.0.2", "faux", stored) is False  # another source has its own budget
    clock.now = 61.0
    assert throttle.attempt("10.0.0.1", "correct horse battery", stored) is True
    assert throttle.wait("10.0.0.1") == 0.0


def test_a_crowd_of_sources_cannot_bypass_the_overall_budget_and_nobody_is_locked_out_for_good():
    stored = hash_password("correct horse battery")
    clock = Clock()
    throttle = LoginThrottle(per_source=5, source_refill=60.0, overall=20, overall_refill=10.0, clock=clock)
    tried = [throttle.attempt(f"10.0.{n}.1", "faux", stored) for n in range(50)]  # fifty sessions or addresses
    assert tried.count(False) == 20 and tried.count(None) == 30
    assert throttle.attempt("192.168.1.10", "correct horse battery", stored) is None  # the editor waits…
    assert throttle.wait("192.168.1.10") == 10.0
    clock.now = 10.0  # …for ten seconds, not until the server restarts
    assert throttle.attempt("192.168.1.10", "correct horse battery", stored) is True


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


def _auth(tmp_path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    """``python -m cartographie.auth`` on a database of its own."""
    import os

    from cartographie import config

    env = {**os.environ, config.SQLITE_PATH_ENV: str(tmp_path / "comptes.sqlite3")}
    env.pop(config.DATABASE_URL_ENV, None)
    return subprocess.run(
        [sys.executable, "-m", "cartographie.auth", *args],
        input=stdin, capture_output=True, text=True, check=False, env=env, timeout=120,
    )  # fmt: skip


def test_the_accounts_command_says_its_help_without_asking_anything(tmp_path):
    shown = _auth(tmp_path, "--help")
    assert shown.returncode == 0 and "Comptes des éditeurs" in shown.stdout and "creer" in shown.stdout
    # Without a terminal nor --stdin: a French refusal, not a traceback.
    asked = _auth(tmp_path, "creer", "camille@exemple.fr", "--nom", "Camille Martin", "--role", "editeur")
    assert asked.returncode == 1 and "Aucun mot de passe lu" in asked.stderr and "Traceback" not in asked.stderr


def test_an_account_is_created_listed_and_disabled_from_the_server_s_command_line(tmp_path):
    created = _auth(
        tmp_path, "creer", "Camille@Exemple.fr", "--nom", "Camille Martin", "--role", "editeur", "--stdin",
        stdin="un mot de passe assez long\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert "Compte « camille@exemple.fr » créé (éditeur)." in created.stdout
    assert _auth(tmp_path, "desactiver", "camille@exemple.fr").returncode == 0
    listed = _auth(tmp_path, "lister").stdout
    assert listed.splitlines() == ["camille@exemple.fr\tCamille Martin\tÉditeur\tdésactivé"]
    assert "scrypt" not in listed
    unknown = _auth(tmp_path, "role", "personne@exemple.fr", "administrateur")
    assert unknown.returncode == 1 and "Aucun compte « personne@exemple.fr »" in unknown.stderr
    deleted = _auth(tmp_path, "supprimer", "camille@exemple.fr")
    assert deleted.returncode == 0 and _auth(tmp_path, "lister").stdout == ""
