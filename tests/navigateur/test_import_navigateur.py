"""An editor imports survey answers through the real upload widget: a bad file writes nothing, a good one imports.

The import page, signed in, is walked here for everything a browser can tell (axe, French, cut text).
"""

from __future__ import annotations

from tests.aides.enquete import HEADER, ROW, csv_bytes
from tests.aides.navigateur import ARTIFACTS, sign_in_editor, wait_for_app
from tests.aides.parcours import axe_and_cut_problems, english_shown, french_problems, ready


def _upload(page, name: str, raw: bytes, mime: str = "text/csv") -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": raw}]
    )
    # Sent once its name is listed under the field; then the run it starts.
    page.locator('[data-testid="stFileUploader"]').get_by_text(name).first.wait_for(timeout=30_000)
    wait_for_app(page)


def test_an_editor_imports_a_survey_export_and_the_results_follow(page, server_url, axe_source):
    page.goto(f"{server_url}/importer", wait_until="domcontentloaded")
    wait_for_app(page)
    sign_in_editor(page)
    page.get_by_text("Fichier de réponses").wait_for(timeout=30_000)
    ready(page)
    problems = axe_and_cut_problems(page, axe_source, "/importer (connecté)")
    # Files the browser refuses by itself (too large, not a type the field takes) are said in French.
    refused = {}
    for name, mime, size in (("export.csv", "text/csv", 21 * 2**20), ("carte.geojson", "application/geo+json", 10)):
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": name, "mimeType": mime, "buffer": b"a" * size}]
        )
        uploader = page.locator('[data-testid="stFileUploader"]')
        uploader.get_by_text(name).first.hover()  # the browser's refusal is said in a tooltip
        page.get_by_text("Fichier refusé").first.wait_for(timeout=30_000)
        refused[name] = english_shown(page)
        uploader.get_by_role("button", name=f"Retirer {name}").click()
    assert not any(refused.values()), refused

    bad = list(ROW)
    bad[5] = "tous les jours"
    _upload(page, "export.csv", csv_bytes([HEADER, ROW, bad]))
    page.get_by_text("1 ligne(s) refusée(s) : rien ne sera écrit").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Importer les").count() == 0

    _upload(page, "export-utf16.csv", "\n".join(";".join(r) for r in [HEADER, ROW]).encode("utf-16"))
    page.get_by_text("Fichier refusé, rien n'a été écrit").wait_for(timeout=30_000)
    assert "UTF-16" in page.locator('[data-testid="stAlert"]').filter(has_text="Fichier refusé").first.inner_text()

    _upload(page, "export-excel.csv", csv_bytes([HEADER, ROW, ROW], encoding="cp1252"))
    page.get_by_text("2 réponse(s) valide(s)").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "import-enquete.png"), full_page=True)
    page.get_by_role("button", name="Importer les 2 réponses").click()
    page.get_by_text("2 réponse(s) importée(s)").wait_for(timeout=30_000)
    problems += french_problems(page, "/importer (connecté)")  # its reports' words too
    assert problems == [], "\n".join(problems)

    page.goto(f"{server_url}/resultats", wait_until="domcontentloaded")
    wait_for_app(page)
    page.get_by_text("réponses saisies dans l'application ou importées").wait_for(timeout=30_000)
    # Two answers: the results are not public (a new visit is not signed in), and no demo replaces them.
    page.get_by_text("ses résultats ne sont pas publiés").wait_for(timeout=30_000)
    assert page.locator(".gtitle").count() == 0
    assert page.get_by_text("Données fictives de démonstration").count() == 0
