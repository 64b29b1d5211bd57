"""The README stays true: every page, every environment variable and both set-up commands are documented."""

from __future__ import annotations

import re
from pathlib import Path

from cartographie import config

README = (config.PROJECT_DIR / "README.md").read_text(encoding="utf-8")
ENTRY = (config.PROJECT_DIR / "app.py").read_text(encoding="utf-8")


def test_every_page_address_is_in_the_readme():
    paths = re.findall(r'url_path="([a-z_-]+)"', ENTRY)
    assert paths and all(f"`/{path}`" in README for path in paths)


def _configuration_table() -> str:
    return README.split("### Variables de configuration", 1)[1].split("\n\n", 2)[1]


def test_every_environment_variable_the_code_reads_is_in_the_configuration_table():
    used = set()
    for folder in ("cartographie", "outils", "pages", "scripts", "tests", ".ci"):
        for path in (config.PROJECT_DIR / folder).rglob("*"):
            if path.is_file() and path.suffix in (".py", ".sh", "") and "__pycache__" not in path.parts:
                used |= set(re.findall(r"CARTOGRAPHIE_[A-Z_]+[A-Z]", path.read_text(encoding="utf-8", errors="ignore")))
    table = _configuration_table()
    rows = re.findall(r"^\| `([A-Z_]+)` \| ([^|]+) \| ([^|]+) \|$", table, flags=re.MULTILINE)
    documented = {name for name, _, _ in rows}
    assert used and used <= documented, sorted(used - documented)
    assert all(default.strip() and effect.strip() for _, default, effect in rows)


def test_the_deployment_guide_covers_what_a_region_needs():
    guide = README.split("## Déployer pour une région", 1)[1].split("\n## ", 1)[0]
    for needed in (
        "[Service]",  # a service unit
        "proxy_set_header Upgrade",  # the WebSocket upgrade
        "ssl_certificate",  # HTTPS
        "CARTOGRAPHIE_ADRESSE_PUBLIQUE",  # the address the QR codes use
        "postgresql+psycopg://",  # PostgreSQL as the store
        "cartographie.sauvegarde",  # backups on a schedule
        "mettre-a-jour",  # the data update on a schedule
        "journalctl",  # logs
        "/_stcore/health",  # the health check
    ):
        assert needed in guide, needed


def test_the_two_set_up_commands_exist_and_ci_runs_the_test_one():
    assert "./scripts/lancer.sh" in README and "./scripts/tests.sh" in README
    assert (config.PROJECT_DIR / "scripts" / "lancer.sh").exists()
    ci = (config.PROJECT_DIR / ".ci" / "run").read_text(encoding="utf-8")
    assert "./scripts/tests.sh" in ci


def _code_map() -> list[str]:
    """The paths the README's code map names, rebuilt from its indentation."""
    block = README.split("## Organisation du code", 1)[1].split("```", 2)[1]
    paths, parents = [], []
    for line in block.splitlines():
        match = re.match(r"^( *)([\w./]+)\s", line + " ")
        if not match or not re.search(r"\.py$|/$", match.group(2)):
            continue
        depth = len(match.group(1)) // 2
        parents[depth:] = [match.group(2)]
        paths.append("".join(parents))
    return paths


def test_the_code_map_names_every_module_and_nothing_else():
    named = set(_code_map())
    modules = {
        str(path.relative_to(config.PROJECT_DIR))
        for folder in ("cartographie", "outils")
        for path in (config.PROJECT_DIR / folder).rglob("*.py")
        if "migrations" not in path.parts and (path.name != "__init__.py" or "mise_a_jour" in path.parts)
    }
    assert modules <= named, sorted(modules - named)
    assert all((config.PROJECT_DIR / path).exists() for path in named), [
        path for path in named if not (config.PROJECT_DIR / path).exists()
    ]


def test_no_page_is_over_80_lines_nor_builds_data_itself():
    for page in (config.PROJECT_DIR / "pages").glob("*.py"):
        text = page.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 80, page.name
        for sign in ("import pandas", "pd.", "<div", "<span", "SELECT ", "st.html(", "unsafe_allow_html"):
            assert sign not in text, (page.name, sign)


def test_the_tests_write_nothing_inside_the_repository():
    """Screenshots, server logs and Hypothesis's examples go to the system's temporary folder."""
    from hypothesis import settings

    from cartographie import config
    from tests.aides.navigateur import ARTIFACTS

    project = config.PROJECT_DIR.resolve()
    assert not ARTIFACTS.resolve().is_relative_to(project), ARTIFACTS
    from hypothesis.configuration import storage_directory

    database = settings.default.database
    assert not Path(database.path).resolve().is_relative_to(project), database.path
    assert not Path(storage_directory("constants").path).resolve().is_relative_to(project)
