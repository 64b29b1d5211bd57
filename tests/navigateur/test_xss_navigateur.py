"""User text is shown as text everywhere it is rendered (sheet, map tooltip and popup)."""

from __future__ import annotations

from tests.aides.navigateur import ARTIFACTS, MAP_FRAME, XSS_TITLE, external_requests, wait_for_app


def test_a_contributors_text_stays_text_in_the_sheet_and_the_map_and_only_a_named_host_is_a_link(page, server_url):
    page.goto(f"{server_url}/cooperations?exp=contribution-1", wait_until="domcontentloaded")
    wait_for_app(page)
    page.locator('[data-testid="stHeading"]', has_text=XSS_TITLE).first.wait_for(timeout=60_000)
    frame = page.frame_locator(MAP_FRAME).nth(0)
    frame.locator(".carto-experience").first.wait_for(state="attached", timeout=60_000)
    handle = page.locator(MAP_FRAME).first.element_handle().content_frame()
    # Open the tooltip and the popup of the injected experience's marker, as a hover and a click would.
    opened = handle.evaluate(
        """() => {
            let cible = null;
            window.map.eachLayer((l) => {
                const bulle = l.getTooltip && l.getTooltip();
                if (bulle && String(bulle.getContent()).includes("__xss")) { cible = l; }
            });
            if (!cible) { return false; }
            cible.openTooltip();
            cible.openPopup();
            return true;
        }"""
    )
    assert opened
    assert XSS_TITLE in frame.locator(".leaflet-tooltip").last.inner_text()
    assert XSS_TITLE in frame.locator(".leaflet-popup-content").first.inner_text()
    assert frame.locator("img[src='x']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "cooperations-xss.png"))
    assert page.evaluate("() => window.__xss") is None
    assert handle.evaluate("() => window.__xss") is None
    assert page.locator("img[src='x']").count() == 0
    # Its summary and sources: a decimal-IP address is never a link, escapes never show, a source's address
    # shows its host.
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Essai d'injection").first.wait_for(timeout=60_000)
    text = main.inner_text()
    assert "\\" not in text  # no escape shows (« Saint\\-Dié »)
    assert "Saint-Dié, a_b, 1.5" in text.replace("\u2060", "")
    assert page.locator('a[href*="3232235777"]').count() == 0  # in the summary and in the sources alike
    links = page.locator('a[href^="https://www.exemple.fr/"]')
    assert links.count() == 1 and links.first.inner_text() == "www.exemple.fr"
    assert page.locator('a[href^="http://www.exemple.fr"], a[href="http://www.exemple.fr"]').count() == 0
    assert external_requests(page) == []
