"""Hostile and broken inputs, case by case: each gets a French message or is made harmless, nothing is lost.

The property-based test (``tests/test_fuzz.py``) generates many more from the valid inputs.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from cartographie.domaine.contributions import ValidationError, validate_experience, validate_keyword
from cartographie.domaine.salle import session_name
from cartographie.domaine.texte import control_characters, spreadsheet_safe
from cartographie.lecture.exports import neutralise_formulas, to_csv_excel


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x","clic")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"])
def test_formula_like_cells_are_neutralised_in_every_csv(cell):
    assert spreadsheet_safe(cell) == "'" + cell
    assert neutralise_formulas(pd.DataFrame({"x": [cell]}))["x"].iloc[0] == "'" + cell
    written = to_csv_excel(pd.DataFrame({"x": [cell]})).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(written), delimiter=";"))[1] == ["'" + cell]


def test_control_characters_are_refused_in_every_text_field():
    assert control_characters("a\x00b") and control_characters("a\x1bb") and control_characters("a\nb")
    assert not control_characters("a\nb\tc", multiline=True) and control_characters("a\x00b", multiline=True)
    base = {"titre": "T", "resume": "R\nsur deux lignes", "territoires": [], "hors_region": True, "statut": "idee"}
    validate_experience(base)  # line breaks are fine in a summary
    for field in ("titre", "resume"):
        with pytest.raises(ValidationError, match="caractère de contrôle"):
            validate_experience({**base, field: "x\x00y"})
    with pytest.raises(ValidationError, match="contrôle"):
        validate_keyword("mo\x00t")


@pytest.mark.parametrize(
    "raw",
    ["[Votez ici](http://exemple.org)", "\x00x", "<b>x</b>", "a" * 61, "", "   "],
)
def test_a_session_name_that_is_not_one_is_refused(raw):
    assert session_name(raw) is None


def test_a_session_name_keeps_letters_digits_and_dashes():
    assert session_name(" Journée  régionale 2025-10-02 ") == "Journée régionale 2025-10-02"
