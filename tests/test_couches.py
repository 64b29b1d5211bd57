"""The layers of the code, as the README's code map draws them, checked on the source.

* ``pages/`` and ``app.py`` call :mod:`cartographie.ui` (and Streamlit), never the domain, the readers or
  the renderers directly;
* nothing below :mod:`cartographie.ui` imports Streamlit;
* a name starting with ``_`` is private to its module: no other module of the app imports one;
* a chart module does not pull the map's or the geodata's libraries in;
* no function is longer than 80 lines.
"""

from __future__ import annotations

import ast
import subprocess
import sys

from cartographie import config

ROOT = config.PROJECT_DIR


def _imports(path):
    """(module, names) of every ``import`` and ``from … import`` of a file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def test_pages_call_the_ui_layer_only():
    found = []
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        for module, _names in _imports(path):
            if module.startswith("cartographie") and not module.startswith("cartographie.ui"):
                found.append(f"{path.name} : {module}")
    assert found == [], "les pages passent par cartographie.ui : " + " ; ".join(found)


def test_nothing_below_the_ui_imports_streamlit():
    found = []
    for path in sorted((ROOT / "cartographie").rglob("*.py")):
        if path.is_relative_to(ROOT / "cartographie" / "ui") or path.name == "demarrage.py":
            continue  # demarrage.py is the launcher: it starts Streamlit's server
        for module, _names in _imports(path):
            if module == "streamlit" or module.startswith("streamlit."):
                found.append(str(path.relative_to(ROOT)))
    assert found == [], f"Streamlit importé hors de cartographie/ui : {found}"


def test_no_module_imports_another_modules_private_name():
    found = []
    for path in sorted((ROOT / "cartographie").rglob("*.py")):
        for module, names in _imports(path):
            if module.startswith("cartographie"):
                found += [f"{path.relative_to(ROOT)} : {module}.{n}" for n in names if n.startswith("_")]
    assert found == [], "noms privés importés d'un autre module : " + " ; ".join(found)


def test_the_charts_do_not_pull_the_map_or_the_geodata_in():
    code = (
        "import sys, cartographie.rendu.graphiques, cartographie.rendu.charte;"
        "print(sorted(m for m in ('folium', 'geopandas', 'shapely', 'streamlit') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_the_layer_checks_see_what_they_look_for():
    """The scan reads the imports it is meant to (a scan that read nothing would let anything pass)."""
    imports = dict(_imports(ROOT / "pages" / "carte.py"))
    assert "cartographie.ui" in imports and "barre" in imports["cartographie.ui"]
    assert any(m.startswith("streamlit") for m, _ in _imports(ROOT / "cartographie" / "ui" / "cache.py"))


def test_no_function_of_the_app_is_longer_than_80_lines():
    """A function that does not fit on a screen is split where its parts have names (README: the house)."""
    long = []
    for path in sorted((ROOT / "cartographie").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno + 1 > 80:
                long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1})")
    assert long == [], "fonctions de plus de 80 lignes : " + " ; ".join(long)
