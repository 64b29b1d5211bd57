"""The translating script: valid JavaScript, and its dictionaries only carry French."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cartographie.ui import francais


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
