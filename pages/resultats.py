"""Results of the cooperation survey: per question, agreement scales, cross-tables, keywords, map, editions."""

import streamlit as st

from cartographie.domaine.enquete import (
    AUTRES_REGROUPES,
    DEMO_LABEL,
    SEUIL_ANONYMAT,
    SEUIL_PUBLICATION,
    compare_editions,
    comparison_title,
    crosstab,
    crosstab_display,
    departement_counts,
    keyword_frequencies,
    option_counts,
    scale_table,
    survey_title,
)
from cartographie.rendu.graphiques import (
    departement_answers_figure,
    edition_comparison_figure,
    keyword_figure,
    survey_bar_figure,
    survey_scale_figure,
)
from cartographie.ui import cache, enquete, mise_en_page, telechargements

ref = mise_en_page.page_without_reference(
    "Résultats de l'enquête sur les coopérations", uses="la carte des réponses par département"
)
questionnaire = cache.questionnaire(ref)
par_edition, demo = cache.survey_results(questionnaire)
if demo:
    enquete.demo_banner()
if not par_edition:
    st.info("Aucune réponse n'est enregistrée pour le moment.", icon=":material/info:")
    st.markdown("[Répondre à l'enquête](enquete)")
    st.stop()

editions = sorted(par_edition, key=lambda e: (questionnaire.edition(e).annee, e), reverse=True)
edition_id = st.selectbox(
    "Édition",
    editions,
    format_func=lambda e: (
        f"{questionnaire.edition(e).titre} – {len(par_edition[e])} réponse(s)" + (f" – {DEMO_LABEL}" if demo else "")
    ),
    key="resultats_edition",
)
edition = questionnaire.edition(edition_id)
reponses = par_edition[edition_id]
origine = (
    "réponses générées par le code de l'application (aucune vraie réponse)"
    if demo
    else "réponses saisies dans l'application ou importées par l'équipe éditoriale"
)
st.caption(f"Source : {questionnaire.titre}, {edition.titre} ({edition.annee}) ; {origine}.")
if len(reponses) < SEUIL_PUBLICATION:
    if not mise_en_page.is_editor():
        st.info(
            f"Cette édition compte moins de {SEUIL_PUBLICATION} réponses : ses résultats ne sont pas publiés, pour "
            "que personne ne puisse être reconnu. Les éditeurs connectés (page « Contributions ») peuvent les "
            "consulter.",
            icon=":material/visibility_off:",
        )
        st.stop()
    st.warning(
        f"**Résultats non publiés** (moins de {SEUIL_PUBLICATION} réponses) : visibles des seuls éditeurs "
        "connectés. Ne les diffusez pas en dehors de l'équipe.",
        icon=":material/visibility_off:",
    )
st.caption(
    f"Secret statistique : toute case qui compte de 1 à {SEUIL_ANONYMAT - 1} réponses est masquée, ainsi que "
    "d'autres cases choisies pour qu'aucune ne puisse être recalculée à partir des totaux ou des autres vues ; "
    "toutes les cases masquées s'affichent de la même façon (« masqué »)."
)

vues = ["Par question", "Éléments déterminants", "Tableaux croisés", "Mots-clés", "Carte", "Comparaison des éditions"]
vue = st.radio("Vue", vues, horizontal=True, key="resultats_vue", label_visibility="collapsed")
fichier = f"enquete_{edition_id}"


def titre(quoi: str, n: int) -> str:
    """Chart title: what, edition, number of answers (and the demo label)."""
    return survey_title(quoi, edition, n, demo=demo)


if vue == "Par question":
    choix = {q.id: q.libelle for q in questionnaire.of_type("choix_unique", "choix_multiple", "departement")}
    question = questionnaire.question(
        st.selectbox("Question", list(choix), format_func=choix.get, key="resultats_question")
    )
    table = option_counts(questionnaire, reponses, question)
    n = sum(1 for r in reponses if r.get(question.id))
    if question.type == "choix_multiple":
        st.caption("Plusieurs réponses possibles : les parts sont calculées sur les personnes ayant répondu.")
    telechargements.chart_with_table(
        survey_bar_figure(table, titre(question.libelle, n)),
        crosstab_display(table.drop(columns="Code")),
        key="resultats_question",
        filename=f"{fichier}_{question.id}",
        demo=demo,
    )

elif vue == "Éléments déterminants":
    st.markdown(
        "La coopération suppose trois éléments : **la volonté des acteurs**, **un but commun** et le fait "
        "d'**agir sur un même territoire ou un même sujet** ; elle demande de la confiance et du temps."
    )
    echelles = questionnaire.of_type("echelle")
    table = scale_table(questionnaire, reponses, echelles)
    n = int(table["Réponses"].max()) if len(table) else 0
    telechargements.chart_with_table(
        survey_scale_figure(table, list(questionnaire.echelle.values()), titre("Degré d'accord", n)),
        crosstab_display(table.drop(columns="Code")),
        key="resultats_echelles",
        filename=f"{fichier}_accord",
        demo=demo,
    )

elif vue == "Tableaux croisés":
    st.markdown(
        "Les catégories trop petites pour être montrées à part sont regroupées dans « "
        f"{AUTRES_REGROUPES} » ; les cases masquées le sont pour le secret statistique."
    )
    colonnes = st.columns(2)
    croisables = {
        q.id: q.libelle for q in questionnaire.of_type("choix_unique", "choix_multiple", "echelle", "departement")
    }
    croisables.pop(st.session_state.get("resultats_croise_par", "type_acteur"), None)
    question = questionnaire.question(
        colonnes[0].selectbox(
            "Question",
            list(croisables),
            format_func=croisables.get,
            index=min(4, len(croisables) - 1),
            key="resultats_croise_question",
        )
    )
    axes = {"type_acteur": "Type d'acteur", "departement": "Département"}
    par = questionnaire.question(
        colonnes[1].radio("Croiser par", list(axes), format_func=axes.get, horizontal=True, key="resultats_croise_par")
    )
    table = crosstab_display(crosstab(questionnaire, reponses, question, par))
    st.markdown(f"**{titre(question.libelle + ' × ' + axes[par.id].lower(), len(reponses))}**")
    st.dataframe(table, hide_index=True, width="stretch", key="resultats_croise_tableau")
    telechargements.download_table(
        table, filename=f"{fichier}_{question.id}_par_{par.id}", key="resultats_croise", demo=demo
    )

elif vue == "Mots-clés":
    question = questionnaire.of_type("mot_cle")[0]
    mots = [r[question.id] for r in reponses if r.get(question.id)]
    table = keyword_frequencies(mots)
    st.caption(
        "Les mots sont regroupés sans tenir compte des majuscules, des accents, des pluriels ni des petits mots "
        "(le, de, et…) : « coopérations » et « Coopération » comptent pour un même mot."
    )
    telechargements.chart_with_table(
        keyword_figure(table, titre(question.libelle, len(mots))),
        table,
        key="resultats_mots",
        filename=f"{fichier}_mots_cles",
        demo=demo,
    )

elif vue == "Carte" and ref is None:
    st.warning("La carte des réponses a besoin des contours des départements (données de référence indisponibles).")
    table = crosstab_display(departement_counts(reponses, questionnaire.of_type("departement")[0]).drop(columns="Code"))
    st.dataframe(table, hide_index=True, width="stretch", key="resultats_carte_tableau")

elif vue == "Carte":
    question = questionnaire.of_type("departement")[0]
    table = departement_counts(reponses, question)
    departements = cache.lazy_map_layers().geojson["departements"]
    shown = crosstab_display(table.drop(columns="Code"))
    telechargements.chart_with_table(
        departement_answers_figure(table, departements, titre("Réponses par département", len(reponses))),
        shown,
        key="resultats_carte",
        filename=f"{fichier}_departements",
        demo=demo,
    )
    mise_en_page.source_caption(ref.source("departements"))

else:
    if len(par_edition) < 2:
        st.info("Une seule édition a des réponses : la comparaison viendra avec la suivante.", icon=":material/info:")
    else:
        colonnes = st.columns(3)
        autres = [e for e in editions if e != edition_id]
        reference_id = colonnes[0].selectbox(
            "Comparer avec",
            autres,
            format_func=lambda e: questionnaire.edition(e).titre,
            key="resultats_comparaison_edition",
        )
        comparables = {q.id: q.libelle for q in questionnaire.of_type("choix_unique", "choix_multiple", "echelle")}
        question = questionnaire.question(
            colonnes[1].selectbox(
                "Question", list(comparables), format_func=comparables.get, key="resultats_comparaison_question"
            )
        )
        libelles = (reference_id, edition_id)
        table = compare_editions(questionnaire, par_edition[reference_id], reponses, question, libelles)
        titre_comparaison = comparison_title(
            question.libelle, libelles, (len(par_edition[reference_id]), len(reponses)), demo=demo
        )
        telechargements.chart_with_table(
            edition_comparison_figure(table, libelles, titre_comparaison),
            crosstab_display(table),
            key="resultats_comparaison",
            filename=f"enquete_{reference_id}_{edition_id}_{question.id}",
            demo=demo,
        )
