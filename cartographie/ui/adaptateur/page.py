"""Streamlit's page as the app reaches into it: every selector, every style on Streamlit's own markup, every script.

The app styles Streamlit's elements (touch-sized buttons, visible focus, the slides without
Streamlit's chrome), runs a few scripts in the page (texts in French, a view opened from outside
brought to the top, the slides' keyboard, the participant's cookie) and names a region Streamlit
leaves unnamed. Each of those depends on how Streamlit's front end writes its page, which may
change with any upgrade. They are all here, and only here: ``tests/ui/test_adaptateur.py`` fails
when a ``data-testid``, a ``st…`` class name, a script or ``unsafe_allow_javascript`` appears in
another module of the app, and ``tests/ui/test_contrat_streamlit.py`` looks for every selector
and every English text of this package in the installed Streamlit's ``static/`` bundle.

If a selector has gone, its rule matches nothing and the page keeps working with Streamlit's own
look; a script finds nothing and returns. Nothing of the app's safety depends on this module
(the server's guards are in :mod:`cartographie.ui.adaptateur.internes` and fail closed).
"""

from __future__ import annotations

import json

import streamlit as st

# --------------------------------------------------------------------------- styles


#: Every page: touch-sized choices and buttons (44 px, for phones), a focus ring that shows on
#: Streamlit's inputs too, the sidebar's menu without gaps between its links.
PAGE_CSS = """<style>
[data-testid="stRadio"] label, [data-testid="stCheckbox"] label { min-height: 44px; align-items: center; }
[data-testid="stRadio"] [role="radiogroup"] { gap: 0 1rem; }
.stButton button, .stFormSubmitButton button, .stDownloadButton button { min-height: 44px; }
a:focus-visible, button:focus-visible, [role="button"]:focus-visible, [tabindex]:focus-visible,
input:focus-visible, textarea:focus-visible, [role="radio"]:focus-visible,
[role="checkbox"]:focus-visible { outline: 3px solid #0b5394 !important; outline-offset: 2px; }
html body .stApp input:focus-visible, html body .stApp textarea:focus-visible,
html body .stApp [role="combobox"]:focus-visible {
  outline: 3px solid #0b5394 !important; outline-offset: -3px !important; }
.st-key-menu { gap: 0; }
</style>"""

#: A screen shown on a projector (the slides, the room's keywords): Streamlit's chrome hidden, no
#: scrolling, white background, its captions, buttons and the slides' Markdown at the slides' sizes
#: (design pixels of a 1920×1080 screen, multiplied by the screen's scale).
_SCREEN_CHROME_CSS = """<style>
header[data-testid="stHeader"], [data-testid="stSidebar"],
[data-testid="stToolbar"], [data-testid="stStatusWidget"],
[data-testid="stAppDeployButton"], [data-testid="stMainMenu"] { display: none !important; }
html, body, [data-testid="stAppViewContainer"], [data-testid="stMain"] { overflow: hidden !important; }
[data-testid="stMainBlockContainer"], .block-container {
  padding: 12px 40px 8px 40px !important; max-width: 100% !important; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 14px; }
.stButton button { min-height: 56px; padding: 4px 16px; }
.stButton button p { font-size: 28px !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
  font-size: 28px !important; color: #222 !important; overflow-wrap: anywhere; }
[data-testid="stAppViewContainer"], .stApp { background: #ffffff !important; color: #0b0b0b; }
[data-stale="true"] { opacity: 1 !important; transition: none !important; }
[class*="st-key-diapo_"] [data-testid="stMarkdownContainer"] p,
[class*="st-key-diapo_"] [data-testid="stMarkdownContainer"] code {
  font-size: 28px !important; overflow-wrap: anywhere; }
[data-testid="stElementContainer"]:has(.lecteur-ecran) { position: absolute !important; }
</style>"""

#: The room's keywords on the projector: the page's title as large as a slide's, a warning's words
#: as large as a slide's footer.
_PROJECTOR_CSS = """<style>
[data-testid="stHeading"] h1 { font-size: 56px !important; line-height: 1.2 !important; padding: 0 !important; }
[data-testid="stAlertContainer"] p, [data-testid="stAlertContainer"] code, [data-testid="stAlertContainer"] li,
[data-testid="stAlertContainer"] span {
  font-size: 28px !important; line-height: 1.3 !important; overflow-wrap: anywhere; }
</style>"""


def screen_chrome_css(scale: float) -> str:
    """Streamlit's chrome hidden and its elements at the slides' sizes, for a screen of this scale."""
    from cartographie.rendu.presentation import scale_css

    return scale_css(_SCREEN_CHROME_CSS, scale)


def projector_css(scale: float) -> str:
    """The room's projector: Streamlit's title and warnings at the slides' sizes."""
    from cartographie.rendu.presentation import scale_css

    return scale_css(_PROJECTOR_CSS, scale)


# --------------------------------------------------------------------------- scripts


#: Names what Streamlit leaves unnamed, from the app's side (not from the translation): the sidebar's
#: content, a region that scrolls, gets a name and a place in the keyboard order (axe-core: a
#: scrolling region must be reachable); icons' ligatures (« home », « map ») are hidden from screen
#: readers, which would otherwise read them in the links' names. A table (Streamlit's data grid) is one
#: stop of the keyboard order, as the grid pattern of WAI-ARIA has it: the arrows move between its cells,
#: Tab and Shift+Tab leave it (the grid would otherwise take one Tab per column: 17 for the QPV table).
_ACCESSIBILITY = """<script>
(function () {
  const doc = document;
  if (doc.__cartoAccessible) return;
  doc.__cartoAccessible = true;
  function fix(node) {
    if (node.nodeType !== 1) return;
    for (const icon of node.matches('[data-testid="stIconMaterial"]') ? [node]
         : node.querySelectorAll('[data-testid="stIconMaterial"]:not([aria-hidden])')) {
      icon.setAttribute('aria-hidden', 'true');
    }
    for (const region of node.matches('[data-testid="stSidebarContent"]') ? [node]
         : node.querySelectorAll('[data-testid="stSidebarContent"]:not([tabindex])')) {
      if (region.hasAttribute('tabindex')) continue;
      region.setAttribute('tabindex', '0');
      region.setAttribute('role', 'region');
      region.setAttribute('aria-label', 'Menu, recherche et filtres');
    }
  }
  fix(doc.documentElement);
  new MutationObserver(function (mutations) {
    for (const m of mutations) m.addedNodes.forEach(fix);
  }).observe(doc.documentElement, {subtree: true, childList: true});
  const TABBABLE = 'a[href], button, input, select, textarea, iframe, [tabindex]';
  let tabbed = 0;  // when Tab was last pressed: the redirect below only follows the keyboard
  doc.addEventListener('keydown', function (event) {
    if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return;
    tabbed = Date.now();
    // The grid's cells: its canvas, or the cell of its accessible table that holds the focus after an arrow.
    const cells = event.target && event.target.closest && event.target.closest('[data-testid="data-grid-canvas"]');
    if (!cells) return;
    const grid = cells.closest('[data-testid="stDataFrame"]') || cells.parentElement;
    const stops = [...doc.querySelectorAll(TABBABLE)].filter((e) => e.tabIndex >= 0 && !e.disabled
      && e.getClientRects().length && (e === cells || !grid.contains(e) || !e.closest('.dvn-scroller')));
    const here = stops.indexOf(cells);
    const next = event.shiftKey ? stops[here - 1]
      : stops.slice(here + 1).find((e) => !grid.contains(e));
    if (!next) return;
    event.preventDefault();
    event.stopPropagation();
    next.focus();
  }, true);
  // Chromium lets Shift+Tab stop on the grid's scrolling layer: the stop is its cells. Only after a Tab, and
  // without scrolling: the grid focuses that layer by itself too, and a view opened from a link must stay at
  // its top (seen once in a full run: an event's sheet scrolled down to its table).
  doc.addEventListener('focusin', function (event) {
    const layer = event.target;
    if (!layer || !layer.matches || !layer.matches('.dvn-scroller') || Date.now() - tabbed > 1000) return;
    const cells = layer.parentElement && layer.parentElement.querySelector('[data-testid="data-grid-canvas"]');
    if (cells) cells.focus({preventScroll: true});
  }, true);
})();
</script>"""

#: Brings a view opened from outside to the top, and holds it there while Streamlit draws it.
#: Streamlit keeps the previous page's scroll when a link opens another page; setting it once was not
#: enough (seen in CI: the new sheet ended 840 px down, as the old page had been). Any scroll the page
#: makes by itself is undone until Streamlit's run has ended (``data-test-script-state`` of ``stApp``)
#: and the drawing has been quiet for one second (ten seconds at most); the first gesture of the person
#: (wheel, key, touch, pointer) hands the scroll back at once. ``window.cartoHautCompte`` counts the
#: holds and ``window.cartoHautVues`` lists the views held (their numbers), for tests and for a failure's message.
#: The view's number is in the script itself: Streamlit's sanitizer drops HTML comments, and the browser runs the
#: script again only when its element's text changes.
_TO_THE_TOP = """<script>(function () {
  const view = __VUE__;
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main) { return; }
  if (window.cartoHautFin) { window.cartoHautFin(); }
  window.cartoHautCompte = (window.cartoHautCompte || 0) + 1;
  window.cartoHautVues = [...(window.cartoHautVues || []), view];
  const app = document.querySelector('[data-testid="stApp"]');
  const state = () => (app ? app.getAttribute('data-test-script-state') : '');
  const running = () => ['running', 'rerunRequested'].includes(state());
  const gestures = ['wheel', 'keydown', 'pointerdown', 'touchstart'];
  let quiet = 0;
  const top = () => { if (main.scrollTop !== 0) { main.scrollTop = 0; } };
  const settle = () => { clearTimeout(quiet); quiet = setTimeout(() => (running() ? settle() : end()), 1000); };
  const observer = new MutationObserver(() => { top(); settle(); });
  const end = () => {
    observer.disconnect(); clearTimeout(quiet); clearTimeout(limit);
    main.removeEventListener('scroll', top);
    gestures.forEach((g) => document.removeEventListener(g, end, true));
    window.cartoHautFin = null;
  };
  const limit = setTimeout(end, 10000);
  window.cartoHautFin = end;
  top();
  observer.observe(main, {childList: true, subtree: true});
  main.addEventListener('scroll', top);
  gestures.forEach((g) => document.addEventListener(g, end, true));
  settle();
})();</script>"""


#: The slides' screen: its scale kept in the address; arrows change slides, space toggles the pause.
#: The scale is the window's, min(width / 1920, height / 1080): when the address does not hold it
#: (first opening) or the window changed size, the page reopens with it, once.
_SLIDES_KEYBOARD = """<script>
(function () {
  const win = window, doc = document;
  function fit() {
    const s = Math.min(win.innerWidth / 1920, win.innerHeight / 1080);
    const url = new URL(win.location.href);
    const current = parseFloat(url.searchParams.get('echelle'));
    if (!(Math.abs(current - s) < 0.005) && url.searchParams.get('ecran') === '1') {
      url.searchParams.set('echelle', s.toFixed(3));
      win.location.replace(url.toString());
    }
  }
  fit();
  if (doc.__diaporamaClavier) return;
  doc.__diaporamaClavier = true;
  let timer = null;
  win.addEventListener('resize', function () { clearTimeout(timer); timer = setTimeout(fit, 400); });
  function press(label) {
    const buttons = Array.from(doc.querySelectorAll('button'));
    const target = buttons.find(b => b.innerText.trim().startsWith(label));
    if (target) target.click();
    return Boolean(target);
  }
  doc.addEventListener('keydown', function (event) {
    if (event.target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(event.target.tagName)) return;
    if (!doc.querySelector('.diapo-entete')) return;
    if (event.key === 'ArrowRight' || event.key === 'PageDown') { press('Suivante'); event.preventDefault(); }
    if (event.key === 'ArrowLeft' || event.key === 'PageUp') { press('Précédente'); event.preventDefault(); }
    if (event.key === ' ') { press('Pause') || press('Reprendre'); event.preventDefault(); }
  });
})();
</script>"""


def js_value(value: object) -> str:
    """``value`` as a JavaScript literal (JSON) that nothing in it can end (every ``<`` escaped)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def cookie_script(name: str, value: str, max_age_s: int) -> str:
    """Sets a first-party cookie of the page unless the browser already sends one by that name.

    ``name`` and ``value`` are written by :func:`js_value`: nothing in them can end the script.
    """
    return (
        "<script>(function () { const name = " + js_value(name) + ", value = " + js_value(value) + ";"
        " if (!document.cookie.split('; ').some((c) => c.startsWith(name + '=')))"
        f" {{ document.cookie = name + '=' + value + '; path=/; max-age={int(max_age_s)}; SameSite=Lax'; }} }})();"
        "</script>"
    )


# --------------------------------------------------------------------------- putting them in the page


def style(css: str) -> None:
    """Styles on Streamlit's markup, in the page (no script)."""
    st.html(css)


def run(*scripts: str) -> None:
    """Scripts in the page, in one element (one element: no extra gap between the page's blocks).

    The only call of ``unsafe_allow_javascript`` in the app: every script comes from this package,
    and anything dynamic in it is written as JSON.
    """
    st.html("".join(scripts), unsafe_allow_javascript=True)


def to_the_top(count: int) -> str:
    """The to-the-top script of the view numbered ``count``: its text differs from one view to the next."""
    return _TO_THE_TOP.replace("__VUE__", str(int(count)))


def every_page(own_css: str, *, from_outside: bool, count: int) -> None:
    """Every page's styles, French and named regions; the top for a view opened from outside.

    ``own_css``: the pages' own classes, in the same element. ``count`` numbers the to-the-top script:
    the browser runs it again only if the element changed.
    """
    from cartographie.ui.adaptateur import francais

    style(PAGE_CSS + own_css)
    extra = to_the_top(count) if from_outside else ""
    run(francais.script(), _ACCESSIBILITY, extra)


def projector_screen(scale: float, own_css: str, *, projector: bool = False) -> None:
    """A screen for a projector (slides, the room's keywords): chrome hidden, keyboard, French, named regions.

    ``own_css``: the screen's own classes (:func:`cartographie.rendu.presentation.screen_css`), in the
    same element as Streamlit's.
    """
    from cartographie.ui.adaptateur import francais

    style(screen_chrome_css(scale) + (projector_css(scale) if projector else "") + own_css)
    run(_SLIDES_KEYBOARD, francais.script(), _ACCESSIBILITY)


def set_cookie(name: str, value: str, max_age_s: int) -> None:
    """A first-party cookie set by the page (see :func:`cookie_script`)."""
    run(cookie_script(name, value, max_age_s))
