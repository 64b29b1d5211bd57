"""What a contribution must be to be stored: the validators shared by the forms, the store and the registry.

Every validator returns the clean data or raises :class:`ValidationError` listing every problem
in French; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from cartographie.domaine.texte import control_characters, without_direction_controls
from cartographie.domaine.vocabulaires import (
    ELEMENTS,
    NIVEAUX_ELEMENT,
    STATUTS_EXPERIENCE,
    TERRITOIRE_LIBELLES,
    TERRITOIRES,
    THEMES,
    TYPES_ACTEUR,
)


class ValidationError(Exception):
    """An input is not acceptable; ``messages`` lists every problem, in French."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__(" ; ".join(messages))


class NotFound(Exception):
    """The requested item does not exist (or no longer)."""


def _text(
    data: dict, key: str, label: str, errors: list[str], *, required: bool, max_len: int, multiline: bool = False
) -> str:
    """A text field, trimmed; its problems (type, required, length, control characters) added to ``errors``."""
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append(f"« {label} » doit être un texte.")
        return ""
    value = value.strip()
    if required and not value:
        errors.append(f"« {label} » est obligatoire.")
    if len(value) > max_len:
        errors.append(f"« {label} » dépasse {max_len} caractères ({len(value)}).")
    if control_characters(value, multiline=multiline):
        errors.append(f"« {label} » contient un caractère de contrôle (invisible) : retirez-le.")
    return value


def validate_experience(
    data: dict, known_territory: Callable[[str, str], bool] | None = None
) -> tuple[dict, list[dict]]:
    """Check and clean an experience and its actors; raise :class:`ValidationError` listing every problem.

    Parameters
    ----------
    data
        ``titre``, ``resume``, ``territoires`` (list of ``{type, code}``), ``themes``, ``methodes``,
        ``periode``, ``statut``, ``sources``, ``elements`` (``{volonte, but_commun, meme_territoire}``),
        ``hors_region`` and ``acteurs`` (list of ``{nom, type, role}``).
    known_territory
        ``(type, code) → bool``, to resolve territories against the reference data.
    """
    errors: list[str] = []
    clean = {
        "titre": _text(data, "titre", "Titre", errors, required=True, max_len=200),
        "resume": _text(data, "resume", "Résumé", errors, required=True, max_len=5000, multiline=True),
        "periode": _text(data, "periode", "Période", errors, required=False, max_len=60),
        "sources": _text(data, "sources", "Sources", errors, required=False, max_len=2000, multiline=True),
        "hors_region": bool(data.get("hors_region", False)),
    }
    statut = data.get("statut", "")
    if not isinstance(statut, str) or statut not in STATUTS_EXPERIENCE:
        errors.append(f"« Statut » doit être l'une de ces valeurs : {', '.join(STATUTS_EXPERIENCE.values())}.")
    clean["statut"] = statut
    for key, label, kind in (
        ("territoires", "Territoires", list),
        ("themes", "Thèmes", list),
        ("methodes", "Méthodes", list),
        ("elements", "Éléments déterminants", dict),
        ("acteurs", "Acteurs", list),
    ):
        if data.get(key) is not None and not isinstance(data.get(key), kind):
            errors.append(f"« {label} » : {'liste attendue' if kind is list else 'valeurs nommées attendues'}.")
            data = {**data, key: kind()}
    territoires = _territories(data.get("territoires") or [], known_territory, errors)
    if not territoires and not clean["hors_region"]:
        errors.append("Indiquez au moins un territoire (QPV, commune, EPCI ou contrat de ville).")
    clean["territoires"] = territoires
    themes = [t for t in data.get("themes") or [] if isinstance(t, str) and t.strip()]
    unknown = [t for t in themes if t not in THEMES]
    if unknown:
        errors.append(f"Thème(s) inconnu(s) : {', '.join(unknown)}.")
    clean["themes"] = themes
    methodes = [m.strip() for m in data.get("methodes") or [] if isinstance(m, str) and m.strip()]
    if any(len(m) > 80 for m in methodes):
        errors.append("Un nom de méthode dépasse 80 caractères.")
    clean["methodes"] = methodes
    elements = data.get("elements") or {}
    clean["elements"] = {}
    for key, label in ELEMENTS.items():
        level = elements.get(key, "")
        if level not in NIVEAUX_ELEMENT:
            errors.append(f"« {label} » : niveau inconnu « {level} » (faible, moyen ou fort).")
        clean["elements"][key] = level
    actors = _actors(data.get("acteurs") or [], errors)
    if errors:
        raise ValidationError(errors)
    return clean, actors


def _territories(items: list, known_territory: Callable[[str, str], bool] | None, errors: list[str]) -> list[dict]:
    """The well-formed, known territories of an experience (``{type, code}``); a problem each in ``errors``."""
    territoires = []
    for item in items:
        if not isinstance(item, dict):
            errors.append("Territoire mal formé (type et code attendus).")
            continue
        kind, code = str(item.get("type", "")), str(item.get("code", "")).strip()
        if kind not in TERRITOIRES or not code:
            errors.append(f"Territoire « {kind} {code} » mal formé.")
        elif known_territory is not None and not known_territory(kind, code):
            errors.append(f"Territoire inconnu : {kind} « {code} ».")
        else:
            territoires.append({"type": kind, "code": code})
    return territoires


def _actors(items: list, errors: list[str]) -> list[dict]:
    """The experience's actors (``{nom, type, role}``), numbered in the messages; a problem each in ``errors``."""
    actors = []
    for number, actor in enumerate(items, start=1):
        sub: list[str] = []
        if not isinstance(actor, dict):
            errors.append(f"Acteur {number} : nom, type et rôle attendus.")
            continue
        nom = _text(actor, "nom", f"Acteur {number} – nom", sub, required=True, max_len=200)
        role = _text(actor, "role", f"Acteur {number} – rôle", sub, required=False, max_len=200)
        kind = actor.get("type", "")
        if not isinstance(kind, str) or kind not in TYPES_ACTEUR:
            sub.append(f"Acteur {number} : type inconnu « {kind} ».")
        errors.extend(sub)
        if not sub:
            actors.append({"nom": nom, "type": kind, "role": role})
    return actors


def validate_rencontre(data: dict) -> dict:
    """Check a meeting proposal or correction."""
    errors: list[str] = []
    clean = {
        "evenement_id": _text(data, "evenement_id", "Événement concerné", errors, required=False, max_len=80),
        "titre": _text(data, "titre", "Titre", errors, required=True, max_len=300),
        "contenu": _text(data, "contenu", "Proposition", errors, required=True, max_len=5000, multiline=True),
    }
    if errors:
        raise ValidationError(errors)
    return clean


def validate_keyword(mot: str) -> str:
    """One keyword: 2 to 60 characters with at least two letters, a single expression (no line break).

    Direction controls (a right-to-left override would show the word reversed on the room's screen)
    are taken out; other control characters are refused.
    """
    mot = without_direction_controls(str(mot or ""))
    if control_characters(mot, multiline=True):
        raise ValidationError(["Le mot-clé contient un caractère de contrôle (invisible)."])
    value = " ".join(mot.split())
    if sum(character.isalpha() for character in value) < 2:
        raise ValidationError(["Le mot-clé doit contenir au moins deux lettres."])
    if len(value) > 60:
        raise ValidationError(["Le mot-clé dépasse 60 caractères."])
    return value


def rejection_reason(motif: str | None) -> str:
    """A rejection reason: required, at most 2,000 characters."""
    if not (motif or "").strip():
        raise ValidationError(["Indiquez le motif du rejet."])
    return motif.strip()[:2000]


def experience_from_form(
    *,
    titre: str,
    resume: str,
    statut: str,
    periode: str,
    themes: list[str],
    territoires: list[str],
    elements: dict[str, str],
    acteurs: list[dict],
) -> dict:
    """What the proposal form sends, shaped as :func:`validate_experience` expects it.

    ``territoires`` are ``"type:code"`` keys of the picker; actor rows without a name are the
    form's empty line and are left out.
    """
    return {
        "titre": titre,
        "resume": resume,
        "statut": statut,
        "periode": periode,
        "themes": list(themes),
        "territoires": [dict(zip(("type", "code"), t.split(":", 1), strict=True)) for t in territoires],
        "elements": dict(elements),
        "acteurs": [
            {key: "" if value is None or value != value else value for key, value in row.items()}
            for row in acteurs
            if str(row.get("nom") or "").strip() and row.get("nom") == row.get("nom")
        ],
    }


def experience_lines(experience: dict, territory_labels: dict[str, str] | None = None) -> dict:
    """What a pending experience shows to editors: status, territories and actors, in words.

    ``territory_labels``: ``"type:code"`` → name, as the proposal form offered them; without it (no
    reference data) a territory reads by its kind and code.
    """
    labels = territory_labels or {}
    territoires = ", ".join(
        labels.get(f"{t['type']}:{t['code']}", f"{TERRITOIRE_LIBELLES.get(t['type'], t['type'])} {t['code']}")
        for t in experience["territoires"]
    )
    return {
        "statut": STATUTS_EXPERIENCE.get(experience["statut"], experience["statut"]),
        "territoires": territoires or "hors région",
        "acteurs": [
            f"{a['nom']} ({TYPES_ACTEUR.get(a['type'], a['type'])}) : {a['role']}" for a in experience["acteurs"]
        ],
    }


#: The audit log's actions and objects as editors read them (the store keeps short codes).
ACTIONS_JOURNAL = {
    "proposition": "Proposition",
    "modification": "Modification",
    "suppression": "Suppression",
    "approbation": "Approbation",
    "rejet": "Rejet",
    "masquage": "Masquage",
    "restauration": "Restauration d'une sauvegarde",
    "reponses": "Réponses à l'enquête enregistrées",
    "parametre": "Réglage modifié",
    "sauvegarde": "Sauvegarde téléchargée",
    "compte_cree": "Compte créé",
    "compte_active": "Compte réactivé",
    "compte_desactive": "Compte désactivé",
    "compte_role": "Rôle changé",
    "compte_supprime": "Compte supprimé",
}
OBJETS_JOURNAL = {
    "experience": "Expérience de coopération",
    "rencontre": "Rencontre proposée",
    "mot_cle": "Mot-clé en direct",
    "enquete": "Enquête",
    "reponse": "Réponse à l'enquête",
    "base": "Base des contributions",
    "compte": "Compte d'un éditeur",
}
AUTEURS_JOURNAL = {"public": "Public (formulaire)", "import": "Import d'un fichier"}


def _author(entry: dict) -> str:
    """Who acted: « Public (formulaire) », or the person's name, identifier and way of signing in."""
    from cartographie.domaine.comptes import METHODES

    qui = str(entry["qui"])
    if not entry.get("identifiant"):
        return AUTEURS_JOURNAL.get(qui, qui)
    return f"{qui} ({entry['identifiant']}, {METHODES.get(str(entry.get('methode')), 'méthode inconnue')})"


def audit_table(entries: list[dict]) -> pd.DataFrame:
    """The audit log as editors read it: when (time of France), who, what, on which item — words, not codes."""
    from cartographie.domaine.formats import format_datetime

    def objet(code: object) -> str:
        text = str(code or "")
        return OBJETS_JOURNAL.get(text, f"Réglage « {text} »" if text else "–")

    return pd.DataFrame(
        [
            {
                "Quand": format_datetime(e["quand"]),
                "Qui": _author(e),
                "Action": ACTIONS_JOURNAL.get(str(e["action"]), str(e["action"])),
                "Objet": objet(e["objet"]),
                "N°": "" if e["objet_id"] is None else str(e["objet_id"]),
            }
            for e in entries
        ],
        columns=["Quand", "Qui", "Action", "Objet", "N°"],
    )
