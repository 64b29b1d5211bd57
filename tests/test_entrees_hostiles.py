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


def hand_made_workbook(sheet_xml: str | bytes, *, declared: str = "A1") -> bytes:
    """A valid .xlsx (written by openpyxl) whose sheet is replaced by the XML given: a hostile file is written
    by hand, not by Excel."""
    import zipfile

    import openpyxl

    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    head = f'<worksheet xmlns="{main}"><dimension ref="{declared}"/><sheetData>'.encode()
    body = sheet_xml.encode() if isinstance(sheet_xml, str) else sheet_xml
    buffer = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = head + body + b"</sheetData></worksheet>"
            archive.writestr(item.filename, data)
    return buffer.getvalue()


def _cell(reference: str, text: str = "x") -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


@pytest.mark.parametrize(
    ("sheet", "declared", "expected"),
    [
        (
            f'<row r="1">{_cell("A1")}</row><row r="1048576">{_cell("XFD1048576")}</row>',
            "A1:XFD1048576",
            "ligne 1\u202f048\u202f576",
        ),
        (f'<row r="1">{_cell("A1")}{_cell("XFD1")}</row>', "A1", "colonne n°16\u202f384"),
        ("".join(f'<row r="{i}">{_cell(f"A{i}")}</row>' for i in range(1, 200_002)), "A1:A2", "au plus 10\u202f000"),
        (
            f'<row r="1">{_cell("A1")}</row><row r="2000000">{_cell("A2000000")}</row>',
            "A1",
            "ligne 2\u202f000\u202f000",
        ),
    ],
    ids=["derniere-cellule", "derniere-colonne", "dimension-mensongere-200000", "au-dela-du-tableur"],
)
def test_a_hostile_workbook_is_refused_before_being_loaded(sheet, declared, expected):
    from cartographie.lecture.enquete_import import SurveyFileError, read_survey_file

    raw = hand_made_workbook(sheet, declared=declared)
    with pytest.raises(SurveyFileError) as refusal:
        read_survey_file(raw, "hostile.xlsx")
    assert expected in str(refusal.value), str(refusal.value)


def test_a_workbook_bomb_is_refused_by_its_decompressed_size():
    from cartographie.lecture import enquete_import
    from cartographie.lecture.enquete_import import SurveyFileError, read_survey_file

    raw = hand_made_workbook(b" " * (enquete_import.MAX_UNZIPPED + 1))
    assert len(raw) < 1_000_000
    with pytest.raises(SurveyFileError, match="trop volumineux une fois décompressé"):
        read_survey_file(raw, "bombe.xlsx")


def test_a_contributor_s_html_never_becomes_a_link_in_a_chart():
    import networkx as nx

    from cartographie.rendu.graphiques import network_figure, plain_label

    assert plain_label('<a href="http://x">clic</a>') == '‹a href="http://x"›clic‹/a›'
    graph = nx.Graph()
    graph.add_node("experience:1", label="Expérience", kind="experience")
    graph.add_node("acteur:x", label='<a href="http://x">Asso</a>', kind="acteur", type="association")
    graph.add_edge("experience:1", "acteur:x", role="porteur")
    figure = network_figure(graph, {"experience:1": (0, 0), "acteur:x": (1, 1)})
    drawn = " ".join(str(t.text) + str(t.hovertext) for t in figure.data)
    assert "<a" not in drawn and "‹a href" in drawn
