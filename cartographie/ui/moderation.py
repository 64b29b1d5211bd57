"""The editors' space: pending proposals, live keywords to hide, the audit log, backup and restore."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from cartographie.domaine.contributions import ValidationError, audit_table, experience_lines
from cartographie.ui import cache, contributions, mise_en_page
from cartographie.ui.comptes import accounts_section
from cartographie.ui.connexion import allowed
from cartographie.ui.mise_en_page import md_escape

if TYPE_CHECKING:
    from cartographie.domaine.comptes import Identity

#: The tabs of the editors' space, in order.
ONGLETS = [
    "Expériences",
    "Rencontres proposées",
    "Réponses à l'enquête",
    "Mots-clés en direct",
    "Journal",
    "Sauvegarde",
    "Comptes",
]


#: Survey answers whose own words an editor reads at a time.
REPONSES_PAR_PAGE = 25


def pending_experiences(base, editeur: Identity) -> None:
    """Experiences waiting for validation: approve, reject with a reason, edit, delete."""
    if not allowed(editeur, "moderer"):
        return
    attente = base.experiences(etats=("en_attente",))
    st.markdown(f"**{len(attente)}** expérience(s) en attente de validation.")
    labels = _territory_labels() if attente else {}
    for experience in attente:
        with st.expander(f"n°{experience['id']} – {md_escape(experience['titre'])}"):
            st.markdown(f"**Résumé** : {md_escape(experience['resume'])}")
            lines = experience_lines(experience, labels)
            st.markdown(f"**Statut** : {md_escape(lines['statut'])}")
            st.markdown(f"**Territoires** : {md_escape(lines['territoires'])}")
            st.markdown("**Acteurs** :\n" + "\n".join(f"- {md_escape(a)}" for a in lines["acteurs"]))
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


def _territory_labels() -> dict[str, str]:
    """The territories' names as the proposal form offered them (none when the reference data is unusable)."""
    from cartographie.lecture.erreurs import ReferenceDataError

    try:
        return cache.territory_choices(cache.reference())
    except ReferenceDataError:
        return {}


def pending_meetings(base, editeur: Identity) -> None:
    """Meeting proposals waiting for validation."""
    if not allowed(editeur, "moderer"):
        return
    propositions = base.rencontres_proposees(etats=("en_attente",))
    st.markdown(f"**{len(propositions)}** proposition(s) en attente.")
    for proposition in propositions:
        with st.expander(f"n°{proposition['id']} – {md_escape(proposition['titre'])}"):
            if proposition["evenement_id"]:
                st.markdown(f"Concerne l'événement : {md_escape(proposition['evenement_id'])}")
            st.markdown(md_escape(proposition["contenu"]))
            contributions.moderation_buttons(
                proposition["id"],
                "rencontre_",
                approve=base.approve_rencontre,
                reject=base.reject_rencontre,
                delete=base.delete_rencontre,
                editor=editeur,
                approve_label="Accepter",
            )


def live_keywords(base, editeur: Identity) -> None:
    """The keywords of a live session: hide one, every word of a participant or a network, or all at once."""
    if not allowed(editeur, "mots_cles"):
        return
    from collections import Counter

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
        mots = base.keywords(session, include_hidden=True)
        visibles = [m for m in mots if not m["masque"]]
        if visibles and st.button(f"Masquer les {len(visibles)} mots visibles de cette session", key="masquer_tous"):
            contributions.run_action(_hide_keywords, base, [m["id"] for m in visibles], editeur)
        par_participant = Counter(m["participant"] for m in visibles if m["participant"])
        par_reseau = Counter(m["reseau"] for m in visibles if m["reseau"])
        for mot in mots:
            colonnes = st.columns([3, 1, 1, 1])
            colonnes[0].markdown(
                ("~~" if mot["masque"] else "") + md_escape(mot["mot"]) + ("~~ (masqué)" if mot["masque"] else "")
            )
            if mot["masque"]:
                continue
            if colonnes[1].button("Masquer", key=f"masquer_mot_{mot['id']}"):
                contributions.run_action(_hide_keyword, base, mot["id"], editeur)
            meme = [m["id"] for m in visibles if mot["participant"] and m["participant"] == mot["participant"]]
            if par_participant[mot["participant"]] > 1 and colonnes[2].button(
                f"Ses {len(meme)} mots",
                key=f"masquer_participant_{mot['id']}",
                help="Masquer tous les mots de ce participant",
            ):
                contributions.run_action(_hide_keywords, base, meme, editeur)
            reseau = [m["id"] for m in visibles if mot["reseau"] and m["reseau"] == mot["reseau"]]
            if par_reseau[mot["reseau"]] > 1 and colonnes[3].button(
                f"Son réseau ({len(reseau)})", key=f"masquer_reseau_{mot['id']}",
                help="Masquer tous les mots venus de la même adresse réseau",
            ):  # fmt: skip
                contributions.run_action(_hide_keywords, base, reseau, editeur)
    refused_words_form(base, editeur)


def refused_words_form(base, editeur: Identity) -> None:
    """The words the organisers add to the list of words refused on the room's screen."""
    from cartographie.domaine.salle import REFUSED_WORDS_SETTING
    from cartographie.lecture.mots_refuses import load_refused_words

    ajoutes = base.setting(REFUSED_WORDS_SETTING, [])
    with st.form("mots_refuses"):
        base_count = len(load_refused_words())
        texte = st.text_area(
            f"Mots refusés ajoutés par l'équipe (un par ligne ; la liste de base en compte {base_count})",
            value="\n".join(ajoutes),
            key="mots_refuses_saisie",
        )
        if st.form_submit_button("Enregistrer la liste"):
            mots = list(dict.fromkeys(" ".join(line.split()) for line in texte.splitlines() if line.strip()))
            contributions.run_action(_save_refused_words, base, mots, editeur)


def pending_answers(base, editeur: Identity) -> None:
    """Survey answers whose free text waits for an editor: publish it, hide the answer, or delete it.

    Contact details were masked when the answer was stored; a name or anything else that
    identifies someone is the editor's call.
    """
    if not allowed(editeur, "moderer"):
        return
    from cartographie.domaine.enquete.questionnaire import free_text_keys

    questionnaire = cache.questionnaire(None)
    private = free_text_keys(questionnaire)
    labels = {q.id: q.libelle for q in questionnaire.questions}
    labels |= {q.autre_key: f"{q.libelle} (« Autre », précision)" for q in questionnaire.questions if q.autre}
    attente = [
        r
        for r in base.survey_answers(etat="en_attente")
        if any(str(r["reponses"].get(k) or "").strip() for k in private)
    ]
    st.markdown(
        f"**{len(attente)}** réponse(s) dont les mots du répondant (mot-clé, commentaire, précision « Autre ») "
        "attendent d'être lus avant d'être publiés. Les adresses électroniques, numéros de téléphone et adresses web "
        "ont déjà été masqués à l'enregistrement."
    )
    page = attente[:REPONSES_PAR_PAGE]
    for reponse in page:
        textes = [(labels.get(k, k), str(v)) for k, v in reponse["reponses"].items() if k in private and str(v).strip()]
        with st.container(border=True):
            st.markdown(f"**Réponse n°{reponse['id']}** – édition {md_escape(reponse['edition'])}")
            st.markdown("\n".join(f"- {md_escape(libelle)} : {md_escape(texte)}" for libelle, texte in textes))
            colonnes = st.columns(3)
            if colonnes[0].button("Publier ses mots", key=f"publier_reponse_{reponse['id']}"):
                contributions.run_action(base.set_answer_state, reponse["id"], "publiee", editeur)
            if colonnes[1].button("Masquer la réponse", key=f"masquer_reponse_{reponse['id']}"):
                contributions.run_action(base.set_answer_state, reponse["id"], "masquee", editeur)
            if colonnes[2].button("Supprimer la réponse", key=f"supprimer_reponse_{reponse['id']}"):
                contributions.run_action(base.delete_answer, reponse["id"], editeur)
    if len(page) > 1 and st.button(f"Publier les mots de ces {len(page)} réponses", key="publier_reponses_page"):
        contributions.run_action(base.publish_answers, [r["id"] for r in page], editeur)


def _save_refused_words(base, mots: list[str], editeur: Identity) -> None:
    """Save the organisers' refused words; this process's keyword form reads them again at once."""
    from cartographie.domaine.salle import REFUSED_WORDS_SETTING
    from cartographie.ui.salle import forget_refused_words

    base.set_setting(REFUSED_WORDS_SETTING, mots, editeur)
    forget_refused_words()


def _hide_keywords(base, keyword_ids: list[int], editeur: Identity) -> None:
    from cartographie.ui.salle import forget_counts

    base.hide_keywords(keyword_ids, editeur)
    forget_counts()


def _hide_keyword(base, keyword_id: int, editeur: Identity) -> None:
    from cartographie.ui.salle import forget_counts

    base.hide_keyword(keyword_id, editeur)
    forget_counts()  # screens of this process stop showing it at once (others within one interval)


def audit_log(base, editeur: Identity) -> None:
    """The audit log of every editor's action."""
    mise_en_page.table(audit_table(base.audit_log()), key="journal_tableau", name="Journal des actions")


def backup(base, editeur: Identity) -> None:
    """Download a full backup (served once, to this session); restore one into an empty store."""
    from functools import partial

    from cartographie.ui.adaptateur.internes import ONE_TIME_DOWNLOAD, backups_served_once

    if not allowed(editeur, "sauvegarder"):
        return
    if backups_served_once():
        st.download_button(
            "Télécharger une sauvegarde complète (ZIP : JSON et CSV)",
            data=partial(base.export_backup, editeur),
            file_name=f"{ONE_TIME_DOWNLOAD}.zip",
            mime="application/zip",
            on_click="ignore",
            key="sauvegarde",
            help="Le fichier est préparé au clic, envoyé à ce navigateur, puis effacé du serveur.",
        )
    else:
        st.warning(
            "Téléchargement de la sauvegarde indisponible : le serveur ne peut pas garantir qu'elle ne serait "
            "servie qu'une fois (version de Streamlit inattendue, voir le journal du serveur). Utilisez "
            "« python -m cartographie.sauvegarde » sur le serveur.",
            icon=":material/lock:",
        )
    if not allowed(editeur, "restaurer"):
        return
    st.markdown("**Restaurer** une sauvegarde dans une base vide (rien n'est écrit si le fichier est incorrect).")
    fichier = mise_en_page.file_field("Sauvegarde (.zip)", types=["zip"], key="restauration_fichier")
    if fichier is not None and st.button("Restaurer cette sauvegarde", key="restaurer"):
        from cartographie.domaine.enquete.validation import stored_answer_problem
        from cartographie.stockage.archive import TABLE_LABELS

        questionnaire = cache.questionnaire(None)
        try:
            comptes = base.restore_backup(
                fichier.getvalue(),
                editeur,
                check_answer=lambda _edition, answer: stored_answer_problem(questionnaire, answer),
            )
        except ValidationError as error:
            st.error(
                "Restauration refusée, rien n'a été écrit :\n" + "\n".join(f"- {md_escape(m)}" for m in error.messages)
            )
        else:
            st.success("Restauration faite : " + ", ".join(f"{n} {TABLE_LABELS[t]}" for t, n in comptes.items()))


#: One function per tab, in the order of :data:`ONGLETS`.
SECTIONS = [pending_experiences, pending_meetings, pending_answers, live_keywords, audit_log, backup, accounts_section]
