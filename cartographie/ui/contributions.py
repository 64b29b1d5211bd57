"""Contributions: proposals, moderation actions (the editors' sign-in: :mod:`cartographie.ui.connexion`)."""

from __future__ import annotations

import streamlit as st

from cartographie.ui.cache import store


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


def moderation_buttons(item_id: int, prefix: str, *, approve, reject, delete, editor, approve_label: str) -> None:
    """Approve, reject with a reason, or delete one pending item (keys ``<verbe>_<prefix><id>``)."""
    colonnes = st.columns(3)
    if colonnes[0].button(approve_label, key=f"approuver_{prefix}{item_id}"):
        run_action(approve, item_id, editor)
    motif = colonnes[1].text_input("Motif du rejet", key=f"motif_{prefix}{item_id}")
    if colonnes[1].button("Rejeter", key=f"rejeter_{prefix}{item_id}"):
        run_action(reject, item_id, editor, motif)
    if colonnes[2].button("Supprimer", key=f"supprimer_{prefix}{item_id}"):
        run_action(delete, item_id, editor)
