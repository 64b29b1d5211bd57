"""The README stays true: every page, every environment variable and both set-up commands are documented."""

from __future__ import annotations

import re

from cartographie import config

README = (config.PROJECT_DIR / "README.md").read_text(encoding="utf-8")
ENTRY = (config.PROJECT_DIR / "app.py").read_text(encoding="utf-8")


def test_every_page_address_is_in_the_readme():
    paths = re.findall(r'url_path="([a-z_-]+)"', ENTRY)
    assert paths and all(f"`/{path}`" in README for path in paths)


def test_environment_variables_are_documented():
    for name in (
        "CARTOGRAPHIE_DONNEES",
        "CARTOGRAPHIE_BASE",
        "CARTOGRAPHIE_BASE_SQLITE",
        "CARTOGRAPHIE_EDITEUR_HASH",
        "CARTOGRAPHIE_ADRESSE_PUBLIQUE",
        "CARTOGRAPHIE_CACHE",
    ):
        assert name in README, name


def test_the_two_set_up_commands_exist_and_ci_runs_the_test_one():
    assert "./scripts/lancer.sh" in README and "./scripts/tests.sh" in README
    assert (config.PROJECT_DIR / "scripts" / "lancer.sh").exists()
    ci = (config.PROJECT_DIR / ".ci" / "run").read_text(encoding="utf-8")
    assert "./scripts/tests.sh" in ci
