"""The administrators' tab of the editors' space: personal accounts and the provider's allowlist."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from cartographie.ui import mise_en_page
from cartographie.ui.connexion import allowed

if TYPE_CHECKING:
    from cartographie.domaine.comptes import Identity


def accounts_section(base, editeur: Identity) -> None:
    """Who may edit: the accounts and allowlisted addresses, and the forms that change them."""
    from cartographie.domaine.comptes import METHODES, ROLES
    from cartographie.domaine.formats import format_datetime
    from cartographie.stockage import comptes

    if not allowed(editeur, "comptes"):
        return
    rows = comptes.accounts(base)
    st.markdown(
        "Chaque éditeur se connecte **en son nom** : avec un compte personnel (identifiant et mot de passe), ou "
        "par le fournisseur d'identité de son organisation si son adresse, ou son domaine (« @exemple.fr »), est "
        "autorisé ici. Un compte désactivé ou un rôle retiré vaut dès l'action suivante de la personne."
    )
    if rows:
        mise_en_page.table(
            [
                {
                    "Identifiant": r["identifiant"],
                    "Nom": r["nom"],
                    "Rôle": ROLES.get(r["role"], r["role"]),
                    "Connexion": METHODES.get(r["methode"], r["methode"]),
                    "État": "actif" if r["actif"] else "désactivé",
                    "Créé le": format_datetime(r["cree_le"]),
                    "Dernière connexion": format_datetime(r["derniere_connexion"]) if r["derniere_connexion"] else "",
                }
                for r in rows
            ],
            key="comptes_tableau",
            name="Comptes des éditeurs et adresses autorisées",
        )
    else:
        st.markdown("Aucun compte personnel ni adresse autorisée pour le moment.")
    _create_form(base, editeur)
    if rows:
        _change_form(base, editeur, [r["identifiant"] for r in rows])


def _create_form(base, editeur: Identity) -> None:
    """A personal account (with its password), or an address or domain the provider may sign in."""
    from cartographie.domaine.comptes import ROLES, AccountError, check_password
    from cartographie.stockage import comptes
    from cartographie.stockage.connexion import hash_password

    with st.form("compte_creer", clear_on_submit=True):
        st.markdown("**Ajouter un éditeur**")
        methode = st.radio(
            "Connexion",
            ["local", "oidc"],
            format_func={"local": "compte personnel (mot de passe)", "oidc": "fournisseur d'identité"}.get,
            key="compte_methode",
            horizontal=True,
        )
        identifiant = st.text_input(
            "Identifiant ou adresse",
            max_chars=254,
            key="compte_identifiant",
            help="Une adresse électronique, un nom de connexion, ou « @exemple.fr » pour tout un domaine "
            "(fournisseur d'identité).",
        )
        nom = st.text_input("Nom affiché au journal", max_chars=120, key="compte_nom")
        role = st.radio("Rôle", list(ROLES), format_func=ROLES.get, key="compte_role", horizontal=True)
        mot_de_passe = st.text_input(
            "Mot de passe (compte personnel, 12 caractères au moins)", type="password", max_chars=200, key="compte_mdp"
        )
        envoye = st.form_submit_button("Ajouter", key="compte_ajouter")
    if not envoye:
        return
    try:
        empreinte = hash_password(check_password(mot_de_passe)) if methode == "local" else ""
        created = comptes.create_account(base, identifiant, nom, role, by=editeur, methode=methode, empreinte=empreinte)
    except AccountError as error:
        st.error(mise_en_page.md_escape(error))
    else:
        st.success(f"« {mise_en_page.md_escape(created)} » ajouté ({ROLES[role].lower()}).")


def _change_form(base, editeur: Identity, identifiants: list[str]) -> None:
    """Disable, enable again, or give another role to one account."""
    from cartographie.domaine.comptes import ROLES, AccountError
    from cartographie.stockage import comptes

    st.markdown("**Modifier un compte**")
    cible = st.selectbox("Compte", identifiants, key="compte_cible")
    colonnes = st.columns(4)
    try:
        if colonnes[0].button("Désactiver", key="compte_desactiver"):
            comptes.set_active(base, cible, False, by=editeur)
            st.rerun()
        if colonnes[1].button("Réactiver", key="compte_activer"):
            comptes.set_active(base, cible, True, by=editeur)
            st.rerun()
        role = colonnes[2].selectbox("Nouveau rôle", list(ROLES), format_func=ROLES.get, key="compte_nouveau_role")
        if colonnes[2].button("Changer le rôle", key="compte_changer_role"):
            comptes.set_role(base, cible, role, by=editeur)
            st.rerun()
        confirme = colonnes[3].checkbox("Confirmer la suppression", key="compte_supprimer_confirme")
        if colonnes[3].button("Supprimer", key="compte_supprimer", help="Le journal garde les actions du compte."):
            if not confirme:
                raise AccountError("Cochez « Confirmer la suppression » : un compte supprimé ne revient pas.")
            comptes.delete_account(base, cible, by=editeur)
            st.rerun()
    except AccountError as error:
        st.error(mise_en_page.md_escape(error))
