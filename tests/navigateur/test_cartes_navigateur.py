"""Every map as a user sees it in Chromium, at three screen sizes: legible, named, never hidden by its legend.

Also the keyboard path to a QPV, and moving between sheets (QPV → contrat → meeting → back) in one tab.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.aides.navigateur import (
    ARTIFACTS,
    CUT_TEXT,
    MAP_FRAME,
    QPV_DRAWN,
    click_at_rest,
    external_requests,
    wait_for_app,
)

SIZES = [(1280, 720), (1440, 900), (1920, 1080)]

#: Every map of the app: (name, address, what its features are besides the QPV).
MAPS = [
    ("carte", "/carte", ""),
    ("contrat", "/contrats?contrat=CN05403M", ""),
    ("rencontres", "/rencontres?evt=journee-2025-10-02", ".carto-rencontre"),
    ("cooperations", "/cooperations?exp=vandoeuvre-tfpb", ".carto-experience"),
    ("presentation", "/presentation?ecran=1&diapos=carte&territoire=region&intervalle=120", ""),
]

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


def _overlap(a: dict, b: dict) -> bool:
    return a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]


def _map_ready(page) -> None:
    """Wait until the visible map has drawn its QPV and made its last automatic fit."""
    page.wait_for_function(
        """(sel) => [...document.querySelectorAll(sel)].some(f => f.getBoundingClientRect().height > 200
                 && f.contentWindow && f.contentWindow.cartoPret === true)""",
        arg=MAP_FRAME,
        timeout=60_000,
    )
    wait_for_app(page)


@pytest.fixture
def sized_page(browser, request):
    """A page of the given size that records every request."""
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda req: tab.requests.append(req.url))
    yield tab
    context.close()


@pytest.mark.parametrize("sized_page", SIZES, indirect=True, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize(("name", "address", "others"), MAPS, ids=[m[0] for m in MAPS])
def test_every_map_shows_its_data_names_its_places_and_keeps_its_legend_aside(
    sized_page, server_url, name, address, others
):
    page = sized_page
    page.goto(f"{server_url}{address}", wait_until="domcontentloaded")
    if name == "presentation":  # the screen reopens once with its scale in the address
        page.wait_for_url("**echelle=**", timeout=60_000)
    wait_for_app(page)
    page.locator(MAP_FRAME).first.scroll_into_view_if_needed()
    _map_ready(page)
    shown = page.evaluate(MEASURE, [MAP_FRAME, QPV_DRAWN, others])
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    page.screenshot(path=str(ARTIFACTS / f"carte-{name}-{width}x{height}.png"))

    assert page.evaluate(CUT_TEXT) == []  # no label, button or title cut without « … » at this size
    # The legend is beside the map: no QPV, meeting or experience is under it.
    assert shown["legends"], "légende absente"
    features = shown["qpv"] + shown["others"]
    assert features, "aucun élément dessiné"
    hidden = [f for f in features for legend in shown["legends"] if _overlap(f, legend)]
    assert hidden == [], hidden[:3]
    # Every QPV of the view can be seen and aimed at (a symbol when its polygon would be a speck).
    too_small = [q for q in shown["qpv"] if max(q["w"], q["h"]) < 8]
    assert too_small == [], too_small[:3]
    # Place names are drawn as text, none on another.
    texts = {label["text"].replace("\n", "") for label in shown["labels"]}  # a long name may take two lines
    crossing = [
        (a["text"], b["text"])
        for i, a in enumerate(shown["labels"])
        for b in shown["labels"][i + 1 :]
        if _overlap(a, b)
    ]
    assert crossing == []
    if name in ("carte", "presentation"):  # the whole region
        # Departments are named first, inside themselves, never over a QPV symbol: at the region's opening
        # zoom a narrow one crowded by its city's QPV (Meurthe-et-Moselle, Bas-Rhin) may find no room.
        assert len(texts & DEPARTMENTS) >= 7, DEPARTMENTS - texts
        assert texts >= {"Metz", "Nancy", "Strasbourg", "Reims", "Mulhouse"}
    else:
        assert texts, "aucun nom de lieu"
    if name == "contrat":
        assert "Nancy" in texts
    if others:  # the chosen meeting or experience stands out
        assert page.frame_locator(MAP_FRAME).first.locator(".carto-choisi, .carto-experience").count() >= 1
    assert external_requests(page) == []


def _focused(page) -> str:
    return page.evaluate(
        """() => { const e = document.activeElement;
            if (e.tagName === 'IFRAME') { return 'carte:' + (e.contentDocument.activeElement.className || ''); }
            return (e.getAttribute('aria-label') || e.innerText || e.tagName).trim(); }"""
    )


#: The focus is in the QPV table: on its canvas or on a cell of its accessible table.
IN_TABLE = "() => document.activeElement.closest('[data-testid=\"data-grid-canvas\"]') !== null"


def test_the_qpv_list_is_the_keyboard_path_and_the_map_follows_it(page, server_url):
    page.goto(f"{server_url}/carte", wait_until="domcontentloaded")
    wait_for_app(page)
    _map_ready(page)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    # The map is one tab stop, named in French; no shape is a tab stop, every QPV shape has a name.
    stops = frame.evaluate("() => [...document.querySelectorAll('*')].filter(e => e.tabIndex >= 0).length")
    assert stops == 1
    assert frame.evaluate("() => document.querySelector('.leaflet-container').getAttribute('aria-label')").startswith(
        "Carte des quartiers prioritaires"
    )
    named = frame.evaluate(
        """() => [...document.querySelectorAll('[role=img][aria-label^="Quartier prioritaire"]')]
            .filter(e => !e.classList.contains('carto-masque')).length"""
    )
    assert named == 123
    # From the top of the page: the skip link, then Tab until the QPV list.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href') || ''").endswith("#main-content") or (
        "Skip" in _focused(page) or "contenu" in _focused(page)
    )
    page.keyboard.press("Enter")
    presses, path = 1, []
    while presses < 20 and _focused(page) != "Fiche du QPV":
        page.keyboard.press("Tab")
        presses += 1
        path.append(_focused(page))
    assert _focused(page) == "Fiche du QPV", path
    assert any(stop.startswith("carte:") for stop in path)  # the map is on the way, once
    assert sum(stop.startswith("carte:") for stop in path) == 1
    # The QPV table is one stop: its arrows move between cells, Tab and Shift+Tab leave it.
    path = []
    while len(path) < 12 and _focused(page) != "CANVAS":
        page.keyboard.press("Tab")
        path.append(_focused(page))
    assert _focused(page) == "CANVAS", path
    page.keyboard.press("ArrowDown")  # the grid may then focus the chosen cell of its accessible table
    assert page.evaluate(IN_TABLE)
    page.keyboard.press("Tab")
    after = _focused(page)
    assert after.startswith("Télécharger ("), after
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(IN_TABLE)
    page.keyboard.press("Shift+Tab")
    assert _focused(page) == path[-2], path
    page.get_by_label("Fiche du QPV").focus()
    page.keyboard.type("Plateau de Haye Nancy")
    page.keyboard.press("Enter")
    page.locator('[data-testid="stHeading"]', has_text="Plateau De Haye Nancy").first.wait_for(timeout=30_000)
    # The map follows: the QPV is outlined and the map fitted on it.
    frame.wait_for_function(
        """() => window.cartoChoisi === 'QN05415M'
            && window.cartoCarte.getBounds().contains(
                window.cartoQpv.find(e => e.code === 'QN05415M').limites.getCenter())
            && window.cartoCarte.getZoom() >= 11""",
        timeout=20_000,
    )
    page.screenshot(path=str(ARTIFACTS / "carte-clavier.png"))


def test_a_click_on_a_qpv_symbol_opens_its_sheet_without_a_focus_frame(page, server_url):
    page.goto(f"{server_url}/carte", wait_until="domcontentloaded")
    wait_for_app(page)
    _map_ready(page)
    frame = page.frame_locator(MAP_FRAME)
    target = frame.locator('[aria-label^="Quartier prioritaire Quartier Neuf, Langres"]:not(.carto-masque)')
    box = target.bounding_box()
    assert min(box["width"], box["height"]) >= 24  # a touch-sized target around the symbol
    target.click()
    page.locator('[data-testid="stHeading"]', has_text="Quartier Neuf").first.wait_for(timeout=30_000)
    outline = (
        page.locator(MAP_FRAME)
        .element_handle()
        .content_frame()
        .evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    )
    assert outline == "none"


#: Where the heading holding a text is, and where the page is scrolled (to explain a failure).
_HEADING_PLACE = """(text) => {
    const heading = [...document.querySelectorAll('[data-testid="stHeading"]')]
        .find((h) => h.textContent.includes(text));
    const main = document.querySelector('[data-testid="stMain"]');
    const box = heading ? heading.getBoundingClientRect() : null;
    return {top: box && box.top, bottom: box && box.bottom, height: window.innerHeight,
            scrolled: main ? main.scrollTop : null, holds: window.cartoHautCompte || 0,
            url: location.href,
            headings: [...document.querySelectorAll('[data-testid="stHeading"]')]
                .map((h) => h.textContent.slice(0, 60))};
}"""


def assert_in_first_screen(page, text: str) -> None:
    """The heading holding ``text`` comes to rest inside the first screen (waited for, not sampled once).

    Right after a link is followed, the page may still be scrolled where the previous one was while
    Streamlit draws the new one: the condition is polled until the page settles (30 s at most). On
    failure, the message says where the heading was and how far the page was scrolled.
    """
    heading = page.locator('[data-testid="stHeading"]', has_text=text).first
    heading.wait_for(timeout=30_000)
    try:
        page.wait_for_function(
            f"(text) => {{ const p = ({_HEADING_PLACE})(text); "
            "return p.top !== null && p.top >= 0 && p.bottom <= p.height; }",
            arg=text,
            timeout=30_000,
        )
    except PlaywrightTimeout:
        raise AssertionError(f"« {text} » hors du premier écran : {page.evaluate(_HEADING_PLACE, text)}") from None


@pytest.mark.parametrize(
    ("address", "heading"),
    [
        ("/contrats?contrat=CN05403M", "54 - Métropole du Grand Nancy"),
        ("/rencontres?evt=journee-2025-10-02", "2e journée régionale des contrats de ville"),
        ("/cooperations?exp=vandoeuvre-tfpb", "abattement de TFPB"),
    ],
    ids=["contrat", "evenement", "experience"],
)
def test_a_deep_link_lands_on_its_sheet(page, server_url, address, heading):
    page.goto(f"{server_url}{address}", wait_until="domcontentloaded")
    wait_for_app(page)
    assert_in_first_screen(page, heading)
    # The script that brings a view opened from outside to the top runs (it counts its runs on the window).
    page.wait_for_function("() => (window.cartoHautCompte || 0) >= 1", timeout=30_000)


def test_from_a_qpv_to_its_contrat_and_its_meetings_and_back_in_one_tab(page, server_url):
    page.goto(f"{server_url}/carte?qpv=QN05415M", wait_until="domcontentloaded")
    wait_for_app(page)
    page.locator('[data-testid="stHeading"]', has_text="Plateau De Haye").first.wait_for(timeout=30_000)
    _map_ready(page)  # the page at rest: no rerun in flight that could rewrite the address after the click
    page.get_by_role("link", name="Fiche du contrat de ville").click()
    page.wait_for_url("**/contrats?contrat=CN05403M**", timeout=30_000)
    assert_in_first_screen(page, "54 - Métropole du Grand Nancy")
    assert "/contrats?contrat=CN05403M" in page.url
    click_at_rest(page, page.get_by_role("link", name="27 septembre 2022 – Journée régionale").first)
    assert_in_first_screen(page, "Acteurs en quartiers populaires")
    assert "evt=journee-2022-09-27" in page.url
    assert len(page.context.pages) == 1  # no new tab
    page.go_back()
    assert_in_first_screen(page, "54 - Métropole du Grand Nancy")
    page.go_back()
    page.locator('[data-testid="stHeading"]', has_text="Plateau De Haye").first.wait_for(timeout=30_000)
    assert "qpv=QN05415M" in page.url
    assert external_requests(page) == []
