"""Printable sheets (PDF): built from the same domain functions as the screen, so the figures agree."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from cartographie.domaine.formats import format_euros, format_nombre
from cartographie.domaine.indicateurs import contrat_sheet, credits_history, qpv_sheet
from cartographie.rendu.fiche_pdf import contrat_sheet_pdf, departement_sheet_pdf, qpv_sheet_pdf, to_pdf


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


def test_the_contrat_sheet_prints_the_screen_s_figures(reference, registries):
    pdf = to_pdf(contrat_sheet_pdf(reference, "CN05403M", *registries))
    text = _text(pdf)
    screen = contrat_sheet(reference, "CN05403M")
    assert screen.nom in text and "Contrat de ville 2024–2030".upper() in text
    assert f"Quartiers prioritaires 2024 : {len(screen.qpv)}" in text
    assert _plain(format_nombre(screen.population.valeur)) in text
    assert all(code in text for code in screen.qpv["code_qp"])
    history = credits_history(reference, "CN05403M")
    assert all(_plain(format_euros(v)) in text for v in history["Montant (€)"])
    assert "données douteuses dans la source" in text  # the FONJEP duplicates of the source are said
    assert "Vandœuvre-lès-Nancy" in text and "Source : ANCT" in text and "fiche du" in text
    assert len(pdf) < 600_000 and len(PdfReader(io.BytesIO(pdf)).pages) <= 6


def test_the_qpv_and_department_sheets_print_theirs(reference, registries):
    qpv = _text(to_pdf(qpv_sheet_pdf(reference, "QN05415M", *registries)))
    screen = qpv_sheet(reference, "QN05415M")
    assert screen.nom in qpv and screen.statut in qpv and screen.contrat_nom in qpv
    department = _text(to_pdf(departement_sheet_pdf(reference, "57", *registries)))
    moselle = reference.qpv[reference.qpv["insee_dep"] == "57"]
    assert f"Quartiers prioritaires 2024 : {len(moselle)}" in department
    assert all(code in department for code in moselle["code_qp"])


def test_an_unknown_code_is_refused(reference, registries):
    with pytest.raises(KeyError):
        contrat_sheet_pdf(reference, "CN99999X", *registries)
