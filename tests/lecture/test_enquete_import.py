"""Survey imports: each bad file gets a French report and writes nothing; a good file imports every row."""

from __future__ import annotations

import io

import openpyxl
import pytest

from cartographie.lecture import enquete_import
from cartographie.lecture.enquete_import import SurveyFileError, auto_mapping, check_import, read_survey_file
from cartographie.lecture.questionnaire import load_questionnaire
from cartographie.stockage.store import open_store
from tests.aides.enquete import HEADER, ROW, csv_bytes


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire().with_departements({"57": "Moselle", "67": "Bas-Rhin"})


@pytest.fixture
def store(tmp_path):
    return open_store(f"sqlite:///{tmp_path / 'contributions.sqlite3'}")


def _xlsx(rows: list[list[str]], merge: str | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(raw: bytes, name: str, questionnaire, store, mapping_change: dict | None = None) -> int:
    """What the import page does: read, map automatically, check, and write only a clean report."""
    table, _ = read_survey_file(raw, name)
    mapping = auto_mapping(list(table.columns), questionnaire) | (mapping_change or {})
    report = check_import(table, mapping, questionnaire)
    if report.importable:
        return store.add_survey_answers("2021", report.answers, origine="import")
    return 0


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        (csv_bytes([HEADER, ROW, ROW]), "reponses.csv"),
        (csv_bytes([HEADER, ROW, ROW], sep=",", encoding="utf-8"), "reponses.csv"),
        (csv_bytes([HEADER, ROW, ROW], encoding="cp1252"), "export excel.csv"),
        (_xlsx([HEADER, ROW, ROW]), "reponses.xlsx"),
    ],
    ids=["utf8-point-virgule", "utf8-virgule", "cp1252", "xlsx"],
)
def test_a_good_file_imports_every_row(raw, name, questionnaire, store):
    table, note = read_survey_file(raw, name)
    assert len(table) == 2 and note
    mapping = auto_mapping(list(table.columns), questionnaire)
    assert mapping["Fréquence"] == "frequence"  # by identifier
    assert mapping[HEADER[0]] == "type_acteur"  # by label
    report = check_import(table, mapping, questionnaire)
    assert report.rejected.empty and not report.problems, report.rejected
    assert _import(raw, name, questionnaire, store) == 2
    answer = store.survey_answers()[0]["reponses"]
    assert answer["type_acteur"] == "etat" and answer["departement"] == "57"
    assert answer["role"] == "autre" and answer["role__autre"] == "coordinatrice"
    assert answer["partenaires"] == ["communes", "caf"]
    assert answer["leviers"] == ["objectif_partage", "interconnaissance"]
    assert answer["accord_meme_territoire"] == "plutot"


def test_cp1252_is_detected_and_said(questionnaire):
    _, note = read_survey_file(csv_bytes([HEADER, ROW], encoding="cp1252"), "r.csv")
    assert "Windows-1252" in note and "point-virgule" in note


def _bad(raw: bytes, name: str, questionnaire, store) -> str:
    """The French message of a refused file, after checking nothing was written."""
    try:
        written = _import(raw, name, questionnaire, store)
    except SurveyFileError as error:
        message = str(error)
    else:
        assert written == 0
        table, _ = read_survey_file(raw, name)
        report = check_import(table, auto_mapping(list(table.columns), questionnaire), questionnaire)
        message = " ".join(report.problems) + " " + " ".join(report.rejected["Motifs"])
    assert store.survey_answers() == []
    return message


def test_a_missing_column_is_reported(questionnaire, store):
    header, row = HEADER[1:], ROW[1:]
    message = _bad(csv_bytes([header, row]), "r.csv", questionnaire, store)
    assert "Colonne manquante" in message and "Pour quelle structure répondez-vous ?" in message
    assert "(type_acteur)" not in message  # no code shown to people


def test_an_unknown_answer_value_rejects_the_file_and_names_line_and_value(questionnaire, store):
    bad = list(ROW)
    bad[5] = "tous les jours"
    raw = csv_bytes([HEADER, ROW, bad])
    message = _bad(raw, "r.csv", questionnaire, store)
    assert "valeur inconnue « tous les jours »" in message
    table, _ = read_survey_file(raw, "r.csv")
    motifs = check_import(table, auto_mapping(list(table.columns), questionnaire), questionnaire).rejected["Motifs"]
    assert "valeurs acceptées : « " in motifs.iloc[0]  # the editor learns what to write instead
    assert "hebdomadaire" not in motifs.iloc[0]  # labels, not codes
    report = check_import(table, auto_mapping(list(table.columns), questionnaire), questionnaire)
    assert list(report.rejected["Ligne"]) == [3] and report.answers == []  # nothing partially


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\n".join(";".join(r) for r in [HEADER, ROW]).encode("utf-16"), "UTF-16"),
        (b"type_acteur;departement\n\x81\x8d\x8f;57\n", "Encodage non reconnu"),
    ],
    ids=["utf16", "octets-invalides"],
)
def test_a_wrong_encoding_is_reported(raw, expected, questionnaire, store):
    assert expected in _bad(raw, "r.csv", questionnaire, store)


@pytest.mark.parametrize(
    ("raw", "name", "expected"),
    [
        (b"", "r.csv", "vide"),
        (b"  \r\n ", "r.csv", "vide"),
        (csv_bytes([HEADER]), "r.csv", "aucune ligne de réponse"),
        (b"%PDF-1.4", "r.pdf", "Format non pris en charge"),
        (b"pas un classeur", "r.xlsx", "illisible"),
    ],
    ids=["vide", "blanc", "en-tete-seul", "pdf", "faux-xlsx"],
)
def test_an_empty_or_unreadable_file_is_reported(raw, name, expected, questionnaire, store):
    assert expected in _bad(raw, name, questionnaire, store)


def test_fifty_thousand_rows_are_refused(questionnaire, store):
    raw = csv_bytes([HEADER] + [ROW] * 50_000)
    message = _bad(raw, "enorme.csv", questionnaire, store)
    # Refused as soon as the 10 001st row is read: the rest of the file is never parsed.
    assert "plus de 10\u202f000 lignes" in message


def test_a_workbook_over_the_limit_is_refused_before_being_loaded(questionnaire, store, monkeypatch):
    monkeypatch.setattr(enquete_import, "MAX_ROWS", 3)
    message = _bad(_xlsx([HEADER] + [ROW] * 5), "r.xlsx", questionnaire, store)
    assert "jusqu'à la ligne 5" in message and "au plus 3 lignes" in message


def test_merged_header_cells_are_reported(questionnaire, store):
    rows = [["Profil", "", *HEADER[2:]], HEADER[:2] + [""] * (len(HEADER) - 2), ROW]
    message = _bad(_xlsx(rows, merge="A1:B1"), "r.xlsx", questionnaire, store)
    assert "cellules fusionnées (A1:B1)" in message


def test_a_row_with_too_many_fields_is_refused_by_its_line_not_shifted(questionnaire, store):
    for rows in ([HEADER, ROW, ["x"] * 40], [HEADER, [*ROW, "décalé"], ROW]):  # a bad row first, or later
        table, _ = read_survey_file(csv_bytes(rows), "r.csv")
        report = check_import(table, auto_mapping(list(table.columns), questionnaire), questionnaire)
        bad = 3 if len(rows[2]) == 40 else 2
        assert list(report.rejected["Ligne"]) == [bad] and "un séparateur de trop" in report.rejected["Motifs"].iloc[0]
        assert report.answers == []  # nothing partially


def test_a_binary_file_is_not_called_utf16(questionnaire, store):
    assert "octets binaires" in _bad(
        b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 20, "r.csv", questionnaire, store
    )


def test_a_malformed_csv_is_reported(questionnaire, store):
    unclosed = csv_bytes([HEADER, ROW]) + b'\r\n"non ferm\xc3\xa9;x'
    assert "guillemet" in _bad(unclosed, "r.csv", questionnaire, store)


def test_the_mapping_can_be_adjusted(questionnaire, store):
    header = ["Structure", *HEADER[1:]]
    raw = csv_bytes([header, ROW])
    assert "Colonne manquante" in _bad(raw, "r.csv", questionnaire, store)
    assert _import(raw, "r.csv", questionnaire, store, {"Structure": "type_acteur"}) == 1


def test_a_question_mapped_twice_is_reported(questionnaire):
    table, _ = read_survey_file(csv_bytes([HEADER, ROW]), "r.csv")
    mapping = auto_mapping(list(table.columns), questionnaire) | {HEADER[1]: "type_acteur"}
    report = check_import(table, mapping, questionnaire)
    assert not report.importable and "plusieurs colonnes" in report.problems[0]
