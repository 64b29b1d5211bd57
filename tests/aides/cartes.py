"""What a map shows in the browser, measured on what is drawn: legends aside, QPV visible, names apart.

Shared by the tests that open a page holding a map (its page, a slide): each measures its map on the
page it has opened, at every screen size, by resizing the window rather than opening the page again.
"""

from __future__ import annotations

import math

from cartographie.rendu.charte import STATUT_COULEURS
from tests.aides.navigateur import ARTIFACTS, CUT_TEXT, MAP_FRAME, QPV_DRAWN, wait_for_app

#: The three common screen sizes every map is measured at.
SIZES = [(1280, 720), (1440, 900), (1920, 1080)]

DEPARTMENTS = {
    "ARDENNES",
    "AUBE",
    "MARNE",
    "HAUTE-MARNE",
    "MEURTHE-ET-MOSELLE",
    "MEUSE",
    "MOSELLE",
    "BAS-RHIN",
    "HAUT-RHIN",
    "VOSGES",
}

#: The region's largest cities: every map of the whole region writes their names.
BIG_CITIES = frozenset({"Metz", "Nancy", "Strasbourg", "Reims", "Mulhouse"})

#: What a map shows, in the page's coordinates: QPV, other features, place names, legends.
MEASURE = """(args) => {
    const [frameSelector, qpvSelector, otherSelector] = args;
    const frame = [...document.querySelectorAll(frameSelector)].find(f => f.getBoundingClientRect().height > 0);
    const offset = frame.getBoundingClientRect();
    const k = offset.width / frame.offsetWidth;  // 1 unless a page scales its content
    const doc = frame.contentDocument;
    const view = doc.querySelector('.leaflet-container').getBoundingClientRect();
    function box(r) {
        return {x1: offset.left + r.left * k, y1: offset.top + r.top * k, x2: offset.left + r.right * k,
                y2: offset.top + r.bottom * k, w: r.width * k, h: r.height * k};
    }
    function shown(selector) {
        if (!selector) { return []; }
        return [...doc.querySelectorAll(selector)].map(e => e.getBoundingClientRect())
            .filter(r => r.width > 0 && r.right > view.left && r.left < view.right
                         && r.bottom > view.top && r.top < view.bottom)
            .map(box);
    }
    return {
        qpv: shown(qpvSelector),
        others: shown(otherSelector),
        labels: [...doc.querySelectorAll('.carto-etiquette')].map(e => ({text: e.textContent,
                                                                         ...box(e.getBoundingClientRect())})),
        legends: [...document.querySelectorAll('.carto-legende')].map(e => e.getBoundingClientRect())
            .filter(r => r.width > 0).map(r => ({x1: r.left, y1: r.top, x2: r.right, y2: r.bottom})),
        map: box(view),
    };
}"""

#: Resolves once the window, the page's height, the visible map's size and view and its place names have
#: stayed the same for 300 ms (measured every frame): after a resize, the page has laid itself out and the map
#: has fitted its view and placed its names again. Rejects after 20 s of movement, saying what kept moving.
STILL = """(frameSelector) => new Promise((done, fail) => {
  const start = performance.now();
  let last = null, since = start;
  function signature() {
    const parts = [window.innerWidth, window.innerHeight, document.documentElement.scrollHeight];
    const frame = [...document.querySelectorAll(frameSelector)].find(f => f.getBoundingClientRect().height > 0);
    if (frame) {
      const r = frame.getBoundingClientRect();
      parts.push(Math.round(r.width), Math.round(r.height));
      const w = frame.contentWindow, map = w && w.cartoCarte;
      if (map) {
        const c = map.getCenter(), s = map.getSize();
        parts.push(map.getZoom(), c.lat.toFixed(5), c.lng.toFixed(5), s.x, s.y);
      }
      parts.push([...frame.contentDocument.querySelectorAll('.carto-etiquette')]
        .map(e => e.textContent + Math.round(e.getBoundingClientRect().left)).join(','));
    }
    return parts.join('|');
  }
  function tick() {
    const now = performance.now(), s = signature();
    if (s !== last) { last = s; since = now; }
    if (now - since >= 300) { done(s); return; }
    if (now - start > 20000) { fail(new Error('la page bouge encore : ' + s.slice(0, 300))); return; }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})"""


def overlap(a: dict, b: dict) -> bool:
    return a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]


def map_ready(page) -> None:
    """Wait until the visible map has drawn its QPV and made its last automatic fit."""
    page.wait_for_function(
        """(sel) => [...document.querySelectorAll(sel)].some(f => f.getBoundingClientRect().height > 200
                 && f.contentWindow && f.contentWindow.cartoPret === true)""",
        arg=MAP_FRAME,
        timeout=60_000,
    )
    wait_for_app(page)


def resize(page, width: int, height: int) -> None:
    """Give the window another size, as a person does, and wait until the page and its map have settled."""
    page.set_viewport_size({"width": width, "height": height})
    wait_for_app(page)
    page.evaluate(STILL, MAP_FRAME)


def check_map(page, name: str, others: str, *, region: bool, named: set[str] | frozenset = frozenset()) -> None:
    """The visible map of the page, at the window's size: data drawn, legend aside, QPV visible, names apart.

    ``others``: what the map draws besides the QPV (a selector); ``region``: the whole region is in view, its
    departments named; ``named``: places whose names must be written.
    """
    shown = page.evaluate(MEASURE, [MAP_FRAME, QPV_DRAWN, others])
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    size = f"{width}×{height}"
    page.screenshot(path=str(ARTIFACTS / f"carte-{name}-{width}x{height}.png"))
    assert page.evaluate(CUT_TEXT) == [], size  # no label, button or title cut without « … » at this size
    # The legend is beside the map: no QPV, meeting or experience is under it.
    assert shown["legends"], f"légende absente ({size})"
    features = shown["qpv"] + shown["others"]
    assert features, f"aucun élément dessiné ({size})"
    hidden = [f for f in features for legend in shown["legends"] if overlap(f, legend)]
    assert hidden == [], (size, hidden[:3])
    # Every QPV of the view can be seen and aimed at (a symbol when its polygon would be a speck).
    too_small = [q for q in shown["qpv"] if max(q["w"], q["h"]) < 8]
    assert too_small == [], (size, too_small[:3])
    # Place names are drawn as text, none on another.
    texts = {label["text"].replace("\n", "") for label in shown["labels"]}  # a long name may take two lines
    crossing = [
        (a["text"], b["text"]) for i, a in enumerate(shown["labels"]) for b in shown["labels"][i + 1 :] if overlap(a, b)
    ]
    assert crossing == [], size
    if region:
        # Departments are named first, inside themselves, never over a QPV symbol: at the region's opening
        # zoom a narrow one crowded by its city's QPV (Meurthe-et-Moselle, Bas-Rhin) may find no room.
        assert len(texts & DEPARTMENTS) >= 7, (size, DEPARTMENTS - texts)
    assert texts, f"aucun nom de lieu ({size})"
    assert texts >= set(named), (size, set(named) - texts)


#: In the map's frame: every symbol shown (centre, radius, colour) and every name's box.
SCENE = """() => {
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
    if d >= 2 * r:
        return 0.0
    return 2 * r * r * math.acos(d / (2 * r)) - d / 2 * math.sqrt(4 * r * r - d * d)


def measure_scene(drawn: dict) -> dict:
    """Symbols more than half covered (all, new ones), symbols covered at all, names over a symbol or a name."""
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

    def apart(a, b):
        return not (
            a["x1"] < b["x2"] - 0.5 and b["x1"] < a["x2"] - 0.5 and a["y1"] < b["y2"] - 0.5 and b["y1"] < a["y2"] - 0.5
        )

    return {
        "symboles": len(symbols),
        "plus de moitié couverts": sum(s > 0.5 for s in shares),
        "nouveaux couverts": sum(s > 0 for s, sym in zip(shares, symbols, strict=True) if sym["colour"].lower() == new),
        "noms sur un symbole": sorted({n["text"] for n in names for s in symbols if hits(n, s)}),
        "noms sur un nom": sorted({a["text"] for i, a in enumerate(names) for b in names[i + 1 :] if not apart(a, b)}),
        "noms": len(names),
    }


def check_scene(page, expected: int, zoom: float) -> dict:
    """At the opening zoom of the view (``expected`` QPV, zoom at least ``zoom``): no symbol hides another, no
    name hides anything. Returns what was measured."""
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    frame.wait_for_function(
        f"""() => window.map && window.cartoQpv && window.cartoQpv.length && window.map.getZoom() >= {zoom}
            && document.querySelectorAll('{QPV_DRAWN}').length >= {expected}
            && document.querySelectorAll('.carto-etiquette').length > 0""",
        timeout=30_000,
    )
    measured = measure_scene(frame.evaluate(SCENE))
    size = "×".join(str(v) for v in page.viewport_size.values())
    assert measured["symboles"] >= expected * 0.8, (size, measured)  # most QPV are symbols at this zoom
    assert measured["plus de moitié couverts"] == 0, (size, measured)
    assert measured["nouveaux couverts"] == 0, (size, measured)
    assert measured["noms sur un symbole"] == [], (size, measured)
    assert measured["noms sur un nom"] == [], (size, measured)
    return measured
