"""Helpers of the real-browser tests (not tests themselves): selectors, waits, the outside-request check."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urlparse

#: Where screenshots, traces and server logs of the browser tests go: the system's temporary folder (never the
#: repository), or ``CARTOGRAPHIE_CAPTURES``.
ARTIFACTS = Path(os.environ.get("CARTOGRAPHIE_CAPTURES") or Path(tempfile.gettempdir()) / "cartographie-captures")
ARTIFACTS.mkdir(parents=True, exist_ok=True)
#: Password of the editors on the test servers.
EDITOR_PASSWORD = "mot de passe des tests"
#: An approved experience's title on the test server: an HTML injection attempt.
XSS_TITLE = '<img src=x onerror="window.__xss=1">'
#: The map's frame (its title is put into French in the page; the naive page keeps Streamlit's).
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"], iframe[title="Carte des quartiers prioritaires"]'
#: Every QPV drawn on a map: its polygon, or seen from afar its symbol (never both).
QPV_DRAWN = ".carto-qpv:not(.carto-masque)"


# The page is idle when no run is requested or under way (the app's root says which, from the first click
# on; the status widget only shows after a delay) and the status widget has gone.
IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app && app.getAttribute('data-test-script-state');
  return !['running', 'rerunRequested', 'stopRequested'].includes(state)
    && !document.querySelector('[data-testid="stStatusWidget"]');
}"""


def wait_for_app(page) -> None:
    """Wait until Streamlit has rendered and finished running the page.

    Two frames first: right after a click, React may not have drawn the run the click asked for yet, and the
    page would look idle while its run is about to start (the suspected cause of a form's button click lost once
    in a full run, the click landing while the run of the answer before it was starting).
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    page.evaluate(TWO_FRAMES)
    page.wait_for_function(IDLE, timeout=60_000)


#: Text cut without « … »: every element holding text, against the nearest ancestor (or itself) that clips
#: its overflow; a box for screen readers only (1 px, the skip link until focused) is not a view.
CUT_TEXT = """() => {
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'svg', 'path', 'CANVAS', 'IFRAME', 'INPUT', 'TEXTAREA'].includes(el.tagName)) continue;
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    // The text's own width against every ancestor that clips it (itself included).
    for (let box = el; box && box !== document.body; box = box.parentElement) {
      const s = getComputedStyle(box);
      const clips = ['hidden', 'clip'].includes(s.overflowX) || ['hidden', 'clip'].includes(s.overflow);
      if (!clips) continue;
      if (box.clientWidth <= 2 || box.clientHeight <= 2) break;  // for screen readers only (the skip link)
      const cut = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (cut && s.textOverflow !== 'ellipsis' && getComputedStyle(el).textOverflow !== 'ellipsis') {
        const text = el.innerText || el.textContent;
        const b = box.getBoundingClientRect(), t = el.getBoundingClientRect();
        const clamped = s.webkitLineClamp && s.webkitLineClamp !== 'none';
        if (!clamped && (box === el || t.right > b.right + 1 || t.bottom > b.bottom + 1 || t.left < b.left - 1)) {
          const where = box.getAttribute('data-testid') || box.className.toString().slice(0, 30);
          found.push(text.trim().slice(0, 60) + ' | ' + where);
        }
      }
      break;
    }
  }
  return [...new Set(found)];
}"""


#: Resolves once the browser has drawn two frames: a scroll started by Playwright has ended its events.
TWO_FRAMES = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def click_at_rest(page, target) -> None:
    """Click ``target`` as a person does: scrolled into view first, then clicked once the page is still.

    Playwright scrolls and clicks in one step; a select box opened by that click is closed again by the
    scroll events that arrive after it (BaseWeb closes its menus when the page scrolls).
    """
    target.scroll_into_view_if_needed()
    page.evaluate(TWO_FRAMES)
    target.click()


def open_map(page, server_url: str):
    """Open /carte and wait until its map is drawn and sized; returns the map's frame."""
    page.goto(f"{server_url}/carte", wait_until="domcontentloaded")
    wait_for_app(page)
    page.wait_for_selector(MAP_FRAME, state="attached", timeout=60_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
    page.wait_for_function(
        f"() => document.querySelector('{MAP_FRAME}').getBoundingClientRect().height >= 400", timeout=30_000
    )
    return frame


def external_requests(page) -> list[str]:
    """Every request of the page that left 127.0.0.1 (there must be none)."""
    hosts = {"127.0.0.1", "localhost"}
    return [
        u
        for u in page.requests
        if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).hostname not in hosts
    ]


def sign_in_editor(page) -> None:
    """Sign in as the tests' editor on the page's sign-in form (moderation or import), and wait until it is done."""
    page.get_by_label("Identifiant", exact=True).fill("Camille")
    page.get_by_label("Mot de passe", exact=True).fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    page.get_by_label("Mot de passe", exact=True).wait_for(state="detached", timeout=30_000)  # the form is gone
    wait_for_app(page)


#: The pages and states ``test_pages_navigateur.py`` walks (accessibility, French, offline, cut text): every page,
#: every map layer. The pages holding a map of a chosen territory (/carte, a contrat's,
#: a meeting's and an experience's sheet) are walked with their map (``test_cartes_navigateur.py``), a QPV's sheet
#: with its figures (``test_habitants_navigateur.py``), the slides with their drawing (``test_presentation…``), the
#: projector's live view and the phone's pages with the room (``test_salle_navigateur.py``).
PAGES_TO_WALK = [
    "/",
    "/carte?couches=epci,communes,contrats_2015,credits,experiences",
    "/contrats",
    "/rencontres",
    "/cooperations",
    "/enquete",
    "/resultats",
    "/direct",
    "/presentation",
    "/importer",
    "/moderation",
]

#: The views of the results page, each opened in turn by those tests.
RESULTS_VIEWS = (
    "Par question",
    "Éléments déterminants",
    "Tableaux croisés",
    "Mots-clés",
    "Carte",
    "Comparaison des éditions",
)


def type_keyword(page, word: str) -> None:
    """Type a live keyword at a person's pace (the app refuses a word sent within 2 s of opening or of the last)."""
    from cartographie.domaine.salle import MIN_DWELL, MIN_GAP

    field = page.get_by_label("Votre mot-clé")
    field.fill("")
    seconds = max(MIN_DWELL, MIN_GAP) + 0.6
    field.press_sequentially(word, delay=int(1000 * seconds / max(1, len(word))))


def send_keyword(page, word: str) -> None:
    """Send a live keyword from a phone's /direct page, as a person does, and wait for its thanks."""
    type_keyword(page, word)
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_text("Merci").first.wait_for(timeout=30_000)


#: Whether a chart on the page (its SVG) writes a text.
CHART_WRITES = "(text) => [...document.querySelectorAll('.main-svg text')].some((t) => t.textContent.includes(text))"


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
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

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


def pdf_text(path) -> str:
    """The text of a PDF file, every page."""
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def print_sheet(page, button: str, expected: str) -> None:
    """Download the page's printable sheet (PDF) with ``button``: a PDF writing ``expected``, the page unmoved."""
    where = page.url.split("?")[1]
    page.get_by_role("button", name=button).wait_for(timeout=60_000)
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name=button).click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    assert expected in pdf_text(download.value.path())
    assert where in page.url  # the page is where it was
