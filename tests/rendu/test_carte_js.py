"""The map's JavaScript lives in real files, checked by Node, and the Python elements only call it."""

import inspect
import re
import shutil
import subprocess

import pytest
from branca.element import MacroElement

from cartographie import config
from cartographie.rendu import carte_js

SCRIPTS = sorted((config.PROJECT_DIR / "cartographie").rglob("*.js"))


def test_the_map_script_is_a_file_of_the_package():
    assert carte_js.SCRIPT_PATH in SCRIPTS
    assert carte_js.script_name().startswith("carte-") and carte_js.script_name().endswith(".js")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_node_accepts_every_script(script):
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js absent (installé par .ci/run avec npm)")
    result = subprocess.run([node, "--check", str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def _elements():
    return [
        value
        for value in vars(carte_js).values()
        if isinstance(value, type) and issubclass(value, MacroElement) and value.__module__ == carte_js.__name__
    ]


def _script_lines(element) -> list[str]:
    """The lines of an element's script macro, read from its source."""
    macro = re.search(r"\{% macro script\(this, kwargs\) %\}(.*?)\{% endmacro %\}", inspect.getsource(element), re.S)
    assert macro, element.__name__
    return [line.strip() for line in macro.group(1).splitlines() if line.strip()]


def test_each_element_renders_one_call_and_no_logic():
    calls = set()
    for element in _elements():
        lines = _script_lines(element)
        assert len(lines) == 1, (element.__name__, lines)
        call = re.match(r"carto\.(\w+)\(", lines[0])
        if call:
            calls.add(call.group(1))
        else:  # binding a tooltip or popup: one Leaflet method, nothing else
            assert element is carte_js.Bind, (element.__name__, lines[0])
    defined = set(re.findall(r"^carto\.(\w+) = function", carte_js.script_text(), re.M))
    assert calls == defined, calls ^ defined
    assert len(defined) >= 9


def test_a_standalone_map_carries_the_script_and_a_served_one_links_it():
    import folium

    served = folium.Map(tiles=None)
    carte_js.attach_script(served, "/app/static/fonds/carte-x.js")
    page = served.get_root().render()
    assert '<script src="/app/static/fonds/carte-x.js"></script>' in page
    assert "carto.symbolesQpv = function" not in page
    alone = folium.Map(tiles=None)
    carte_js.attach_script(alone, None)
    assert "carto.symbolesQpv = function" in alone.get_root().render()
