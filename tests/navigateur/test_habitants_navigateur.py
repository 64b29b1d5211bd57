"""Who lives in a QPV, as a policy officer reads it: the sheet's four figures, a comparable neighbourhood, the map."""

from __future__ import annotations

from tests.aides.navigateur import ARTIFACTS, MAP_FRAME, click_at_rest, external_requests, open_map, wait_for_app


def _plain(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_a_qpv_sheet_says_who_lives_there_and_leads_to_a_comparable_neighbourhood(page, server_url):
    page.goto(f"{server_url}/carte?qpv=QN05415M", wait_until="domcontentloaded")
    heading = page.locator('[data-testid="stHeading"]', has_text="Plateau De Haye Nancy - Maxéville").first
    heading.wait_for(timeout=60_000)
    wait_for_app(page)
    sheet = _plain(page.locator('[data-testid="stMain"]').inner_text())
    for fact in ("Population du quartier : 5 746", "Taux de pauvreté : 55 %", "Taux d'emploi : 37,3 %",
                 "Indice de jeunesse : 1,8"):  # fmt: skip
        assert fact in sheet, fact
    assert "RemiG1984/MaFrance" in sheet and "millésime non précisé par la source" in sheet
    assert "Quartiers comparables, pour coopérer" in sheet and "hors de son contrat de ville" in sheet
    page.screenshot(path=str(ARTIFACTS / "fiche-qpv-habitants.png"), full_page=True)
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
