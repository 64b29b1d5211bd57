"""Lists where one chooses several answers: each chosen by the person, never all at once, and said in French."""

from __future__ import annotations

from tests.aides.navigateur import click_at_rest, wait_for_app


def test_typing_a_department_then_enter_picks_that_department_only(page, server_url):
    page.goto(f"{server_url}/carte", wait_until="domcontentloaded")
    wait_for_app(page)
    box = page.locator(".st-key-filtre_departements").get_by_role("combobox")
    click_at_rest(page, box)
    box.press_sequentially("Moselle", delay=30)
    page.get_by_role("option").filter(has_text="Moselle").first.wait_for(timeout=30_000)
    box.press("Enter")  # two departments match (Moselle, Meurthe-et-Moselle): Enter picks the first, not both
    box.press("Escape")
    page.wait_for_url("**dep=**", timeout=30_000)
    wait_for_app(page)
    chosen = page.url.split("dep=")[1].split("&")[0]
    assert "," not in chosen and "%2C" not in chosen, page.url
    page.get_by_text("quartiers prioritaires sur 123").first.wait_for(timeout=30_000)
    assert "44 quartiers prioritaires" not in page.evaluate("document.body.innerText")


def test_a_survey_question_offers_no_select_all_and_says_its_limit_in_french(page, server_url):
    page.goto(f"{server_url}/enquete", wait_until="domcontentloaded")
    wait_for_app(page)
    box = page.locator(".st-key-q_leviers").get_by_role("combobox")
    click_at_rest(page, box)
    listbox = page.get_by_role("listbox").first
    listbox.wait_for(timeout=30_000)
    offered = listbox.inner_text()
    assert "Tout sélectionner" not in offered and "Select all" not in offered
    for option in ("Un objectif partagé", "Un financement commun", "Se connaître entre professionnels"):
        box.press_sequentially(option[:12], delay=20)
        page.get_by_role("option", name=option, exact=True).click()
    page.get_by_text("3 réponses au plus : retirez-en une avant d'en choisir une autre.").wait_for(timeout=30_000)
    assert "You can only select" not in page.evaluate("document.body.innerText")
