"""The backup archive of the contribution store: the ZIP written for editors, and every check before a restore.

A backup is read with bounded memory and time (declared and actual decompressed size, JSON
nesting), then every row of every table is checked with the validators of the forms and the
import (types, lengths, allowed values, unique ids, references between tables). Nothing here
writes: :meth:`cartographie.stockage.store.Store.restore_backup` writes the checked rows in one
transaction, or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from cartographie.domaine.comptes import METHODES
from cartographie.domaine.contributions import (
    ACTIONS_JOURNAL,
    OBJETS_JOURNAL,
    ValidationError,
    validate_experience,
    validate_keyword,
    validate_rencontre,
)
from cartographie.domaine.enquete.demo import DEMO_MODES, DEMO_SETTING
from cartographie.domaine.formats import format_nombre
from cartographie.domaine.salle import NETWORK_KEY_SETTING, REFUSED_WORDS_SETTING, session_name
from cartographie.domaine.texte import control_characters, spreadsheet_safe
from cartographie.domaine.vocabulaires import TYPES_ACTEUR
from cartographie.stockage.schema import (
    TABLES,
    acteurs,
    experiences,
    journal,
    mots_cles,
    parametres,
    rencontres_proposees,
    reponses,
    roles,
)

FORMAT = "cartographie-sauvegarde"
#: Largest ``sauvegarde.json`` accepted, decompressed (a region's contributions weigh a few megabytes).
MAX_JSON_BYTES = 32 * 1024 * 1024
#: Deepest nesting of brackets accepted in ``sauvegarde.json`` (the format itself needs 6).
MAX_DEPTH = 16
#: Most objects (``{…}``: rows, survey answers, journal states) accepted in ``sauvegarde.json``. Counted before
#: parsing: 32 MB of ``{},`` would otherwise become ten million dictionaries (gigabytes of memory).
MAX_OBJECTS = 200_000
#: Most values (counted by their separators ``,``) accepted in ``sauvegarde.json``, likewise.
MAX_VALUES = 3_000_000
#: The backup formats this version reads.
VERSIONS = (1,)
#: Most problems listed in one refusal (the count of the others follows).
MAX_MESSAGES = 20
#: Longest text of a ``Text`` column (a summary, a reason, a meeting proposal).
MAX_TEXT = 20_000
#: Moderation states of the tables that have them.
ETATS = ("en_attente", "publiee", "rejetee")
#: Where survey answers come from.
ORIGINES = ("formulaire", "import", "demo")
#: Moderation states of a survey answer's free text.
ETATS_TEXTES = ("en_attente", "publiee", "masquee")
#: Most words an organiser may add to the live keywords' list of refused words.
MAX_REFUSED_WORDS = 500


def _refused_words(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) <= MAX_REFUSED_WORDS
        and all(isinstance(w, str) and 0 < len(w) <= 60 and not control_characters(w) for w in value)
    )


def _network_key(value: object) -> bool:
    return isinstance(value, str) and len(value) == 32 and all(c in "0123456789abcdef" for c in value)


#: Settings kept in the database, and what each accepts.
SETTINGS: dict[str, Callable[[object], bool]] = {
    DEMO_SETTING: lambda value: isinstance(value, str) and value in DEMO_MODES,  # a JSON list is unhashable
    REFUSED_WORDS_SETTING: _refused_words,
    NETWORK_KEY_SETTING: _network_key,
}
#: The tables as editors read their names in messages.
TABLE_LABELS = {
    "experiences": "expériences",
    "acteurs": "acteurs",
    "roles": "rôles des acteurs",
    "reponses_enquete": "réponses à l'enquête",
    "mots_cles": "mots-clés",
    "rencontres_proposees": "rencontres proposées",
    "journal": "journal",
    "parametres": "réglages",
}


def export(tables: dict[str, list[dict]], revision: str | None) -> bytes:
    """The backup ZIP: ``sauvegarde.json`` (every table) and one CSV per table, formulas neutralised."""
    payload = {"format": FORMAT, "version": 1, "revision": revision, "tables": tables}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sauvegarde.json", json.dumps(payload, ensure_ascii=False, indent=1))
        for table in TABLES:
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=[c.name for c in table.columns], delimiter=";")
            writer.writeheader()
            for row in tables[table.name]:
                writer.writerow(
                    {
                        k: spreadsheet_safe(json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v)
                        for k, v in row.items()
                    }
                )
            archive.writestr(f"{table.name}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()


def read_payload(raw: bytes) -> dict:
    """``sauvegarde.json`` of a backup ZIP, read within the size and depth limits; :class:`ValidationError` else."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            info = archive.getinfo("sauvegarde.json")
            if info.file_size > MAX_JSON_BYTES:
                raise _too_large(info.file_size)
            with archive.open(info) as member:
                text = member.read(MAX_JSON_BYTES + 1)
    except ValidationError:
        raise
    except KeyError as exc:
        raise ValidationError(["Sauvegarde illisible : l'archive ne contient pas « sauvegarde.json »."]) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, ValueError) as exc:
        raise ValidationError(["Sauvegarde illisible : archive ZIP endommagée ou d'un autre format."]) from exc
    if len(text) > MAX_JSON_BYTES:
        raise _too_large(len(text))
    shape = json_shape(text)
    if shape.depth > MAX_DEPTH:
        raise ValidationError(
            [f"Sauvegarde refusée : données imbriquées sur {shape.depth} niveaux (au plus {MAX_DEPTH})."]
        )
    if shape.objects > MAX_OBJECTS:
        raise ValidationError(
            [
                f"Sauvegarde refusée : {format_nombre(shape.objects)} objets (lignes, réponses…) dans "
                f"« sauvegarde.json », au plus {format_nombre(MAX_OBJECTS)}."
            ]
        )
    if shape.values > MAX_VALUES:
        raise ValidationError(
            [
                f"Sauvegarde refusée : {format_nombre(shape.values)} valeurs dans « sauvegarde.json », au plus "
                f"{format_nombre(MAX_VALUES)}."
            ]
        )
    try:
        payload = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValidationError(
            ["Sauvegarde illisible : « sauvegarde.json » n'est pas un JSON valide en UTF-8."]
        ) from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValidationError(["Ce fichier n'est pas une sauvegarde de la cartographie."])
    if payload.get("version") not in VERSIONS:
        raise ValidationError(
            [
                f"Sauvegarde d'un format inconnu (« version » {str(payload.get('version'))[:20]}) : cette version de "
                f"l'application lit le format {', '.join(map(str, VERSIONS))}. Restaurez-la avec la version qui l'a "
                "écrite."
            ]
        )
    return payload


def _too_large(size: int) -> ValidationError:
    return ValidationError(
        [f"Sauvegarde refusée : « sauvegarde.json » dépasse {MAX_JSON_BYTES // 1024 // 1024} Mo une fois décompressé."]
    )


@dataclass(frozen=True)
class JsonShape:
    """What a JSON text holds, counted outside its strings without parsing it."""

    depth: int
    objects: int
    arrays: int
    values: int


def json_shape(text: bytes, chunk: int = 1 << 20) -> JsonShape:
    r"""The deepest nesting, the number of objects and arrays and of ``,`` of a JSON text, in linear time.

    Escapes are taken out first by two plain replacements (``\\`` then ``\"``), so that every quote
    left opens or closes a string; the brackets outside strings are then counted with numpy, one
    chunk at a time (bounded memory). No regular expression: one over a hostile text full of
    escaped quotes took quadratic time.
    """
    import numpy as np

    plain = text.replace(b"\\\\", b"").replace(b'\\"', b"")
    data = np.frombuffer(plain, dtype=np.uint8)
    quotes = level = deepest = objects = arrays = values = 0
    for start in range(0, len(data), chunk):
        part = data[start : start + chunk]
        inside = (np.cumsum(part == 0x22, dtype=np.int64) + quotes) & 1  # odd: in a string (or on its quote)
        quotes += int(np.count_nonzero(part == 0x22))
        outside = part[inside == 0]
        objects += int(np.count_nonzero(outside == 0x7B))
        arrays += int(np.count_nonzero(outside == 0x5B))
        values += int(np.count_nonzero(outside == 0x2C))
        brackets = outside[(outside == 0x5B) | (outside == 0x7B) | (outside == 0x5D) | (outside == 0x7D)]
        if brackets.size:
            steps = np.where((brackets == 0x5B) | (brackets == 0x7B), 1, -1).astype(np.int64)
            running = np.cumsum(steps) + level
            deepest = max(deepest, int(running.max()))
            level = int(running[-1])
    return JsonShape(deepest, objects, arrays, values)


def json_depth(text: bytes) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings (see :func:`json_shape`)."""
    return json_shape(text).depth


class _Rows:
    """The problems found in a backup's rows, each naming its table, row and field."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, table: str, number: int, field: str | None, problem: str) -> None:
        where = f"Table « {TABLE_LABELS.get(table, table)} », ligne {number}" + (f", « {field} »" if field else "")
        self.messages.append(f"{where} : {problem}")

    def raise_if_any(self) -> None:
        if self.messages:
            shown = self.messages[:MAX_MESSAGES]
            more = len(self.messages) - len(shown)
            raise ValidationError(shown + ([f"… et {more} autre(s) problème(s)."] if more else []))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _column_value(table: sa.Table, column: sa.Column, value, number: int, problems: _Rows):
    """A value of the backup converted to what the column stores, or the problem said."""
    name = table.name
    if value is None:
        if not column.nullable:
            problems.add(name, number, column.name, "valeur manquante.")
        return None
    kind = column.type
    if isinstance(kind, sa.Integer):
        if not _is_int(value) or not -(2**31) <= value < 2**31:
            problems.add(name, number, column.name, "nombre entier attendu.")
        return value
    if isinstance(kind, sa.Boolean):
        if not isinstance(value, bool):
            problems.add(name, number, column.name, "vrai ou faux attendu.")
        return value
    if isinstance(kind, sa.DateTime):
        try:
            moment = dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            problems.add(name, number, column.name, "date invalide.")
            return None
        return moment
    if isinstance(kind, sa.String):  # String and Text
        if not isinstance(value, str):
            problems.add(name, number, column.name, "texte attendu.")
            return value
        limit = kind.length or MAX_TEXT
        if len(value) > limit:
            problems.add(name, number, column.name, f"{len(value)} caractères, au plus {limit}.")
        if control_characters(value, multiline=not kind.length):
            problems.add(name, number, column.name, "caractère de contrôle interdit.")
        return value
    return value  # JSON: checked with the table's own rules


def check_tables(
    tables: object, *, check_answer: Callable[[str, object], str | None] | None = None
) -> dict[str, list[dict]]:
    """Every row of every table, checked and converted for insertion; :class:`ValidationError` listing the problems.

    ``check_answer(edition, answers)`` returns what is wrong with one survey answer (``None`` when
    it is valid): the questionnaire's own validation, which the store does not know.
    """
    if isinstance(tables, dict):
        tables.setdefault(parametres.name, [])  # backups made before the settings existed
    if not isinstance(tables, dict) or set(tables) != {t.name for t in TABLES}:
        raise ValidationError(["La sauvegarde ne contient pas exactement les tables attendues."])
    problems = _Rows()
    clean: dict[str, list[dict]] = {}
    ids: dict[str, set[int]] = {}
    unique: dict[tuple, int] = {}  # (table, values of a unique constraint) → the row that first had them
    for table in TABLES:
        rows = tables[table.name]
        if not isinstance(rows, list):
            raise ValidationError([f"Table « {TABLE_LABELS[table.name]} » : liste de lignes attendue."])
        columns = {c.name: c for c in table.columns}
        seen: set[int] = set()
        out = []
        for number, row in enumerate(rows, start=1):
            if table is reponses and isinstance(row, dict) and "etat_textes" not in row:
                row = {**row, "etat_textes": "en_attente"}  # a backup made before its answers were moderated
            if table is journal and isinstance(row, dict) and "identifiant" not in row and "methode" not in row:
                row = {**row, "identifiant": None, "methode": None}  # a backup made before editors had accounts
            if not isinstance(row, dict) or set(row) != set(columns):
                problems.add(table.name, number, None, "colonnes inattendues.")
                continue
            found = len(problems.messages)
            values = {
                name: _column_value(table, column, row[name], number, problems) for name, column in columns.items()
            }
            if _is_int(values["id"]):
                if values["id"] in seen:
                    problems.add(table.name, number, "id", f"identifiant {values['id']} en double.")
                seen.add(values["id"])
            if len(problems.messages) == found:  # the row's own rules, once its values have their types
                _ROW_CHECKS[table.name](values, number, problems, ids, check_answer)
                _check_unique(table, values, number, problems, unique)
            out.append(values)
        ids[table.name] = seen
        clean[table.name] = out
    problems.raise_if_any()
    return clean


def _check_unique(table: sa.Table, values: dict, number: int, problems: _Rows, seen: dict[tuple, int]) -> None:
    """A row whose values of a unique constraint (an actor's name and type, a setting's key) repeat an earlier row's."""
    constraints = {tuple(c.name for c in u.columns) for u in table.constraints if isinstance(u, sa.UniqueConstraint)}
    constraints |= {(c.name,) for c in table.columns if c.unique}
    for columns in sorted(constraints):
        key = (table.name, columns, tuple(values[c] for c in columns))
        if key in seen:
            names = " et ".join(f"« {c} »" for c in columns)
            problems.add(table.name, number, columns[0], f"même {names} que la ligne {seen[key]} (valeur unique).")
        else:
            seen[key] = number


def _moderated(table: str, validate: Callable[[dict], object]):
    """The check of a table whose rows wait for an editor: the form's validation, and a known state."""

    def check(values, number, problems, ids, check_answer) -> None:
        try:
            validate(values)
        except ValidationError as exc:
            for message in exc.messages:
                problems.add(table, number, None, message)
        if values["etat"] not in ETATS:
            problems.add(table, number, "etat", "état inconnu.")

    return check


def _actor(values, number, problems, ids, check_answer) -> None:
    if not str(values["nom"] or "").strip():
        problems.add("acteurs", number, "nom", "nom vide.")
    if values["type"] not in TYPES_ACTEUR:
        problems.add("acteurs", number, "type", "type d'acteur inconnu.")


def _role(values, number, problems, ids, check_answer) -> None:
    if values["experience_id"] not in ids["experiences"]:
        problems.add("roles", number, "experience_id", "expérience absente de la sauvegarde.")
    if values["acteur_id"] not in ids["acteurs"]:
        problems.add("roles", number, "acteur_id", "acteur absent de la sauvegarde.")


def _answer(values, number, problems, ids, check_answer) -> None:
    if values["origine"] not in ORIGINES:
        problems.add(reponses.name, number, "origine", "origine inconnue.")
    if values["etat_textes"] not in ETATS_TEXTES:
        problems.add(reponses.name, number, "etat_textes", "état inconnu.")
    answer = values["reponses"]
    if not isinstance(answer, dict):
        problems.add(reponses.name, number, "reponses", "réponse attendue sous forme d'objet.")
    elif check_answer is not None:
        problem = check_answer(values["edition"], answer)
        if problem:
            problems.add(reponses.name, number, "reponses", problem)


def _keyword(values, number, problems, ids, check_answer) -> None:
    for field in ("participant", "reseau"):
        if values[field] and not _network_key(values[field]):
            problems.add("mots_cles", number, field, "empreinte mal formée.")
    if session_name(values["session"]) != values["session"]:
        problems.add("mots_cles", number, "session", "nom de session invalide.")
    try:
        if validate_keyword(values["mot"]) != values["mot"]:
            problems.add("mots_cles", number, "mot", "mot-clé mal formé.")
    except ValidationError as exc:
        problems.add("mots_cles", number, "mot", exc.messages[0])


def _setting(values, number, problems, ids, check_answer) -> None:
    accepts = SETTINGS.get(values["cle"])
    if accepts is None:
        problems.add("parametres", number, "cle", "réglage inconnu.")
    elif not accepts(values["valeur"]):
        problems.add("parametres", number, "valeur", "valeur non permise.")


def _audit(values, number, problems, ids, check_answer) -> None:
    if values["action"] not in ACTIONS_JOURNAL:
        problems.add("journal", number, "action", "action inconnue.")
    if values["objet"] not in OBJETS_JOURNAL and values["objet"] not in SETTINGS:
        problems.add("journal", number, "objet", "objet inconnu.")
    for field in ("avant", "apres"):
        if values[field] is not None and not isinstance(values[field], dict):
            problems.add("journal", number, field, "objet ou rien attendu.")
    if values["methode"] is not None and (not isinstance(values["methode"], str) or values["methode"] not in METHODES):
        problems.add("journal", number, "methode", "méthode de connexion inconnue.")
    if (values["methode"] is None) != (values["identifiant"] is None):
        problems.add("journal", number, "identifiant", "identifiant et méthode vont ensemble.")


_ROW_CHECKS = {
    experiences.name: _moderated(experiences.name, lambda values: validate_experience({**values, "acteurs": []})),
    acteurs.name: _actor,
    roles.name: _role,
    reponses.name: _answer,
    mots_cles.name: _keyword,
    parametres.name: _setting,
    rencontres_proposees.name: _moderated(rencontres_proposees.name, validate_rencontre),
    journal.name: _audit,
}
