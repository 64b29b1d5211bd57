"""Contributions: editors' sign-in, proposals, moderation actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from cartographie import config
from cartographie.ui.cache import login_throttle, store

if TYPE_CHECKING:  # the heavy modules are imported where used, so that cached pages start light
    pass


def editor_signed_in() -> str | None:
    """The signed-in editor's name, or ``None``; shows the sign-in form (or how to enable it)."""
    from cartographie.stockage.connexion import configured_hash

    if st.session_state.get("editeur"):
        return st.session_state["editeur"]
    try:
        secrets = dict(st.secrets)
    except Exception:  # no secrets file
        secrets = {}
    stored = configured_hash(secrets)
    if not stored:
        st.warning(
            "L'espace des éditeurs est fermé : aucun mot de passe d'éditeur n'est configuré.", icon=":material/lock:"
        )
        st.markdown(
            "Pour l'ouvrir : produisez l'empreinte d'un mot de passe avec `python -m cartographie.auth hash`, puis "
            f"placez-la dans la variable d'environnement `{config.EDITOR_HASH_ENV}` ou dans le secret Streamlit "
            f"`{config.EDITOR_HASH_SECRET}` "
            "(fichier `.streamlit/secrets.toml`), et relancez l'application."
        )
        return None
    with st.form("connexion_editeur"):
        nom = st.text_input("Votre nom (inscrit au journal des actions)", key="editeur_nom", max_chars=60)
        mot_de_passe = st.text_input("Mot de passe des éditeurs", type="password", key="editeur_mdp")
        envoye = st.form_submit_button("Se connecter", key="editeur_connexion")
    if envoye:
        if not nom.strip():
            st.error("Indiquez votre nom : il est inscrit au journal de chaque action.")
        else:
            source = _source()
            verdict = login_throttle().attempt(source, mot_de_passe, stored)
            if verdict:
                st.session_state["editeur"] = nom.strip()
                st.rerun()
            elif verdict is None:
                attente = max(1, round(login_throttle().wait(source)))
                st.error(f"Trop d'essais de connexion : réessayez dans {attente} s.", icon=":material/timer:")
            else:
                st.error("Mot de passe incorrect. Après plusieurs échecs, les essais sont espacés.")
    return None


def _source() -> str:
    """The network address a sign-in comes from (its budget of attempts), « local » when unknown."""
    try:
        return str(st.context.ip_address or "local")
    except Exception:  # no browser context (tests)
        return "local"


def submit_meeting_proposal(evenement: str | None, titre: str, contenu: str) -> None:
    """Store a meeting proposal and say what happens next (or what is wrong), in French."""
    from cartographie.domaine.contributions import ValidationError

    try:
        store().propose_rencontre({"evenement_id": evenement or "", "titre": titre, "contenu": contenu})
    except ValidationError as error:
        st.error("Proposition non enregistrée : " + " ; ".join(error.messages))
    else:
        st.success("Merci ! Votre proposition sera relue par l'équipe éditoriale avant publication.")


def run_action(action, *args) -> None:
    """Run an editor's action; show its French error, or rerun so the page shows the new state."""
    from cartographie.domaine.contributions import NotFound, ValidationError

    try:
        action(*args)
    except (ValidationError, NotFound) as error:
        from cartographie.ui.mise_en_page import md_escape

        st.error(md_escape(error))
    else:
        st.rerun()


def moderation_buttons(item_id: int, prefix: str, *, approve, reject, delete, editor: str, approve_label: str) -> None:
    """Approve, reject with a reason, or delete one pending item (keys ``<verbe>_<prefix><id>``)."""
    colonnes = st.columns(3)
    if colonnes[0].button(approve_label, key=f"approuver_{prefix}{item_id}"):
        run_action(approve, item_id, editor)
    motif = colonnes[1].text_input("Motif du rejet", key=f"motif_{prefix}{item_id}")
    if colonnes[1].button("Rejeter", key=f"rejeter_{prefix}{item_id}"):
        run_action(reject, item_id, editor, motif)
    if colonnes[2].button("Supprimer", key=f"supprimer_{prefix}{item_id}"):
        run_action(delete, item_id, editor)
