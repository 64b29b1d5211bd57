"""Legible at a glance: at the opening zoom no QPV symbol hides another, and no name hides a symbol or a name.

Measured in Chromium on what is drawn (the symbols' and names' boxes on screen), at the three common
screen sizes, on a dense department (the whole region is measured with /carte's walk, in
``test_cartes_navigateur.py``), and on a small frame built by hand to show the measure sees an overlap.
"""

from __future__ import annotations

from tests.aides.cartes import SIZES, check_scene, map_ready, measure_scene, resize
from tests.aides.navigateur import ARTIFACTS, wait_for_app


def test_at_the_opening_zoom_of_a_dense_department_no_symbol_hides_another_and_no_name_hides_anything(page, server_url):
    page.goto(f"{server_url}/carte?dep=67", wait_until="domcontentloaded")
    wait_for_app(page)
    map_ready(page)
    for width, height in sorted(SIZES, key=lambda size: size != (1440, 900)):
        resize(page, width, height)
        check_scene(page, expected=24, zoom=8.5)
        page.screenshot(path=str(ARTIFACTS / f"scene-67-{width}.png"))


def test_the_measure_sees_a_symbol_under_another_and_a_name_over_a_symbol():
    """The measure is not empty: two symbols on one another and a name on a symbol are counted."""
    drawn = {
        "symbols": [
            {"x": 100, "y": 100, "r": 6, "colour": "#000000"},
            {"x": 101, "y": 100, "r": 6, "colour": "#000000"},
            {"x": 300, "y": 300, "r": 6, "colour": "#000000"},
        ],
        "names": [
            {"text": "Sur un symbole", "x1": 295, "y1": 295, "x2": 360, "y2": 310},
            {"text": "Libre", "x1": 500, "y1": 500, "x2": 540, "y2": 512},
            {"text": "Sur un nom", "x1": 520, "y1": 505, "x2": 560, "y2": 517},
        ],
    }
    measured = measure_scene(drawn)
    assert measured["plus de moitié couverts"] == 2
    assert measured["noms sur un symbole"] == ["Sur un symbole"]
    assert measured["noms sur un nom"] == ["Libre"]
