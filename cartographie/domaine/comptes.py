"""Editors are people: who may do what, and who did it.

An editor signs in as themself (a personal local account, or their organisation's OpenID Connect
provider); the app decides what they may do from their role, never the provider. Two roles:

* **éditeur**: moderation, imports, live keywords;
* **administrateur**: everything, plus accounts, settings, backups and restores.

The shared password of earlier installations is the « compte commun » (an administrator, as it could
do everything). Every audit entry names the person, their identifier and how they signed in; the store
refuses an entry (and so the action it records) that the person's role does not allow
(:func:`action_of`).
"""

from __future__ import annotations

from dataclasses import dataclass

from cartographie.domaine.salle import REFUSED_WORDS_SETTING

#: The roles, with their French names.
ROLES = {"editeur": "Éditeur", "administrateur": "Administrateur"}

#: How a person signed in, with its French name (written in the audit log).
METHODES = {
    "local": "compte personnel",
    "oidc": "fournisseur d'identité",
    "commun": "compte commun",
    "console": "ligne de commande du serveur",
}

#: The editors' actions, with their French names and the roles allowed to take them.
ACTIONS = {
    "moderer": ("modérer les contributions", {"editeur", "administrateur"}),
    "importer": ("importer des réponses", {"editeur", "administrateur"}),
    "mots_cles": ("masquer ou rétablir des mots-clés", {"editeur", "administrateur"}),
    "reglages": ("changer les réglages", {"administrateur"}),
    "sauvegarder": ("télécharger une sauvegarde", {"administrateur"}),
    "restaurer": ("restaurer une sauvegarde", {"administrateur"}),
    "comptes": ("gérer les comptes", {"administrateur"}),
}

#: The audit log's actions that need a role, by the editors' action they belong to (see :func:`action_of`).
_LOGGED = {
    "restauration": "restaurer",
    "sauvegarde": "sauvegarder",
    "reponses": "importer",
    "compte_cree": "comptes",
    "compte_active": "comptes",
    "compte_desactive": "comptes",
    "compte_role": "comptes",
    "compte_supprime": "comptes",
}
#: The moderated objects of the audit log.
_MODERATED = {"experience", "rencontre", "reponse"}

#: Longest identifier (an e-mail address: RFC 5321's limit) and display name.
MAX_IDENTIFIANT = 254
MAX_NOM = 120
#: Shortest password of a personal account.
MIN_MOT_DE_PASSE = 12
#: The identifier of the shared account of earlier installations.
COMPTE_COMMUN = "compte-commun"


class AccountError(ValueError):
    """A refusal, said in French."""


@dataclass(frozen=True)
class Identity:
    """A signed-in person: identifier (an e-mail address or a login), display name, role, how they signed in."""

    identifiant: str
    nom: str
    role: str
    methode: str

    @property
    def label(self) -> str:
        """How the audit log names them: « Camille Martin (camille@exemple.fr, compte personnel) »."""
        return f"{self.nom} ({self.identifiant}, {METHODES[self.methode]})"


def shared_account(name: str = "") -> Identity:
    """The shared password's identity: an administrator, named « compte commun » (and the name typed, if any)."""
    nom = f"compte commun – {name.strip()}" if name.strip() else "compte commun"
    return Identity(COMPTE_COMMUN, nom[:MAX_NOM], "administrateur", "commun")


def server_console() -> Identity:
    """Whoever runs ``python -m cartographie.auth`` on the server: an administrator (they hold the server)."""
    return Identity("console", "ligne de commande du serveur", "administrateur", "console")


def may(identity: Identity | None, action: str) -> bool:
    """Whether ``identity`` may take ``action`` (unknown actions and nobody: never)."""
    if identity is None or action not in ACTIONS:
        return False
    return identity.role in ACTIONS[action][1]


def action_of(log_action: str, objet: str) -> str | None:
    """The editors' action an audit entry records (``None``: none is known, and nobody signed in may write it)."""
    if log_action in _LOGGED:
        return _LOGGED[log_action]
    if log_action == "parametre":
        return "mots_cles" if objet == REFUSED_WORDS_SETTING else "reglages"  # the refused words: moderation
    if objet == "mot_cle" and log_action == "masquage":
        return "mots_cles"
    if objet in _MODERATED and log_action in ("approbation", "rejet", "modification", "suppression", "masquage"):
        return "moderer"
    return None


def refusal(identity: Identity | None, action: str) -> str:
    """The French refusal of ``action`` to ``identity``: who may take it instead."""
    what, roles = ACTIONS.get(action, ("cette action", set()))
    allowed = " ou ".join(sorted(ROLES[r].lower() for r in roles)) or "personne"
    if identity is None:
        return f"Connectez-vous pour {what} (réservé au rôle {allowed})."
    return f"Refusé : {what} est réservé au rôle {allowed} ; votre rôle est {ROLES[identity.role].lower()}."


def check_identifiant(value: str, *, domain: bool = False) -> str:
    """The identifier as stored (trimmed, lower case), or a French refusal; one pass over at most 254 characters.

    With ``domain``, « @exemple.fr » is accepted too: every address of that domain (the allowlist of
    an OpenID Connect provider).
    """
    text = (value or "").strip()
    if domain and text.startswith("@") and text.count("@") == 1:
        if "." not in text or text.endswith(".") or text.startswith("@."):
            raise AccountError("Domaine refusé : écrivez-le comme « @exemple.fr ».")
        return "@" + check_identifiant(text[1:])
    if not text:
        raise AccountError("Indiquez un identifiant (une adresse électronique ou un nom de connexion).")
    if len(text) > MAX_IDENTIFIANT:
        raise AccountError(f"Identifiant trop long : {MAX_IDENTIFIANT} caractères au plus.")
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789.-_+@")
    text = text.lower()
    if any(c not in allowed for c in text):
        raise AccountError("Identifiant refusé : lettres sans accent, chiffres et « . - _ + @ » seulement.")
    if text.count("@") > 1 or text.startswith("@") or text.endswith("@"):
        raise AccountError("Identifiant refusé : une adresse électronique a un seul « @ », entre deux parties.")
    if text == COMPTE_COMMUN:
        raise AccountError(f"« {COMPTE_COMMUN} » est réservé au mot de passe partagé.")
    return text


def oidc_name(claims: dict) -> str:
    """The display name an OpenID Connect provider gives, checked; ``""`` when none is usable.

    ``name``, or ProConnect's ``given_name`` and ``usual_name`` (or ``family_name``).
    """
    parts = [claims.get("given_name"), claims.get("usual_name") or claims.get("family_name")]
    for candidate in (claims.get("name"), " ".join(str(p) for p in parts if p)):
        try:
            return check_nom(str(candidate or ""))
        except AccountError:
            continue
    return ""


def check_nom(value: str) -> str:
    """The display name (trimmed, at most 120 characters, no control character), or a French refusal."""
    text = " ".join((value or "").split())
    if not text:
        raise AccountError("Indiquez le nom affiché au journal des actions.")
    if len(text) > MAX_NOM:
        raise AccountError(f"Nom trop long : {MAX_NOM} caractères au plus.")
    if any(ord(c) < 32 for c in text):
        raise AccountError("Nom refusé : caractère de contrôle.")
    return text


def check_role(value: str) -> str:
    """A known role, or a French refusal naming the roles."""
    if value not in ROLES:
        raise AccountError(f"Rôle inconnu « {value} » : {', '.join(ROLES)}.")
    return value


def check_password(value: str) -> str:
    """A personal account's password: at least 12 characters."""
    if len(value or "") < MIN_MOT_DE_PASSE:
        raise AccountError(f"Mot de passe trop court : au moins {MIN_MOT_DE_PASSE} caractères.")
    return value
