"""The proxy's icon font: every icon the interface and the app can show, drawn as Streamlit draws it, and no more."""

from __future__ import annotations

import re

import pytest
from fontTools.ttLib import TTFont

from cartographie import config, icones


@pytest.fixture(scope="module")
def fonts(tmp_path_factory):
    """Streamlit's installed icon font, and the proxy's copy of it (with the names it keeps)."""
    original = next((icones.streamlit_package() / "static" / "static" / "media").glob(icones.FONT_GLOB))
    data, kept = icones.subset(original, icones.names_in_use())
    copy = tmp_path_factory.mktemp("icones") / "copie.woff2"
    copy.write_bytes(data)
    return original, copy, kept


def _app_icons() -> set[str]:
    found = set()
    for module in [config.PROJECT_DIR / "app.py", *config.PROJECT_DIR.glob("pages/*.py"),
                   *config.PROJECT_DIR.glob("cartographie/**/*.py")]:  # fmt: skip
        found |= set(re.findall(r":material/([a-z0-9_]+):", module.read_text("utf-8")))
    return found


def test_the_copy_keeps_every_icon_of_the_app_and_of_streamlits_interface(fonts):
    original, copy, kept = fonts
    shown = icones.ligatures(TTFont(copy))
    assert _app_icons() and _app_icons() <= shown.keys()  # the menu's, the alerts', the buttons'…
    interface = set()
    for script in (icones.streamlit_package() / "static" / "static" / "js").glob("*.js"):
        interface |= set(re.findall(r":material/([a-z0-9_]+):", script.read_text("utf-8", errors="replace")))
    assert interface and interface & icones.ligatures(TTFont(original)).keys() <= shown.keys()
    assert {"expand_more", "close", "keyboard_double_arrow_left", "check_circle"} <= shown.keys()
    assert set(kept) <= shown.keys()


def test_the_icons_kept_are_drawn_as_in_streamlits_font_and_the_copy_is_a_fraction_of_it(fonts):
    original, copy, _ = fonts
    whole, cut = TTFont(original), TTFont(copy)
    before, after = icones.ligatures(whole), icones.ligatures(cut)
    for name in ["forum", "map", "handshake", "refresh", "info", "expand_more"]:
        a, b = whole["glyf"][before[name]], cut["glyf"][after[name]]
        assert a.getCoordinates(whole["glyf"])[0] == b.getCoordinates(cut["glyf"])[0], name
        assert whole["hmtx"][before[name]] == cut["hmtx"][after[name]], name
    assert len(after) < len(before) / 4 and "rocket_launch" not in after  # no icon of the app, nor Streamlit's
    assert copy.stat().st_size < original.stat().st_size / 4


def test_the_names_come_from_streamlits_scripts_and_python_and_from_the_apps_code(tmp_path):
    package = tmp_path / "streamlit"
    (package / "static" / "static" / "js").mkdir(parents=True)
    (package / "static" / "static" / "js" / "index.js").write_bytes(b'icon:"expand_more",x=`:material/close:`')
    (package / "elements").mkdir()
    (package / "elements" / "alert.py").write_text('icon = ":material/error:"  # and words that are not icons')
    app = tmp_path / "app"
    app.mkdir()
    (app / "page.py").write_text('st.page_link("p.py", icon=":material/forum:")\nforum_words = "map"')
    names = icones.names_in_use(package, [app])
    assert {"expand_more", "close", "error", "forum"} <= names
    assert "map" not in names and "words" not in names  # Python: only what is written as an icon
    assert icones.digest(names) == icones.digest(sorted(names)) != icones.digest(names - {"forum"})


def test_a_hostile_script_is_read_as_its_words(tmp_path):
    package = tmp_path / "streamlit"
    (package / "static" / "static" / "js").mkdir(parents=True)
    (package / "static" / "static" / "js" / "hostile.js").write_bytes(b"a_" * 500_000 + b":material/" * 100_000)
    # "a_a_…" and "material" (one character class, no nesting: a pattern that backtracks would take minutes here)
    assert icones.names_in_use(package, []) == {"a_" * 500_000, "material"}


def test_the_apps_icons_are_found_when_it_runs_from_a_folder_without_the_package(tmp_path):
    (tmp_path / "app.py").write_text('st.page_link("p.py", icon=":material/forum:")')  # a site: app.py, no package
    names = icones.names_in_use(app_dirs=icones.app_code(tmp_path))
    assert {"forum", "hourglass_top", "check_circle"} <= names  # app.py's, and the package's (ui/salle.py)
