"""Streamlit's page is reached from one package, :mod:`cartographie.ui.adaptateur`, and its scripts are valid.

A selector, a class of Streamlit's, a script put in the page or ``unsafe_allow_javascript`` found in
any other module of the app fails here, naming the file: an upgrade of Streamlit is then checked in
one place (``tests/ui/test_contrat_streamlit.py`` reads the installed bundle for what the adapter names).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from cartographie import config
from cartographie.ui.adaptateur import francais, page

ADAPTER = config.PROJECT_DIR / "cartographie" / "ui" / "adaptateur"

#: What reaches into Streamlit's page, and how it is written.
REACHES_IN = {
    "sélecteur data-testid de Streamlit": r"""data-testid=\\?["']st[A-Z]""",
    "classe de Streamlit": r"\.st[A-Z][A-Za-z]+\b|\bblock-container\b|st-key-",
    "attribut de Streamlit": r"\[data-(?:stale|baseweb)",
    "script dans la page": r"<script",
    "javascript autorisé": r"unsafe_allow_javascript",
    "document parent": r"window\.parent",
}

#: Modules allowed one of them, and why.
ELSEWHERE = {
    # The map's own document (folium's HTML in the component's frame), not Streamlit's page.
    ("cartographie/rendu/carte_js.py", "script dans la page"),
}


def _sources():
    root = config.PROJECT_DIR
    yield from sorted((root / "cartographie").rglob("*.py"))
    yield from sorted((root / "pages").glob("*.py"))
    yield root / "app.py"


def test_only_the_adapter_reaches_into_streamlits_page():
    outside, inside = [], set()
    for path in _sources():
        name = str(path.relative_to(config.PROJECT_DIR))
        text = path.read_text(encoding="utf-8")
        for what, pattern in REACHES_IN.items():
            if not re.search(pattern, text):
                continue
            if path.is_relative_to(ADAPTER):
                inside.add(what)
            elif (name, what) not in ELSEWHERE:
                outside.append(f"{name} : {what}")
    assert outside == [], "hors de cartographie/ui/adaptateur/ : " + " ; ".join(outside)
    assert inside == set(REACHES_IN) - {"document parent"}  # the scan sees them where they are


def test_the_boundary_test_sees_a_selector_written_elsewhere():
    """Each pattern matches what it is meant to find (a pattern that matched nothing would let anything pass)."""
    samples = {
        "sélecteur data-testid de Streamlit": '[data-testid="stSidebar"]',
        "classe de Streamlit": ".stButton button",
        "attribut de Streamlit": '[data-stale="true"]',
        "script dans la page": "<script>alert(1)</script>",
        "javascript autorisé": "st.html(x, unsafe_allow_javascript=True)",
        "document parent": "window.parent.document",
    }
    for what, sample in samples.items():
        assert re.search(REACHES_IN[what], sample), what
    assert not re.search(REACHES_IN["sélecteur data-testid de Streamlit"], 'data-testid="diapo-compteur"')


SCRIPTS = {
    "français": francais.script(),
    "accessibilité": page._ACCESSIBILITY,
    "haut de page": page.to_the_top(3),
    "clavier des diapositives": page._SLIDES_KEYBOARD,
    "cookie": page.cookie_script("carto_participant", "a'b</script>", 60),
}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_every_script_put_in_the_page_is_valid_javascript(tmp_path, name):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node absent")
    text = SCRIPTS[name]
    assert text.count("<script>") == 1 and text.count("</script>") == 1, name  # one script, not ended early
    path = tmp_path / "script.js"
    path.write_text(text.removeprefix("<script>").removesuffix("</script>"), encoding="utf-8")
    result = subprocess.run([node, "--check", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_each_view_opened_from_outside_gets_a_to_the_top_script_of_its_own_text():
    """Streamlit runs an HTML element's scripts again only when its sanitized text changes, and its sanitizer drops
    HTML comments: the view's number must be in the script's text (a number in a comment made the browser skip the
    script for one view in two; seen as an event's sheet opened 2 535 px down)."""

    def sanitized(text: str) -> str:  # what Streamlit's sanitizer keeps: comments dropped
        return re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)

    assert sanitized(page.to_the_top(3)) != sanitized(page.to_the_top(4))
    # The way it was numbered before would not pass: its two views were the same once sanitized.
    assert sanitized(page._TO_THE_TOP + "<!-- 3 -->") == sanitized(page._TO_THE_TOP + "<!-- 4 -->")


def test_the_regions_are_named_by_the_app_not_by_the_translation():
    assert "stSidebarContent" not in francais.script()
    assert "aria-label', 'Menu, recherche et filtres'" in page._ACCESSIBILITY
