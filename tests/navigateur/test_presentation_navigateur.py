"""The presentation screen in Chromium, with no internet, on every projector size: every slide, no overflow,
no text too small to read from the back of the room, controls visible, auto-advance."""

from __future__ import annotations

import pytest

from cartographie.domaine.presentation import SLIDES
from tests.aides.cartes import BIG_CITIES, check_map, map_ready
from tests.aides.cartes import SIZES as MAP_SIZES
from tests.aides.navigateur import ARTIFACTS, MAP_FRAME, QPV_DRAWN, external_requests, wait_for_app
from tests.aides.parcours import check_page, ready

# Every text box of a slide whose content would be cut or would spill out of it; the page must not scroll
# and the slide (scaled to the window) must sit inside it.
OVERFLOWS = """() => {
  const boxes = document.querySelectorAll(
    '.diapo-titre, .diapo-territoire, .diapo-compteur, .diapo-chiffre, .diapo-chiffre div, .diapo-texte, '
    + '.diapo-texte li, .diapo-pied, .diapo-demo, [data-testid="stMain"] button, [class*="st-key-diapo_"]');
  const bad = [];
  const slack = Math.max(1, 0.002 * window.innerHeight);  // rounding of scaled line heights
  for (const el of boxes) {
    if (el.scrollWidth > el.clientWidth + slack || el.scrollHeight > el.clientHeight + slack) {
      const size = `${el.scrollWidth}x${el.scrollHeight} > ${el.clientWidth}x${el.clientHeight}`;
      bad.push(`${el.className || el.tagName}: ${size}`);
    }
  }
  const page = document.scrollingElement;
  if (page.scrollHeight > window.innerHeight + 1) bad.push(`page: ${page.scrollHeight} > ${window.innerHeight}`);
  const slide = document.querySelector('[data-testid="stMainBlockContainer"]').getBoundingClientRect();
  if (slide.bottom > window.innerHeight + 1 || slide.right > window.innerWidth + 1 || slide.top < -1)
    bad.push(`slide outside the window: ${JSON.stringify(slide)}`);
  return bad;
}"""

# Visible text (HTML and the charts' SVG) smaller than 2.2 % of the screen's height, once scaled.
SMALL_TEXT = """() => {
  const scale = 1;  // sizes are the screen's own (the server sized everything for it)
  const limit = 0.022 * window.innerHeight;
  const small = [];
  const root = document.querySelector('[data-testid="stMainBlockContainer"]');
  for (const el of root.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest('.lecteur-ecran')) continue;  // a chart's table, for screen readers only
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
    const size = parseFloat(getComputedStyle(el).fontSize) * scale;
    if (size < limit - 0.5) small.push(`${el.tagName}.${el.className && el.className.baseVal !== undefined
      ? el.className.baseVal : el.className} « ${el.textContent.trim().slice(0, 30)} » ${size.toFixed(1)} px`);
  }
  return {limit, small};
}"""

# A chart's values written sideways (Plotly turns a value that does not fit inside its bar).
TURNED_VALUES = """() => [...document.querySelectorAll('.bartext, .textpoint text')]
  .filter((t) => /rotate\\((?!0[,)])/.test(t.getAttribute('transform') || '')).map((t) => t.textContent)"""

#: What a slide's chart or map says to a screen reader: its table, hidden from the eyes only.
ALTERNATIVE = """() => {
  const drawn = document.querySelectorAll('[class*="st-key-diapo_"] .main-svg, [class*="st-key-diapo_"] iframe').length;
  const table = document.querySelector('.lecteur-ecran table');
  const box = table && table.closest('.lecteur-ecran').getBoundingClientRect();
  return {drawn, rows: table ? table.querySelectorAll('tbody tr').length : 0,
          caption: table ? table.caption.innerText : '', hidden: !box || (box.width <= 1.5 && box.height <= 1.5)};
}"""

#: The size at which every slide is also walked for everything a browser can tell (axe, French, cut text).
WALKED_AT = (1440, 900)

# Every control of the slideshow, on screen.
CONTROLS = """() => ['Précédente', 'Pause', 'Reprendre', 'Suivante', 'Réglages'].flatMap(label => {
  const b = [...document.querySelectorAll('button')].find(x => x.innerText.trim() === label);
  if (!b) return [];
  const r = b.getBoundingClientRect();
  return (r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth) ? [] : [label];
})"""

#: The projector's sizes: 16:9 from 1280×720 to 4K, and 16:10 (1536×864 is 16:9 between the two first: left out).
SIZES = [(1280, 720), (1440, 900), (1920, 1080), (3840, 2160)]


def _projector(browser, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda req: tab.requests.append(req.url))
    return context, tab


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def screen(browser, request):
    """A projector's page (every size of ``SIZES``) that records every request."""
    context, tab = _projector(browser, *request.param)
    yield tab
    context.close()


@pytest.fixture
def projector(browser):
    """A 1920×1080 projector."""
    context, tab = _projector(browser, 1920, 1080)
    yield tab
    context.close()


def _counter(screen) -> str:
    return screen.locator('[data-testid="diapo-compteur"]').inner_text()


def _wait_for_slide(screen, number: int, total: int, slide: str) -> None:
    screen.wait_for_function(
        f"() => document.querySelector('[data-testid=\"diapo-compteur\"]')?.innerText === '{number} / {total}'",
        timeout=60_000,
    )
    wait_for_app(screen)
    if slide == "carte":
        screen.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(
            state="attached", timeout=60_000
        )
        screen.wait_for_function(
            f"() => document.querySelector('{MAP_FRAME}').offsetHeight >= 0.45 * window.innerHeight", timeout=30_000
        )
    elif slide in ("contrats", "rencontres", "enquete", "reseau"):
        # A chart, or the sentence that replaces it (fewer than 5 survey answers, no experience…).
        screen.wait_for_function(
            f"() => document.querySelector('.st-key-diapo_{slide} .main-svg, .st-key-diapo_{slide} .diapo-texte')",
            timeout=60_000,
        )
    # Fonts loaded and two frames painted since: the last layout is done before measuring.
    screen.evaluate(
        "() => document.fonts.ready.then(() => new Promise("
        "(r) => requestAnimationFrame(() => requestAnimationFrame(r))))"
    )


def test_every_slide_is_drawn_full_screen_without_overflow_and_offline(screen, server_url, axe_source):
    """Each size: every slide drawn and measured; the map's slide measured as every map is (legend aside, names
    apart); at 1440×900 every slide also walked (axe, French, cut text) with its table for screen readers."""
    screen.goto(f"{server_url}/presentation?ecran=1&intervalle=120", wait_until="domcontentloaded")
    # The browser puts its screen's scale in the address, once, before the slides are measured.
    width, height = screen.viewport_size["width"], screen.viewport_size["height"]
    screen.wait_for_url(f"**echelle={min(width / 1920, height / 1080):.3f}**", timeout=60_000)
    total = len(SLIDES)
    problems = []
    for number, slide in enumerate(SLIDES, start=1):
        _wait_for_slide(screen, number, total, slide)
        # Streamlit's chrome is hidden.
        for chrome in ("stHeader", "stSidebar", "stToolbar", "stStatusWidget"):
            element = screen.locator(f'[data-testid="{chrome}"]')
            assert element.count() == 0 or not element.first.is_visible(), chrome
        assert screen.locator(".diapo-titre").inner_text() == SLIDES[slide]
        size = "x".join(str(v) for v in screen.viewport_size.values())
        screen.screenshot(path=str(ARTIFACTS / f"presentation-{size}-{number}-{slide}.png"))
        overflows = screen.evaluate(OVERFLOWS)
        assert overflows == [], (slide, overflows)
        text = screen.evaluate(SMALL_TEXT)
        assert text["small"] == [], (slide, text)
        assert screen.evaluate(TURNED_VALUES) == [], slide  # a bar's value is read without turning one's head
        assert screen.evaluate(CONTROLS) == [], slide
        if slide == "carte":
            assert screen.frame_locator(MAP_FRAME).locator(QPV_DRAWN).count() == 123
            # The scale's label (« 20 km ») fits inside its bar, at every size up to 4K.
            line = screen.frame_locator(MAP_FRAME).locator(".leaflet-control-scale-line")
            assert line.evaluate("(e) => e.scrollWidth <= e.clientWidth + 1"), line.inner_text()
            if (width, height) in MAP_SIZES:
                map_ready(screen)
                check_map(screen, "presentation", "", region=True, named=BIG_CITIES)
        if (width, height) == WALKED_AT:
            ready(screen)
            alternative = screen.evaluate(ALTERNATIVE)
            if alternative["drawn"]:  # a chart or the map: its data as a table, for screen readers only
                said = alternative["rows"] > 0 and alternative["caption"] and alternative["hidden"]
                assert said, (slide, alternative)
            problems += check_page(screen, axe_source, f"diapositive {slide}")
        screen.get_by_role("button", name="Suivante").click()
    _wait_for_slide(screen, 1, total, "chiffres")  # back to the first one
    assert problems == [], "\n".join(problems)
    assert external_requests(screen) == []


@pytest.mark.parametrize("territoire", ["dep:57", "cv:CN05403M"])
def test_the_key_figures_of_a_department_and_a_contrat_fit_their_cards(browser, server_url, territoire):
    """Six-digit populations and long sources: nothing overflows its card, on the smallest and a full HD screen."""
    for width, height in ((1280, 720), (1920, 1080)):
        context, screen = _projector(browser, width, height)
        scale = min(width / 1920, height / 1080)
        screen.goto(f"{server_url}/presentation?ecran=1&echelle={scale:.3f}&intervalle=120&diapos=chiffres"
                    f"&territoire={territoire}", wait_until="domcontentloaded")  # fmt: skip
        _wait_for_slide(screen, 1, 1, "chiffres")
        assert screen.evaluate(OVERFLOWS) == [], (territoire, width)
        assert screen.locator(".diapo-chiffre").count() == 5
        context.close()


def test_slides_advance_by_themselves_and_with_the_keyboard(projector, server_url):
    # The page's clock is the test's: time flows, and the test jumps it forward instead of waiting.
    projector.clock.install()
    projector.goto(
        f"{server_url}/presentation?ecran=1&intervalle=5&diapos=chiffres,contrats,mots", wait_until="domcontentloaded"
    )
    _wait_for_slide(projector, 1, 3, "chiffres")
    wait_for_app(projector)
    # The timer moves on by itself after 5 s.
    projector.clock.fast_forward(5_000)
    projector.wait_for_function(
        "() => document.querySelector('[data-testid=\"diapo-compteur\"]')?.innerText === '2 / 3'", timeout=30_000
    )
    projector.get_by_role("button", name="Pause").click()
    wait_for_app(projector)
    projector.locator("body").press("ArrowRight")
    projector.wait_for_function(
        "() => document.querySelector('[data-testid=\"diapo-compteur\"]')?.innerText === '3 / 3'", timeout=30_000
    )
    wait_for_app(projector)
    # Paused: 7 s later (more than the 5 s interval, which would have asked for a run), no move.
    projector.clock.fast_forward(7_000)
    wait_for_app(projector)
    assert _counter(projector) == "3 / 3"
    projector.locator("body").press("ArrowLeft")
    projector.wait_for_function(
        "() => document.querySelector('[data-testid=\"diapo-compteur\"]')?.innerText === '2 / 3'", timeout=30_000
    )


def test_the_live_keywords_projector_is_built_like_a_slide(browser, writing_server_url):
    """``/direct?ecran=1`` read from the back of a room, at three projector sizes: no Streamlit chrome, type ≥ 2.2 %
    of the height, the keyword a phone sent drawn."""
    from tests.aides.navigateur import CHART_WRITES, send_keyword

    phone = browser.new_page(viewport={"width": 412, "height": 915})
    phone.goto(f"{writing_server_url}/direct?session=projecteur", wait_until="domcontentloaded")
    wait_for_app(phone)
    send_keyword(phone, "Confiance")
    phone.close()
    for width, height in [(1280, 720), (1920, 1080), (3840, 2160)]:
        context, screen = _projector(browser, width, height)
        try:
            screen.goto(f"{writing_server_url}/direct?session=projecteur&ecran=1", wait_until="domcontentloaded")
            screen.wait_for_url(f"**echelle={min(width / 1920, height / 1080):.3f}**", timeout=60_000)
            wait_for_app(screen)
            screen.wait_for_function(CHART_WRITES, arg="Confiance", timeout=60_000)
            screen.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
            screen.screenshot(path=str(ARTIFACTS / f"direct-ecran-{width}x{height}.png"))
            for chrome in ("stHeader", "stSidebar", "stToolbar"):
                element = screen.locator(f'[data-testid="{chrome}"]')
                assert element.count() == 0 or not element.first.is_visible(), (width, chrome)
            assert screen.evaluate(OVERFLOWS) == [], width
            text = screen.evaluate(SMALL_TEXT)
            assert text["small"] == [], (width, text)
            assert screen.evaluate(TURNED_VALUES) == [], width
            assert external_requests(screen) == []
        finally:
            context.close()
