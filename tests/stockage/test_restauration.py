"""Restoring a backup: a broken or forged one is refused in French, the database untouched (SQLite, PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from cartographie.domaine.contributions import ValidationError
from cartographie.domaine.enquete.validation import stored_answer_problem
from cartographie.stockage import archive
from cartographie.stockage.store import Store
from tests.aides.base import EXPERIENCE


@pytest.fixture(scope="module")
def questionnaire():
    from cartographie.lecture.questionnaire import load_questionnaire

    return load_questionnaire().with_departements({"57": "Moselle", "67": "Bas-Rhin"})


def _payload(store: Store) -> dict:
    with zipfile.ZipFile(io.BytesIO(store.export_backup())) as zipped:
        return json.loads(zipped.read("sauvegarde.json"))


def _zip(payload: dict | str | bytes) -> bytes:
    data = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("sauvegarde.json", data)
    return buffer.getvalue()


@pytest.fixture
def full(store) -> dict:
    """A backup of a store holding one of everything."""
    experience_id = store.propose_experience(EXPERIENCE)
    store.approve_experience(experience_id, "Camille")
    store.add_keyword("journee-2026", "confiance")
    store.add_survey_answers("2026", [{"type_acteur": "association"}], origine="import")
    store.propose_rencontre({"titre": "Une rencontre", "contenu": "À ajouter"})
    store.set_setting("enquete_demo", "non", "Camille")
    return _payload(store)


@pytest.fixture
def empty(database_url, full) -> Store:
    """The same database emptied: what a restore writes into."""
    import sqlalchemy as sa

    target = Store(database_url)
    with target.engine.begin() as conn:
        for table in reversed(archive.TABLES):
            conn.execute(sa.delete(table))
    assert target.is_empty()
    yield target
    target.engine.dispose()


def _refused(store: Store, raw: bytes, expected: str, **options) -> None:
    with pytest.raises(ValidationError) as refusal:
        store.restore_backup(raw, "Camille", **options)
    assert expected in str(refusal.value), str(refusal.value)
    assert store.is_empty()  # nothing written


def _edited(full: dict, change) -> bytes:
    payload = json.loads(json.dumps(full))
    change(payload["tables"])
    return _zip(payload)


def test_the_untouched_backup_restores(empty, full):
    assert empty.restore_backup(_zip(full), "Camille")["experiences"] == 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t["acteurs"].append(dict(t["acteurs"][0])), "identifiant 1 en double"),
        (lambda t: t["roles"][0].update(acteur_id=99), "acteur absent de la sauvegarde"),
        (lambda t: t["roles"][0].update(experience_id=99), "expérience absente"),
        (lambda t: t["experiences"][0].update(id="un"), "nombre entier attendu"),
        (lambda t: t["experiences"][0].update(id=True), "nombre entier attendu"),
        (lambda t: t["experiences"][0].update(territoires="57"), "Territoire"),
        (lambda t: t["experiences"][0].update(titre=["liste"]), "« titre » : texte attendu"),
        (lambda t: t["experiences"][0].update(etat="supprimee"), "état inconnu"),
        (lambda t: t["reponses_enquete"][0].update(reponses="texte"), "objet"),
        (lambda t: t["reponses_enquete"][0].update(origine="robot"), "origine inconnue"),
        (lambda t: t["mots_cles"][0].update(mot="x" * 5000), "au plus 60"),
        (lambda t: t["mots_cles"][0].update(mot="a\x00b"), "contrôle"),
        (lambda t: t["mots_cles"][0].update(session="[lien](http://x)"), "nom de session invalide"),
        (lambda t: t["parametres"][0].update(valeur="peut-etre"), "valeur non permise"),
        (lambda t: t["parametres"][0].update(cle="admin"), "réglage inconnu"),
        (lambda t: t["journal"][0].update(action="effacement"), "action inconnue"),
        (lambda t: t["journal"][0].update(quand="hier"), "date invalide"),
        (lambda t: t["rencontres_proposees"][0].update(titre=""), "obligatoire"),
        (lambda t: t["roles"].append(["pas", "un", "objet"]), "colonnes inattendues"),
        (lambda t: t.pop("journal"), "tables attendues"),
    ],
    ids=[
        "id-en-double", "cle-etrangere-acteur", "cle-etrangere-experience", "id-texte", "id-booleen",
        "json-mal-type", "titre-liste", "etat", "reponse-texte", "origine", "mot-5000", "mot-nul", "session-lien",
        "reglage-valeur", "reglage-inconnu", "journal-action", "journal-date", "rencontre-vide", "ligne-liste",
        "table-absente",
    ],
)  # fmt: skip
def test_a_broken_or_forged_row_is_refused_naming_table_row_and_field(empty, full, change, expected):
    _refused(empty, _edited(full, change), expected)


def test_survey_answers_are_checked_with_the_questionnaire(empty, full, questionnaire):
    raw = _edited(full, lambda t: t["reponses_enquete"][0].update(reponses={"type_acteur": "pirate"}))

    def check(_edition, answer):
        return stored_answer_problem(questionnaire, answer)

    _refused(empty, raw, "valeur inconnue « pirate »", check_answer=check)


def test_deep_nesting_and_huge_or_bombed_files_are_refused_before_parsing(empty):
    _refused(
        empty, _zip('{"format": "cartographie-sauvegarde", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"), "imbriquées"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped, zipped.open("sauvegarde.json", "w") as member:
        block = b" " * (1 << 20)
        for _ in range(archive.MAX_JSON_BYTES // len(block) + 2):  # spaces around nothing: a 34 MB bomb of 40 kB
            member.write(block)
    assert len(buffer.getvalue()) < 200_000
    _refused(empty, buffer.getvalue(), "dépasse 32 Mo")
    _refused(empty, b"PK\x03\x04 pas vraiment une archive", "illisible")


def test_the_csv_files_of_a_backup_neutralise_formulas(store):
    store.add_keyword("s", '=HYPERLINK("http://x","ok")')
    with zipfile.ZipFile(io.BytesIO(store.export_backup())) as zipped:
        rows = list(csv.DictReader(io.StringIO(zipped.read("mots_cles.csv").decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["mot"].startswith("'=")
