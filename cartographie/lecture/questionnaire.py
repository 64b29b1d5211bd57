"""Reading ``data/questionnaire.toml``: the survey's questions and editions, validated.

A mistake raises :class:`QuestionnaireError` naming the file, the question and the field.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from cartographie import config
from cartographie.domaine.enquete.questionnaire import AUTRE, TYPES_QUESTION, Edition, Family, Question, Questionnaire
from cartographie.domaine.texte import fold

QUESTIONNAIRE_FILE = config.AUTHORED_DATA_DIR / "questionnaire.toml"


_ID = re.compile(r"[a-z][a-z0-9_]*")


class QuestionnaireError(Exception):
    """The questionnaire file has a mistake; the message names the file, the question and the field."""


def load_questionnaire(path: Path = QUESTIONNAIRE_FILE) -> Questionnaire:
    """Read and validate the questionnaire; a mistake raises :class:`QuestionnaireError` in French."""
    path = Path(path)
    where = f"Fichier « {path.name} »"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise QuestionnaireError(f"{where} : introuvable.") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise QuestionnaireError(f"{where} : illisible ({exc}).") from exc

    head = data.get("enquete") or {}
    for key in ("titre", "edition_courante"):
        if not isinstance(head.get(key), str) or not head[key].strip():
            raise QuestionnaireError(f"{where}, [enquete] : champ « {key} » manquant.")
    editions = _editions(data.get("editions") or [], head["edition_courante"], where)
    echelle = data.get("echelle") or {}
    if len(echelle) != 4 or not all(isinstance(v, str) and v for v in echelle.values()):
        raise QuestionnaireError(f"{where}, [echelle] : quatre niveaux libellés attendus, du désaccord à l'accord.")
    sections = data.get("sections") or {}
    questions = [
        _question(raw, sections, f"{where}, question n°{number} ({raw.get('id', 'sans identifiant')})")
        for number, raw in enumerate(data.get("questions") or [], start=1)
    ]
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise QuestionnaireError(f"{where} : l'identifiant de question « {duplicate} » est utilisé deux fois.")
    if not questions:
        raise QuestionnaireError(f"{where} : aucune question.")
    familles = _families(data.get("familles") or [], questions, where)
    return Questionnaire(
        titre=head["titre"].strip(),
        introduction=" ".join(str(head.get("introduction", "")).split()),
        edition_courante=head["edition_courante"],
        editions=tuple(editions),
        echelle=dict(echelle),
        sections=dict(sections),
        questions=tuple(questions),
        familles=familles,
    )


#: The question whose answers the actor families group.
FAMILY_QUESTION = "type_acteur"


def _families(raws: list, questions: list[Question], where: str) -> tuple[Family, ...]:
    """The actor families: each type of structure (« Autre » included) in exactly one, two families at least."""
    question = next((q for q in questions if q.id == FAMILY_QUESTION), None)
    if question is None:
        raise QuestionnaireError(f"{where} : la question « {FAMILY_QUESTION} » (type de structure) est attendue.")
    families = []
    for number, raw in enumerate(raws, start=1):
        label = f"{where}, famille n°{number}"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not _ID.fullmatch(raw["id"]):
            raise QuestionnaireError(f"{label} : identifiant invalide (minuscules, chiffres et « _ »).")
        if not isinstance(raw.get("libelle"), str) or not raw["libelle"].strip():
            raise QuestionnaireError(f"{label} ({raw['id']}) : champ « libelle » manquant.")
        types = raw.get("types")
        if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
            raise QuestionnaireError(f"{label} ({raw['id']}) : « types » doit lister des codes de type de structure.")
        unknown = [t for t in types if t not in question.choices]
        if unknown:
            raise QuestionnaireError(f"{label} ({raw['id']}) : type de structure inconnu « {unknown[0]} ».")
        families.append(Family(raw["id"], raw["libelle"].strip(), tuple(types)))
    if len(families) < 2:
        raise QuestionnaireError(f"{where} : au moins deux familles d'acteurs ([[familles]]) sont attendues.")
    placed = [t for f in families for t in f.types]
    for code in question.choices:
        if placed.count(code) != 1:
            how = "n'est dans aucune famille" if code not in placed else "est dans plusieurs familles"
            raise QuestionnaireError(f"{where} : le type de structure « {code} » {how}.")
    if len({f.id for f in families}) != len(families):
        raise QuestionnaireError(f"{where} : deux familles d'acteurs portent le même identifiant.")
    return tuple(families)


def _editions(raws: list[dict], courante: str, where: str) -> list[Edition]:
    """The declared editions: identifier, year and title each; identifiers unique; the current one among them."""
    editions = []
    for number, raw in enumerate(raws, start=1):
        label = f"{where}, édition n°{number}"
        if not isinstance(raw.get("id"), str) or not raw["id"].strip():
            raise QuestionnaireError(f"{label} : champ « id » manquant.")
        if not isinstance(raw.get("annee"), int) or not 2000 <= raw["annee"] <= 2100:
            raise QuestionnaireError(f"{label} ({raw['id']}) : « annee » doit être une année.")
        if not isinstance(raw.get("titre"), str) or not raw["titre"].strip():
            raise QuestionnaireError(f"{label} ({raw['id']}) : champ « titre » manquant.")
        editions.append(Edition(raw["id"], raw["annee"], raw["titre"].strip(), str(raw.get("note", "")).strip()))
    if len({e.id for e in editions}) != len(editions):
        raise QuestionnaireError(f"{where} : deux éditions portent le même identifiant.")
    if courante not in {e.id for e in editions}:
        raise QuestionnaireError(f"{where} : l'édition courante « {courante} » n'est pas déclarée.")
    return editions


def _question(raw: dict, sections: dict, label: str) -> Question:
    """One question: identifier, type, section and label; options only for choices, with distinct labels."""
    question_id = raw.get("id")
    if not isinstance(question_id, str) or not _ID.fullmatch(question_id) or "__" in question_id:
        raise QuestionnaireError(f"{label} : identifiant invalide (minuscules, chiffres et « _ »).")
    if raw.get("type") not in TYPES_QUESTION:
        raise QuestionnaireError(f"{label} : type « {raw.get('type')} » inconnu ({', '.join(TYPES_QUESTION)}).")
    if raw.get("section") not in sections:
        raise QuestionnaireError(f"{label} : section « {raw.get('section')} » non déclarée dans [sections].")
    if not isinstance(raw.get("libelle"), str) or not raw["libelle"].strip():
        raise QuestionnaireError(f"{label} : champ « libelle » manquant.")
    options = raw.get("options") or {}
    if raw["type"] in ("choix_unique", "choix_multiple"):
        if len(options) < 2:
            raise QuestionnaireError(f"{label} : au moins deux options attendues.")
        bad = [code for code in options if not _ID.fullmatch(code) or code == AUTRE]
        if bad:
            raise QuestionnaireError(f"{label} : code d'option invalide « {bad[0]} ».")
        labels = [fold(v) for v in options.values()]
        if len(set(labels)) != len(labels):
            raise QuestionnaireError(f"{label} : deux options ont le même libellé.")
    elif options:
        raise QuestionnaireError(f"{label} : une question de type « {raw['type']} » n'a pas d'options.")
    max_choix = raw.get("max_choix")
    if max_choix is not None and (raw["type"] != "choix_multiple" or not isinstance(max_choix, int) or max_choix < 1):
        raise QuestionnaireError(f"{label} : « max_choix » ne vaut que pour un choix multiple (entier ≥ 1).")
    return Question(
        id=question_id,
        section=raw["section"],
        type=raw["type"],
        libelle=raw["libelle"].strip(),
        obligatoire=bool(raw.get("obligatoire", False)),
        options=dict(options),
        autre=bool(raw.get("autre", False)),
        max_choix=max_choix,
        max_caracteres=int(raw.get("max_caracteres", 2000)),
    )
