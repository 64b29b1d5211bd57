"""Legible at a glance: at the opening zoom no QPV symbol hides another, and no name hides a symbol or a name.

Measured in Chromium on what is drawn (the symbols' and names' boxes on screen), at the three
common screen sizes, on the whole region and on a dense department.
"""

from __future__ import annotations

import pytest

from cartographie.rendu.charte import STATUT_COULEURS
from tests.aides.navigateur import ARTIFACTS, MAP_FRAME, QPV_DRAWN, wait_for_app

#: In the map's frame: every symbol shown (centre, radius, colour) and every name's box.
_DRAWN = """() => {
    const symbols = [...document.querySelectorAll('path.carto-qpv-symbole:not(.carto-masque)')].map((p) => {
        const b = p.getBoundingClientRect();
        return {x: b.x + b.width / 2, y: b.y + b.height / 2, r: b.width / 2, colour: p.getAttribute('fill')};
    });
    const names = [...document.querySelectorAll('.carto-etiquette')].map((n) => {
        const b = n.getBoundingClientRect();
        return {text: n.textContent, x1: b.left, y1: b.top, x2: b.right, y2: b.bottom};
    });
    return {symbols, names};
}"""


def _lens(d: float, r: float) -> float:
    import math

    if d >= 2 * r:
        return 0.0
    return 2 * r * r * math.acos(d / (2 * r)) - d / 2 * math.sqrt(4 * r * r - d * d)


def _measure(drawn: dict) -> dict:
    """Symbols more than half covered (all, new ones), symbols covered at all, names over a symbol or a name."""
    import math

    symbols, names = drawn["symbols"], drawn["names"]
    shares = []
    for i, a in enumerate(symbols):
        worst = 0.0
        for j, b in enumerate(symbols):
            if i != j:
                worst = max(
                    worst, _lens(math.hypot(a["x"] - b["x"], a["y"] - b["y"]), a["r"]) / (math.pi * a["r"] ** 2)
                )
        shares.append(worst)
    new = STATUT_COULEURS["NOUVEAU"].lower()

    def hits(box, s):
        nearest_x = min(max(s["x"], box["x1"]), box["x2"])
        nearest_y = min(max(s["y"], box["y1"]), box["y2"])
        return math.hypot(s["x"] - nearest_x, s["y"] - nearest_y) < s["r"] - 0.5

    def overlap(a, b):
        return (
            a["x1"] < b["x2"] - 0.5 and b["x1"] < a["x2"] - 0.5 and a["y1"] < b["y2"] - 0.5 and b["y1"] < a["y2"] - 0.5
        )

    return {
        "symboles": len(symbols),
        "plus de moitié couverts": sum(s > 0.5 for s in shares),
        "nouveaux couverts": sum(s > 0 for s, sym in zip(shares, symbols, strict=True) if sym["colour"].lower() == new),
        "noms sur un symbole": sorted({n["text"] for n in names for s in symbols if hits(n, s)}),
        "noms sur un nom": sorted({a["text"] for i, a in enumerate(names) for b in names[i + 1 :] if overlap(a, b)}),
        "noms": len(names),
    }


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1440, 900), (1920, 1080)])
@pytest.mark.parametrize(("view", "expected", "zoom"), [("", 123, 6), ("?dep=67", 24, 8.5)], ids=["region", "bas-rhin"])
def test_at_the_opening_zoom_no_symbol_hides_another_and_no_name_hides_anything(
    browser, server_url, width, height, view, expected, zoom
):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{server_url}/carte{view}", wait_until="domcontentloaded")
        wait_for_app(page)
        page.wait_for_selector(MAP_FRAME, state="attached", timeout=60_000)
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(QPV_DRAWN).first.wait_for(state="attached", timeout=60_000)
        handle = page.locator(MAP_FRAME).element_handle().content_frame()
        # The map at rest: fitted to the view, every QPV of the view drawn, names placed.
        handle.wait_for_function(
            f"""() => window.map && window.cartoQpv && window.cartoQpv.length && window.map.getZoom() >= {zoom}
                && document.querySelectorAll('{QPV_DRAWN}').length >= {expected}
                && document.querySelectorAll('.carto-etiquette').length > 0""",
            timeout=30_000,
        )
        handle.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        measured = _measure(handle.evaluate(_DRAWN))
        page.screenshot(path=str(ARTIFACTS / f"scene{view.replace('?dep=', '-')}-{width}.png"))
    finally:
        context.close()
    assert measured["symboles"] >= expected * 0.8, measured  # most QPV are symbols at this zoom
    assert measured["plus de moitié couverts"] == 0, measured
    assert measured["nouveaux couverts"] == 0, measured
    assert measured["noms sur un symbole"] == [], measured
    assert measured["noms sur un nom"] == [], measured
