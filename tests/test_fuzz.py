"""Property-based tests: backups, survey files and form inputs mutated from valid ones (Hypothesis).

For every generated input the app either writes it correctly or refuses it with a French message
(:class:`ValidationError`, :class:`SurveyFileError`); never another exception, never a partial
write, and the database is unchanged after a refusal.

The default run is short and reproducible (a fixed seed, ``derandomize``), for CI; a longer run
on demand: ``CARTOGRAPHIE_FUZZ=long pytest tests/test_fuzz.py --hypothesis-show-statistics``
(the statistics list the refusals by reason).
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cartographie.domaine.contributions import ValidationError
from cartographie.domaine.enquete.validation import stored_answer_problem
from cartographie.lecture.enquete_import import SurveyFileError, auto_mapping, check_import, read_survey_file
from cartographie.lecture.questionnaire import load_questionnaire
from cartographie.stockage.archive import MAX_OBJECTS, TABLES
from cartographie.stockage.store import Store
from tests.aides.enquete import HEADER, ROW, csv_bytes

LONG = os.environ.get("CARTOGRAPHIE_FUZZ") == "long"
settings.register_profile(
    "cartographie",
    derandomize=not LONG,  # CI: the same cases at every run
    max_examples=2_000 if LONG else 400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("cartographie")

#: Values a mutation puts where a valid one was: wrong types, hostile text, deep nesting, sizes.
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "a\x1bb", '=HYPERLINK("http://x")', "<b>x</b>", "[lien](http://x)", "x" * 5000]),
)
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.floats(allow_nan=True), HOSTILE_TEXT),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(HOSTILE_TEXT, children, max_size=3)),
    max_leaves=12,
)


def _reason(message: str) -> str:
    """A refusal's reason without its particulars (numbers, quoted values), for the statistics."""
    return re.sub(r"« [^»]*»|\d+", "…", message)[:70]


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire().with_departements({"57": "Moselle", "67": "Bas-Rhin", "54": "Meurthe-et-Moselle"})


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """A store holding one of everything (its backup is the valid input) and an empty one to restore into."""
    folder = tmp_path_factory.mktemp("fuzz")
    source = Store(f"sqlite:///{folder / 'source.sqlite3'}")
    source.migrate()
    experience = source.propose_experience(
        {
            "titre": "Atelier",
            "resume": "Un centre social et la commune.",
            "territoires": [{"type": "commune", "code": "54547"}],
            "themes": ["jeunesse"],
            "statut": "en_cours",
            "acteurs": [{"nom": "Centre social", "type": "association", "role": "porteur"}],
        }
    )
    source.approve_experience(experience, "Camille")
    source.add_keyword("journee-2026", "confiance")
    source.add_survey_answers("2026", [{"type_acteur": "association"}], origine="import")
    source.propose_rencontre({"titre": "Une rencontre", "contenu": "À ajouter"})
    source.set_setting("enquete_demo", "non", "Camille")
    target = Store(f"sqlite:///{folder / 'cible.sqlite3'}")
    target.migrate()
    yield source, target
    source.engine.dispose()
    target.engine.dispose()


def _empty(store: Store) -> None:
    with store.engine.begin() as conn:
        for table in reversed(TABLES):
            conn.execute(sa.delete(table))


def _zip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sauvegarde.json", data)
    return buffer.getvalue()


@st.composite
def mutated_backups(draw, payload: dict) -> bytes:
    """A valid backup with one to three mutations: a field's value, a missing or extra field, a duplicated
    or dropped row, a table replaced, deep nesting, or the archive itself truncated or re-compressed."""
    data = json.loads(json.dumps(payload))
    tables = data["tables"]
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(
                ["value", "drop_field", "extra_field", "duplicate", "drop_row", "table", "nest", "escapes", "many_rows"]
            )
        )
        name = draw(st.sampled_from(sorted(tables)))
        rows = tables[name]
        event(f"mutation : {kind}")
        if kind == "table":
            tables[name] = draw(VALUES)
        elif not isinstance(rows, list) or not rows:
            continue
        else:
            index = draw(st.integers(0, len(rows) - 1))
            row = rows[index]
            if not isinstance(row, dict) or not row:
                continue
            field = draw(st.sampled_from(sorted(row)))
            if kind == "value":
                row[field] = draw(VALUES)
            elif kind == "drop_field":
                del row[field]
            elif kind == "extra_field":
                row["champ_inconnu"] = draw(VALUES)
            elif kind == "duplicate":
                rows.append(dict(row))
            elif kind == "drop_row":
                rows.pop(index)
            elif kind == "nest":
                row[field] = json.loads("[" * 40 + "1" + "]" * 40)
            elif kind == "escapes":  # backslashes and quotes: what made a string-stripping regex quadratic
                row[field] = draw(st.sampled_from(['\\"', "\\", '"', "\\\\", '\\"'])) * draw(st.integers(1, 20_000))
            elif kind == "many_rows":  # empty rows, up to past the bound counted before parsing
                rows.extend({} for _ in range(draw(st.sampled_from([1, 100, 5_000, MAX_OBJECTS + 1]))))
    raw = _zip(json.dumps(data, ensure_ascii=False).encode())
    if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:  # one case in twenty: a damaged archive
        raw = raw[: len(raw) * draw(st.integers(0, 99)) // 100]
        event("mutation : archive tronquée")
    return raw


@pytest.fixture(scope="module")
def payload(stores) -> dict:
    """The valid backup every mutation starts from."""
    with zipfile.ZipFile(io.BytesIO(stores[0].export_backup())) as archive:
        return json.loads(archive.read("sauvegarde.json"))


@FUZZ
@given(data=st.data())
def test_any_mutated_backup_is_restored_whole_or_refused_with_nothing_written(stores, questionnaire, payload, data):
    target = stores[1]
    assert target.is_empty()
    raw = data.draw(mutated_backups(payload))
    try:
        counts = target.restore_backup(
            raw, "fuzz", check_answer=lambda _e, answer: stored_answer_problem(questionnaire, answer)
        )
    except ValidationError as refusal:
        event(f"refus : {_reason(refusal.messages[0])}")
        assert target.is_empty()  # nothing written
        return
    event("restaurée")
    with target.engine.connect() as conn:
        for table in TABLES:
            written = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            assert written == counts[table.name] + (1 if table.name == "journal" else 0)
    _empty(target)


@st.composite
def mutated_survey_files(draw) -> tuple[bytes, str]:
    """A valid export (CSV or XLSX) with bytes inserted or removed, lines duplicated, separators added,
    another encoding, or truncated."""
    rows = [list(HEADER), list(ROW), list(ROW)]
    kind = draw(st.sampled_from(["csv", "csv", "xlsx"]))
    if kind == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for row in rows:
            sheet.append(row)
        if draw(st.booleans()):
            printable = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=40)
            sheet.cell(row=draw(st.integers(1, 12_000)), column=draw(st.integers(1, 400)), value=draw(printable))
            event("classeur : cellule lointaine")
        buffer = io.BytesIO()
        workbook.save(buffer)
        raw = buffer.getvalue()
        if draw(st.booleans()):
            raw = raw[: len(raw) * draw(st.integers(0, 99)) // 100]  # a share: a workbook's size varies (dates)
            event("classeur : tronqué")
        return raw, "reponses.xlsx"
    if draw(st.booleans()):
        position = draw(st.integers(1, 2))
        rows[position] = [*rows[position][:3], draw(HOSTILE_TEXT) + ";" + draw(HOSTILE_TEXT), *rows[position][3:]]
    raw = csv_bytes(rows)
    mutation = draw(
        st.sampled_from(
            ["none", "insert", "delete", "duplicate", "encoding", "truncate", "nul", "wide", "long_cell", "many_rows"]
        )
    )
    event(f"csv : {mutation}")
    if mutation == "wide":  # columns up to past the bound checked before any row is read
        extra = draw(st.sampled_from([1, 100, 290, 301, 5_000]))
        raw = csv_bytes([[*HEADER, *(f"x{i}" for i in range(extra))], [*ROW, *("" for _ in range(extra))]])
    elif mutation == "long_cell":  # a cell up to past the reader's own limit (131 072 characters)
        rows[1][1] = "y" * draw(st.sampled_from([10, 5_000, 131_073]))
        raw = csv_bytes(rows)
    elif mutation == "many_rows":  # rows up to past the import's bound, counted as they are read
        raw = csv_bytes([list(HEADER), *([list(ROW)] * draw(st.sampled_from([3, 500, 10_001])))])
    if mutation == "insert":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=20)) + raw[at:]
    elif mutation == "delete":
        at = draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + raw[at + draw(st.integers(1, 20)) :]
    elif mutation == "duplicate":
        raw = raw + raw.split(b"\n", 1)[-1] * draw(st.integers(1, 3))
    elif mutation == "encoding":
        raw = raw.decode("utf-8-sig").encode(draw(st.sampled_from(["cp1252", "utf-16", "latin-1"])), errors="replace")
    elif mutation == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif mutation == "nul":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + b"\x00" + raw[at:]
    return raw, "reponses.csv"


@FUZZ
@given(file=mutated_survey_files())
def test_any_mutated_survey_file_is_read_and_checked_or_refused_in_french(questionnaire, file):
    raw, name = file
    try:
        table, _note = read_survey_file(raw, name)
    except SurveyFileError as refusal:
        event(f"refus du fichier : {_reason(str(refusal))}")
        return
    report = check_import(table, auto_mapping(list(table.columns), questionnaire), questionnaire)
    if report.answers:
        assert report.importable and report.rejected.empty  # all or nothing
    event("importable" if report.importable else "lignes refusées ou colonnes manquantes")


FORM_FIELDS = ["titre", "resume", "territoires", "themes", "methodes", "periode", "statut", "elements", "acteurs"]


@st.composite
def mutated_forms(draw) -> dict:
    """A valid proposal with some of its fields replaced by anything."""
    form = {
        "titre": "Atelier",
        "resume": "Un centre social et la commune.",
        "territoires": [{"type": "commune", "code": "54547"}],
        "themes": ["jeunesse"],
        "statut": "en_cours",
        "elements": {"volonte": "fort"},
        "acteurs": [{"nom": "Centre social", "type": "association", "role": "porteur"}],
    }
    for field in draw(st.lists(st.sampled_from(FORM_FIELDS), max_size=3, unique=True)):
        form[field] = draw(VALUES)
    return form


def _counts(store: Store) -> tuple[int, ...]:
    with store.engine.connect() as conn:
        return tuple(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() for t in TABLES)


@FUZZ
@given(form=mutated_forms(), keyword=VALUES, meeting=st.fixed_dictionaries({"titre": VALUES, "contenu": VALUES}))
def test_any_mutated_form_is_written_whole_or_refused_with_nothing_written(stores, form, keyword, meeting):
    target = stores[1]
    for action in (
        lambda: target.propose_experience(form),
        lambda: target.add_keyword("journee-2026", keyword),
        lambda: target.propose_rencontre(meeting),
    ):
        before = _counts(target)
        try:
            action()
        except ValidationError as refusal:
            event(f"refus : {_reason(refusal.messages[0])}")
            assert _counts(target) == before
        else:
            event("écrit")
            assert _counts(target) != before
