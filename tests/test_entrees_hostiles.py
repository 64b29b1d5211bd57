"""Hostile and broken inputs, case by case: each gets a French message or is made harmless, nothing is lost.

The property-based test (``tests/test_fuzz.py``) generates many more from the valid inputs.
"""

from __future__ import annotations

import csv
import io
import json

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


# --------------------------------------------------------------------------- bounded before the work, in linear time


def test_a_csv_wider_than_300_columns_is_refused_before_its_rows_are_read():
    from cartographie.lecture.tableur import TabularFileError, read_csv

    raw = (";".join(f"c{i}" for i in range(20_000)) + "\n" + ";".join("x" for _ in range(20_000)) + "\n").encode()
    with pytest.raises(TabularFileError, match="20\u202f000 colonnes ; un fichier en a au plus 300"):
        read_csv(raw)
    with pytest.raises(TabularFileError, match="l'en-tête\\) dépasse 300\u202f000 caractères"):
        read_csv((";" * 400_000 + "\n").encode())


def test_a_csv_s_rows_are_counted_as_they_are_read():
    from cartographie.lecture.tableur import TabularFileError, read_csv

    with pytest.raises(TabularFileError, match="plus de 5 lignes"):
        read_csv(("a;b\n" + "1;2\n" * 1_000).encode(), max_rows=5)
    assert len(read_csv(("a;b\n" + "1;2\n" * 5).encode(), max_rows=5)[0]) == 5


def test_a_cell_longer_than_the_reader_accepts_is_named_for_what_it_is():
    from cartographie.lecture.tableur import TabularFileError, read_csv

    with pytest.raises(TabularFileError, match="une cellule dépasse 131\u202f072 caractères") as error:
        read_csv(('a;b\n"' + "x" * 200_000 + '";y\n').encode())
    assert "guillemet" not in str(error.value)


def test_excel_text_cells_are_unwrapped_without_a_regular_expression():
    from cartographie.lecture.tableur import read_csv

    table, _, _ = read_csv(b'code;communes\n="01";="03095;03310"\n="02";="a ""b"""\n')
    assert table.to_dict("list") == {"code": ["01", "02"], "communes": ["03095;03310", 'a "b"']}


def _backup(text: str) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sauvegarde.json", text)
    return buffer.getvalue()


def test_json_is_measured_outside_its_strings_in_one_pass():
    from cartographie.stockage.archive import json_shape

    shape = json_shape(b'{"a":"[[\\\\","b":"\\"{","c":[1,[2,{}]]}')
    assert (shape.depth, shape.objects, shape.arrays, shape.values) == (4, 2, 2, 4)
    assert json_shape(b'"' + b'\\"' * 500_000).depth == 0  # a 208-byte backup froze the server on this


def test_a_backup_of_ten_million_empty_rows_is_refused_before_it_is_parsed():
    from cartographie.stockage.archive import MAX_OBJECTS, read_payload

    rows = ",".join(["{}"] * 10_000_000)
    raw = _backup('{"format":"cartographie-sauvegarde","version":1,"tables":{"journal":[' + rows + "]}}")
    assert len(raw) < 40_000
    with pytest.raises(ValidationError, match=f"au plus {MAX_OBJECTS:,}".replace(",", "\u202f")):
        read_payload(raw)


def test_a_backup_of_an_unknown_format_or_schema_is_refused(tmp_path):
    from cartographie.stockage.archive import read_payload
    from cartographie.stockage.store import open_store

    with pytest.raises(ValidationError, match="format inconnu"):
        read_payload(_backup('{"format":"cartographie-sauvegarde","version":99,"tables":{}}'))
    store = open_store(f"sqlite:///{tmp_path / 'base.sqlite3'}")
    payload = json.loads(_read_json(store.export_backup()))
    payload["revision"] = "9999"
    with pytest.raises(ValidationError, match="schéma « 9999 », inconnu"):
        store.restore_backup(_backup(json.dumps(payload)), "test")


def _read_json(raw: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return archive.read("sauvegarde.json").decode()


def test_a_backup_with_an_actor_twice_names_its_table_row_and_field(tmp_path):
    from cartographie.stockage.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'base.sqlite3'}")
    payload = json.loads(_read_json(store.export_backup()))
    actor = {"id": 1, "nom": "Association A", "type": "association"}
    payload["tables"]["acteurs"] = [actor, {**actor, "id": 2}]
    with pytest.raises(ValidationError) as error:
        store.restore_backup(_backup(json.dumps(payload)), "test")
    assert error.value.messages == [
        "Table « acteurs », ligne 2, « nom » : même « nom » et « type » que la ligne 1 (valeur unique)."
    ]


# --------------------------------------------------------------------------- text shown as text, links only where meant


def test_markdown_escapes_never_turn_an_address_into_a_link():
    from cartographie.ui.mise_en_page import md_escape, md_with_links

    escaped = md_escape("Voir http://3232235777/x, www.exemple.fr ou jean@exemple.fr")
    assert "http://" not in escaped and "www\\." not in escaped and "@e" not in escaped
    linked = md_with_links(
        "Doc : https://www.exemple.fr/a(b) ; http://3232235777/x ; http://10.0.0.1/ ; http://a@b.fr/"
    )
    assert linked.count("](") == 1 and "[www\\.exemple\\.fr](https://www.exemple.fr/a%28b%29)" in linked


@pytest.mark.parametrize(
    "token,host",
    [
        ("https://www.exemple.fr/x", "www.exemple.fr"),
        ("http://3232235777/x", None),
        ("http://10.0.0.1/", None),
        ("http://user@exemple.fr/", None),
        ("javascript:alert(1)", None),
        ("https://exemple.fr:8443/", None),
        ("https://xn--vandoeuvre-lès.fr/", None),
    ],
)
def test_only_an_http_address_to_a_named_host_is_a_web_address(token, host):
    from cartographie.domaine.texte import web_address

    found = web_address(token)
    assert (found[1] if found else None) == host
