"""The translating script: valid JavaScript, and its dictionaries only carry French."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cartographie.ui.adaptateur import francais


def test_the_script_is_valid_javascript(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node absent")
    path = tmp_path / "francais.js"
    path.write_text(francais.script().removeprefix("<script>").removesuffix("</script>"), encoding="utf-8")
    result = subprocess.run([node, "--check", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_the_translations_are_french_and_the_page_is_declared_french():
    assert "documentElement.lang = 'fr'" in francais.script()
    for english, french in francais.FRENCH.items():
        assert (english.strip() == english and french and french != english) or english == "Format", english
    assert francais.FRENCH["Skip to main content"] == "Aller au contenu"


def test_every_table_goes_through_the_one_helper_that_names_it_and_writes_missing_values_in_french():
    """Streamlit writes « None » in an empty cell and leaves a grid unnamed unless told otherwise."""
    import re

    from cartographie import config

    sources = [*(config.PROJECT_DIR / "cartographie").rglob("*.py"), *(config.PROJECT_DIR / "pages").glob("*.py")]
    sources.append(config.PROJECT_DIR / "app.py")
    helper = config.PROJECT_DIR / "cartographie" / "ui" / "mise_en_page.py"
    for path in sources:
        text = path.read_text(encoding="utf-8")
        if path != helper:
            assert "st.dataframe(" not in text, f"{path.name} : passer par mise_en_page.table"
        for call in re.finditer(r"st\.data_editor\((.*?)\n        \)", text, re.DOTALL):
            assert "placeholder=" in call[1] and "alt=" in call[1], path.name
