"""Editors' space: moderation of proposals, audit log, backup and restore."""

import streamlit as st

from cartographie.domaine.contributions import ValidationError
from cartographie.domaine.vocabulaires import STATUTS_EXPERIENCE, TYPES_ACTEUR
from cartographie.ui import cache, contributions, mise_en_page

mise_en_page.page_with_no_reference("Contributions et modération")
st.markdown(
    "Les propositions du public (expériences de coopération, corrections de rencontres) restent invisibles "
    "jusqu'à leur validation par un éditeur. Chaque action est inscrite au journal."
)
editeur = contributions.editor_signed_in()
if editeur is None:
    st.stop()

base = cache.store()
st.success(f"Connecté en tant qu'éditeur : {editeur}.")
if st.button("Se déconnecter", key="editeur_deconnexion"):
    del st.session_state["editeur"]
    st.rerun()


onglets = st.tabs(["Expériences", "Rencontres proposées", "Mots-clés en direct", "Journal", "Sauvegarde"])
with onglets[0]:
    attente = base.experiences(etats=("en_attente",))
    st.markdown(f"**{len(attente)}** expérience(s) en attente de validation.")
    for experience in attente:
        with st.expander(f"n°{experience['id']} – {experience['titre']}"):
            st.markdown(f"**Résumé** : {mise_en_page.md_escape(experience['resume'])}")
            st.markdown(f"**Statut** : {STATUTS_EXPERIENCE.get(experience['statut'], experience['statut'])}")
            territoires = ", ".join(f"{t['type']} {t['code']}" for t in experience["territoires"]) or "hors région"
            st.markdown(f"**Territoires** : {mise_en_page.md_escape(territoires)}")
            acteurs = [
                f"{a['nom']} ({TYPES_ACTEUR.get(a['type'], a['type'])}) : {a['role']}" for a in experience["acteurs"]
            ]
            st.markdown("**Acteurs** :\n" + "\n".join(f"- {mise_en_page.md_escape(a)}" for a in acteurs))
            contributions.moderation_buttons(
                experience["id"],
                "",
                approve=base.approve_experience,
                reject=base.reject_experience,
                delete=base.delete_experience,
                editor=editeur,
                approve_label="Approuver",
            )
            with st.form(f"modifier_{experience['id']}"):
                titre = st.text_input("Titre", value=experience["titre"], max_chars=200)
                resume = st.text_area("Résumé", value=experience["resume"], max_chars=5000)
                if st.form_submit_button("Enregistrer la modification"):
                    contributions.run_action(
                        base.update_experience,
                        experience["id"],
                        {**experience, "titre": titre, "resume": resume},
                        editeur,
                    )

with onglets[1]:
    propositions = base.rencontres_proposees(etats=("en_attente",))
    st.markdown(f"**{len(propositions)}** proposition(s) en attente.")
    for proposition in propositions:
        with st.expander(f"n°{proposition['id']} – {proposition['titre']}"):
            if proposition["evenement_id"]:
                st.markdown(f"Concerne l'événement : `{mise_en_page.md_escape(proposition['evenement_id'])}`")
            st.markdown(mise_en_page.md_escape(proposition["contenu"]))
            contributions.moderation_buttons(
                proposition["id"],
                "rencontre_",
                approve=base.approve_rencontre,
                reject=base.reject_rencontre,
                delete=base.delete_rencontre,
                editor=editeur,
                approve_label="Accepter",
            )

with onglets[2]:
    sessions = base.keyword_sessions()
    if not sessions:
        st.markdown("Aucun mot-clé reçu pour le moment.")
    else:
        session = st.selectbox(
            "Session",
            list(sessions),
            format_func=lambda s: f"{s} ({sessions[s]} mot(s))",
            key="mots_session",
        )
        for mot in base.keywords(session, include_hidden=True):
            colonnes = st.columns([4, 1])
            colonnes[0].markdown(
                ("~~" if mot["masque"] else "")
                + mise_en_page.md_escape(mot["mot"])
                + ("~~ (masqué)" if mot["masque"] else "")
            )
            if not mot["masque"] and colonnes[1].button("Masquer", key=f"masquer_mot_{mot['id']}"):
                contributions.run_action(base.hide_keyword, mot["id"], editeur)

with onglets[3]:
    entrees = base.audit_log()
    st.dataframe(
        [
            {"Quand": e["quand"], "Qui": e["qui"], "Action": e["action"], "Objet": e["objet"], "N°": e["objet_id"]}
            for e in entrees
        ],
        hide_index=True,
        width="stretch",
        key="journal_tableau",
    )

with onglets[4]:
    st.download_button(
        "Télécharger une sauvegarde complète (ZIP : JSON et CSV)",
        data=base.export_backup,
        file_name="sauvegarde-contributions.zip",
        mime="application/zip",
        on_click="ignore",
        key="sauvegarde",
    )
    st.markdown("**Restaurer** une sauvegarde dans une base vide (rien n'est écrit si le fichier est incorrect).")
    fichier = st.file_uploader("Sauvegarde (.zip)", type=["zip"], key="restauration_fichier")
    if fichier is not None and st.button("Restaurer cette sauvegarde", key="restaurer"):
        try:
            comptes = base.restore_backup(fichier.getvalue(), editeur)
        except ValidationError as error:
            st.error("Restauration refusée, rien n'a été écrit : " + " ; ".join(error.messages))
        else:
            st.success("Restauration faite : " + ", ".join(f"{n} {t}" for t, n in comptes.items()))
