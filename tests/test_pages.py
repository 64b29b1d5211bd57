"""Every page through streamlit.testing.v1.AppTest, on the real reference folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cartographie import config

PAGES = sorted(str(p.relative_to(config.PROJECT_DIR)) for p in (config.PROJECT_DIR / "pages").glob("*.py"))


def _run(page: str) -> AppTest:
    """Run the app through its entry point (navigation included), on the given page."""
    at = AppTest.from_file(str(config.PROJECT_DIR / "app.py"), default_timeout=120)
    at.switch_page(page)
    return at.run()


def test_every_page_is_declared_in_the_navigation():
    entry = (config.PROJECT_DIR / "app.py").read_text(encoding="utf-8")
    assert all(f'"{page}"' in entry for page in PAGES)


@pytest.mark.parametrize("script", PAGES)
def test_page_renders_without_exception(script, real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = _run(script)
    assert not at.exception, at.exception
    assert not at.error


@pytest.mark.parametrize("script", PAGES)
def test_page_without_data_explains_in_french(script, tmp_path: Path, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(tmp_path / "vide"))
    at = _run(script)
    assert not at.exception, at.exception
    assert "introuvables" in at.error[0].value
    assert any(config.UPDATE_COMMAND in m.value for m in at.markdown)


def test_home_shows_key_figures_and_department_table(real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = _run("pages/accueil.py")
    assert [m.value for m in at.metric] == ["123", "39", "73", "39"]
    table = at.dataframe[0].value
    assert table["QPV 2024"].sum() == 123


def test_map_page_shows_the_sheet_of_the_chosen_qpv(real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = _run("pages/carte.py")
    assert at.info and "Cliquez" in at.info[0].value
    at.selectbox(key="qpv_choisi").set_value("QN05415M").run()
    assert not at.exception
    assert at.subheader[0].value == "Plateau de Haye Nancy - Maxéville" or "Haye" in at.subheader[0].value
    sheet = at.markdown[0].value
    assert "QN05415M" in sheet and "Maxéville" in sheet and "CN05403M" in sheet and "QP054015" in sheet


def test_map_page_status_filter_and_epci_toggle_rerun_cleanly(real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = _run("pages/carte.py")
    at.multiselect(key="carte_statuts").set_value(["NOUVEAU"]).run()
    at.toggle(key="carte_epci").set_value(True).run()
    assert not at.exception
