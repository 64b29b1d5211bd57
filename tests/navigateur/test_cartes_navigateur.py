"""Every page holding a map, as a user sees it in Chromium: walked once (accessible, French, offline), its
map legible at three screen sizes (named, never hidden by its legend), a deep link landing on its sheet.

Also the keyboard path to a QPV and a click on a QPV's symbol. The slides' map is measured with the slides
(``test_presentation_navigateur.py``), a QPV's sheet and its journey to its contrat with its figures
(``test_habitants_navigateur.py``).
"""

from __future__ import annotations

import pytest

from tests.aides.cartes import BIG_CITIES, SIZES, check_map, check_scene, map_ready, resize
from tests.aides.navigateur import (
    ARTIFACTS,
    MAP_FRAME,
    QPV_DRAWN,
    assert_in_first_screen,
    external_requests,
    print_sheet,
    wait_for_app,
)
from tests.aides.parcours import axe_and_cut_problems, french_problems, open_walked

#: Every page holding a map: (name, address, what its features are besides the QPV, names it must write, the
#: heading a link to it lands on).
MAPS = [
    ("carte", "/carte", "", BIG_CITIES, None),
    ("contrat", "/contrats?contrat=CN05403M", "", {"Nancy"}, "54 - Métropole du Grand Nancy"),
    ("rencontres", "/rencontres?evt=journee-2025-10-02", ".carto-rencontre", set(),
     "2e journée régionale des contrats de ville"),
    ("cooperations", "/cooperations?exp=vandoeuvre-tfpb", ".carto-experience", set(), "abattement de TFPB"),
]  # fmt: skip


def _first_visit(page) -> None:
    """/carte as it opens: the app's own navigation, no dialog, a large map drawing every QPV, Leaflet served here."""
    # Links are named by their words only (the icon's ligature, « map », is not read out). The menu is
    # drawn link by link: read it once its first and last links are there.
    page.get_by_role("link", name="Carte des QPV", exact=True).wait_for(timeout=10_000)
    page.get_by_role("link", name="Accueil", exact=True).wait_for(timeout=10_000)
    navigation = page.locator(".st-key-menu").inner_text()
    assert "Carte des QPV" in navigation and "Accueil" in navigation
    assert page.locator('[data-testid="stDialog"]').count() == 0
    box = page.locator(MAP_FRAME).bounding_box()
    assert box["height"] >= 400 and box["width"] >= 400
    # Each QPV is drawn once: its polygon, or (seen from afar, as here) its symbol.
    assert page.frame_locator(MAP_FRAME).locator(QPV_DRAWN).count() == 123
    page.screenshot(path=str(ARTIFACTS / "carte.png"), full_page=True)
    assert any(u.endswith("/app/static/leaflet/leaflet.js") for u in page.requests)


@pytest.mark.parametrize(("name", "address", "others", "named", "heading"), MAPS, ids=[m[0] for m in MAPS])
def test_every_page_with_a_map_is_walked_and_its_map_is_legible_at_three_sizes(
    page, server_url, axe_source, name, address, others, named, heading
):
    open_walked(page, f"{server_url}{address}")
    if heading:  # a link from outside lands on its sheet, in the first screen, brought to the top by the page
        assert_in_first_screen(page, heading)
        page.wait_for_function("() => (window.cartoHautCompte || 0) >= 1", timeout=30_000)
    problems = axe_and_cut_problems(page, axe_source, address)
    page.locator(MAP_FRAME).first.scroll_into_view_if_needed()
    map_ready(page)
    if name == "carte":
        _first_visit(page)
    # The page's own size (1440×900) first, then the others: the window is resized, as a person does.
    for width, height in sorted(SIZES, key=lambda size: size != (1440, 900)):
        resize(page, width, height)
        check_map(page, name, others, region=name == "carte", named=named)
        if name == "carte":  # at the region's opening zoom no symbol hides another, no name hides anything
            check_scene(page, expected=123, zoom=6)
    if others:  # the chosen meeting or experience stands out
        assert page.frame_locator(MAP_FRAME).first.locator(".carto-choisi, .carto-experience").count() >= 1
    resize(page, 1440, 900)
    if name == "contrat":  # its printable sheet, from its page
        print_sheet(page, "Télécharger la fiche du contrat à imprimer (PDF, A4)", "Métropole du Grand Nancy")
    problems += french_problems(page, address)  # last: it opens the page's lists and menus
    assert problems == [], "\n".join(problems)
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
    map_ready(page)
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
    map_ready(page)
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
