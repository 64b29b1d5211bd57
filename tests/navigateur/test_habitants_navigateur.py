"""Who lives in a QPV, as a policy officer reads it: the sheet's four figures, a comparable neighbourhood, the map."""

from __future__ import annotations

from tests.aides.cartes import map_ready
from tests.aides.navigateur import (
    ARTIFACTS,
    MAP_FRAME,
    assert_in_first_screen,
    click_at_rest,
    external_requests,
    open_map,
    print_sheet,
    wait_for_app,
)
from tests.aides.parcours import check_page, open_walked


def _plain(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_a_qpv_sheet_is_walked_says_who_lives_there_and_leads_to_its_contrat_and_a_comparable_neighbourhood(
    page, server_url, axe_source
):
    """The sheet of a QPV as a délégué du préfet opens it from a link: checked once for everything a browser can
    tell (axe, French, cut text), its four figures and their source, then its contrat and a meeting of the contrat
    and back in one tab, then a comparable neighbourhood's sheet."""
    open_walked(page, f"{server_url}/carte?qpv=QN05415M")
    page.locator('[data-testid="stHeading"]', has_text="Plateau De Haye Nancy - Maxéville").first.wait_for()
    map_ready(page)  # the page at rest: no rerun in flight that could rewrite the address after a click
    problems = check_page(page, axe_source, "/carte?qpv=QN05415M")
    assert problems == [], "\n".join(problems)
    sheet = _plain(page.locator('[data-testid="stMain"]').inner_text())
    for fact in ("Population du quartier : 5 746", "Taux de pauvreté : 55 %", "Taux d'emploi : 37,3 %",
                 "Indice de jeunesse : 1,8"):  # fmt: skip
        assert fact in sheet, fact
    assert "RemiG1984/MaFrance" in sheet and "millésime non précisé par la source" in sheet
    assert "Quartiers comparables, pour coopérer" in sheet and "hors de son contrat de ville" in sheet
    page.screenshot(path=str(ARTIFACTS / "fiche-qpv-habitants.png"), full_page=True)
    print_sheet(page, "Télécharger la fiche du quartier à imprimer (PDF, A4)", "Plateau De Haye Nancy")
    # Its contrat, a meeting of the contrat, and back twice, in one tab.
    wait_for_app(page)
    click_at_rest(page, page.get_by_role("link", name="Fiche du contrat de ville"))
    page.wait_for_url("**/contrats?contrat=CN05403M**", timeout=30_000)
    assert_in_first_screen(page, "54 - Métropole du Grand Nancy")
    click_at_rest(page, page.get_by_role("link", name="27 septembre 2022 – Journée régionale").first)
    assert_in_first_screen(page, "Acteurs en quartiers populaires")
    # Each of the three views opened from a link (the QPV, its contrat, the meeting) was held at its top.
    page.wait_for_function("() => new Set(window.cartoHautVues || []).size === 3", timeout=30_000)
    assert "evt=journee-2022-09-27" in page.url
    assert len(page.context.pages) == 1  # no new tab
    page.go_back()
    assert_in_first_screen(page, "54 - Métropole du Grand Nancy")
    page.go_back()
    page.locator('[data-testid="stHeading"]', has_text="Plateau De Haye").first.wait_for(timeout=30_000)
    assert "qpv=QN05415M" in page.url
    wait_for_app(page)
    # The first comparable neighbourhood, outside the Grand Nancy's contrat: its own sheet opens.
    first = page.get_by_role("button", name="Justice-Saut le Cerf (Épinal)", exact=False).first
    click_at_rest(page, first)
    page.wait_for_url("**qpv=QN08802M**", timeout=30_000)
    page.locator('[data-testid="stHeading"]', has_text="Justice-Saut le Cerf").first.wait_for(timeout=30_000)
    assert external_requests(page) == []


def test_the_map_colours_its_qpv_by_the_indicator_a_user_picks(page, server_url):
    frame = open_map(page, server_url)
    picker = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text="Couleur des quartiers"
    )
    click_at_rest(page, picker.locator("input").first)
    page.get_by_role("option", name="Taux de pauvreté (INSEE)").click()
    page.wait_for_url("**ind=taux_pauvrete**", timeout=30_000)
    wait_for_app(page)
    # Five QPV have no published rate: drawn in the « non diffusé » grey, named so in the legend.
    frame.locator('path.carto-qpv-symbole[fill="#6b6b6b"]').nth(4).wait_for(state="attached", timeout=30_000)
    assert frame.locator('path.carto-qpv-symbole[fill="#6b6b6b"]').count() == 5
    legend = _plain(page.locator(".carto-legende").first.inner_text())
    assert "Taux de pauvreté des quartiers" in legend and "Non diffusé (secret statistique) : 5 quartiers" in legend
    page.screenshot(path=str(ARTIFACTS / "carte-taux-pauvrete.png"))
    assert page.locator(MAP_FRAME).count() == 1 and external_requests(page) == []


def test_on_a_phone_the_sheet_says_the_four_figures_and_the_comparable_neighbourhoods(browser, server_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        phone = context.new_page()
        phone.goto(f"{server_url}/carte?qpv=QN05415M", wait_until="domcontentloaded")
        phone.locator('[data-testid="stHeading"]', has_text="Plateau De Haye").first.wait_for(timeout=60_000)
        wait_for_app(phone)
        sheet = _plain(phone.locator('[data-testid="stMain"]').inner_text())
        assert "Population du quartier : 5 746" in sheet and "Quartiers comparables, pour coopérer" in sheet
        # Nothing wider than the phone: the page does not scroll sideways.
        assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
        phone.screenshot(path=str(ARTIFACTS / "fiche-qpv-habitants-telephone.png"), full_page=True)
    finally:
        context.close()
