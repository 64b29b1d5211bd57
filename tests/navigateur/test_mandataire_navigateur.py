"""The room's deployment as ``python -m cartographie.mandataire`` starts it: nginx (Debian) in front of two app
processes on one PostgreSQL database, in real Chromium.

A phone kept on process A sends a keyword that the projector, kept on process B, shows; the QR
code carries the public address given to the proxy; Streamlit's interface comes compressed and
cached for a year, and a phone's first visit stays under 1 MB; every icon is drawn by the proxy's
cut-down icon font.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.request
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from cartographie import config
from cartographie.mandataire import ROUTE_COOKIE, nginx_binary, start, stop
from outils.serveur_local import free_port, wait_until_healthy
from tests.aides.navigateur import ARTIFACTS, CHART_WRITES, external_requests, send_keyword, wait_for_app

SESSION = "mandataire"
#: The address the QR codes must carry (a documentation address: nothing is ever sent there).
PUBLIC = "https://salle.exemple.fr"


@pytest.fixture(scope="module")
def proxy(site, server_environment):
    """nginx on a free port in front of two processes on a new PostgreSQL database; yields its address."""
    server = os.environ.get("CARTOGRAPHIE_TEST_POSTGRES", "")
    missing = [what for what, ok in (("PostgreSQL", server), ("nginx", nginx_binary())) if not ok]
    if missing:
        message = f"{' et '.join(missing)} absent(s) : ./scripts/tests.sh les installe."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    name = f"cartographie_mandataire_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    env = {**server_environment, config.DATABASE_URL_ENV: server.rsplit("/", 1)[0] + f"/{name}"}
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="cartographie-mandataire-"))  # in /tmp: nginx's workers reach it
    processes = start(processes=2, port=port, folder=folder, public=PUBLIC, env=env, site=site.parent,
                      app_ports=[free_port(), free_port()])  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until_healthy(url, processes[-1], timeout=90), "mandataire non démarré"
        yield url
    finally:
        stop(processes)
        shutil.rmtree(folder, ignore_errors=True)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _routes(url: str) -> dict[str, str]:
    """A route cookie for each app process (found by asking the proxy which process answers each)."""
    found: dict[str, str] = {}
    for n in range(64):
        request = urllib.request.Request(f"{url}/_stcore/health", headers={"Cookie": f"{ROUTE_COOKIE}=essai{n}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            found.setdefault(response.headers["X-Cartographie-Processus"], f"essai{n}")
        if len(found) == 2:
            return found
    raise AssertionError(f"un seul processus derrière le mandataire : {found}")


def _kept_on(browser, url: str, route: str, viewport: dict):
    """A new browser (its own cookies) that the proxy keeps on one process, counting the bytes it receives."""
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": url}])
    page = context.new_page()
    page.requests, page.received, page.static = [], [0], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("response", lambda r: page.static.append(r) if "/static/js/" in r.url else None)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on(
        "Network.loadingFinished",
        lambda event: page.received.__setitem__(0, page.received[0] + event["encodedDataLength"]),
    )
    return context, page


def test_a_keyword_sent_through_process_a_shows_on_a_projector_served_by_process_b(browser, proxy):
    first, second = _routes(proxy).values()
    screen_context, screen = _kept_on(browser, proxy, second, {"width": 1920, "height": 1080})
    screen.goto(f"{proxy}/direct?session={SESSION}&ecran=1", wait_until="domcontentloaded")
    expected = f"{PUBLIC}/direct?session={SESSION}"
    screen.locator(f'img[alt="Code QR qui ouvre l\'adresse {expected}"]').wait_for(timeout=60_000)
    phone_context, phone = _kept_on(browser, proxy, first, {"width": 412, "height": 915})
    phone.goto(f"{proxy}/direct?session={SESSION}", wait_until="domcontentloaded")
    phone.get_by_label("Votre mot-clé").wait_for(timeout=60_000)
    send_keyword(phone, "Réciprocité")
    screen.wait_for_function(CHART_WRITES, arg="Réciprocité", timeout=12_000)  # one 5-s interval, and slack
    # Streamlit's interface: compressed in advance, kept a year; the first visit of a phone under 1 MB.
    bundle = next(r for r in phone.static if r.url.endswith(".js"))
    assert bundle.header_value("content-encoding") in ("br", "gzip")  # brotli with Debian's module
    assert "immutable" in (bundle.header_value("cache-control") or "")
    print(f"Première visite d'un téléphone par le mandataire : {phone.received[0]:_} octets reçus")
    assert phone.received[0] <= 1_000_000  # headers included (1 MB: 10⁶ bytes)
    assert external_requests(phone) == [] and external_requests(screen) == []
    phone_context.close()
    screen_context.close()


#: Every text drawn in Streamlit's icon font, with its width against its font size: an icon is about one
#: em wide; a name the cut-down font lacks would be drawn as its letters (« expand_more »), several ems.
#: The text itself is measured (a range), not its box: Streamlit's icon box has a fixed width that the
#: letters overflow.
ICON_WIDTHS = """() => [...document.querySelectorAll('body *')]
  .filter((el) => el.childElementCount === 0 && el.textContent.trim()
    && getComputedStyle(el).fontFamily.includes('Material Symbols'))
  .map((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const r = range.getBoundingClientRect();
    return [el.textContent.trim(), r.width / parseFloat(getComputedStyle(el).fontSize), r.width > 0];
  })"""


@pytest.mark.parametrize(
    ("path", "viewport"),
    [
        ("/", {"width": 1280, "height": 900}),  # the menu: every page's icon
        ("/carte", {"width": 1280, "height": 900}),  # the filters and the sheet: Streamlit's own icons
        ("/direct?session=icones", {"width": 412, "height": 915}),  # a phone's
    ],
)
def test_every_icon_is_drawn_by_the_cut_down_font(browser, proxy, path, viewport):
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    page = context.new_page()
    fonts, page.requests = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("response", lambda r: fonts.append(r) if "MaterialSymbols" in r.url else None)
    page.goto(f"{proxy}{path}", wait_until="domcontentloaded")
    page.locator("h1").first.wait_for(timeout=60_000)
    wait_for_app(page)
    drawn = []
    if path.startswith("/direct"):  # a phone's page: its icons are in its answers and behind a toggle
        send_keyword(page, "Confiance")
        page.get_by_label("Votre mot-clé").fill("Écoute")  # at once: « réessayez dans… », with its own icon
        page.get_by_role("button", name="Envoyer").click()
        page.get_by_text("réessayez").first.wait_for(timeout=30_000)
        page.evaluate("document.fonts.ready.then(() => true)")
        drawn += page.evaluate(ICON_WIDTHS)
        page.get_by_text("Voir les mots de la salle").click()
        page.get_by_role("button", name="Actualiser").wait_for(timeout=30_000)
    page.evaluate("document.fonts.ready.then(() => true)")
    assert fonts and int(fonts[0].header_value("content-length")) < 100_000  # the cut-down copy
    assert fonts[0].header_value("cache-control") == "no-cache"  # never kept stale under Streamlit's name
    drawn += page.evaluate(ICON_WIDTHS)
    name = path.strip("/").split("?")[0] or "accueil"
    page.screenshot(path=str(ARTIFACTS / f"mandataire-icones-{name}-{viewport['width']}.png"))
    assert any(shown for *_, shown in drawn), "aucune icône affichée"
    wide = [(text, round(ems, 1)) for text, ems, shown in drawn if shown and ems > 1.6]
    assert wide == [], f"icônes écrites en toutes lettres : {wide}"
    assert external_requests(page) == []
    context.close()


def test_a_phone_that_comes_back_asks_again_only_for_the_page_and_the_icon_font(proxy):
    from outils.bench_salle import browser_visits, participant, run_apart

    first, again = browser_visits(proxy, "revisite")
    assert len(first) > 50 and all(not conditional for _, conditional in first)
    assert not [path for path, _ in again if path.startswith("/static/js/")]  # kept a year: not asked again
    font = [conditional for path, conditional in again if "MaterialSymbols" in path]
    assert font and any(h.startswith("if-none-match: ") for h in font[0])  # revalidated (no-cache), not fetched
    phone = run_apart(participant(proxy, "revisite", "Retour", 0, 60, again))
    assert phone.error == "" and phone.acknowledged is not None
    print(f"Revisite d'un téléphone par le mandataire : {phone.bytes_http + phone.bytes_ws:_} octets reçus")
    assert phone.bytes_http < 20_000  # the page, a 304 for the font, Streamlit's small answers
