"""The survey's results page: the edition, who may see it, and one function per view behind one dispatcher."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cartographie.domaine import enquete as survey
from cartographie.domaine.enquete import Edition, Questionnaire
from cartographie.rendu import graphiques
from cartographie.ui import cache, mise_en_page, telechargements


@dataclass(frozen=True)
class Results:
    """What every view needs: the questionnaire, the chosen edition and its answers, the other editions."""

    questionnaire: Questionnaire
    edition: Edition
    answers: list[dict]
    by_edition: dict[str, list[dict]]
    demo: bool
    ref: object | None  # the reference data, when usable (the map view needs the departments' outlines)

    def title(self, what: str, n: int) -> str:
        """A chart title: what, edition, number of answers (and the demo label)."""
        return survey.survey_title(what, self.edition, n, demo=self.demo)

    @property
    def file(self) -> str:
        """Stem of the exports' file names."""
        return f"enquete_{self.edition.id}"


def choose_edition(questionnaire: Questionnaire, by_edition: dict, demo: bool, ref) -> Results:
    """The edition picker (latest first; demo editions say so) and the source line under it."""
    editions = sorted(by_edition, key=lambda e: (questionnaire.edition(e).annee, e), reverse=True)
    label = survey.DEMO_LABEL if demo else ""
    edition_id = st.selectbox(
        "Édition",
        editions,
        format_func=lambda e: (
            f"{questionnaire.edition(e).label} – {len(by_edition[e])} réponse(s)" + (f" – {label}" if label else "")
        ),
        key="resultats_edition",
    )
    edition = questionnaire.edition(edition_id)
    origin = (
        "réponses générées par le code de l'application (aucune vraie réponse)"
        if demo
        else "réponses saisies dans l'application ou importées par l'équipe éditoriale"
    )
    st.caption(
        f"Source : {mise_en_page.md_escape(questionnaire.titre)}, {mise_en_page.md_escape(edition.label)} ; {origin}."
    )
    return Results(questionnaire, edition, by_edition[edition_id], by_edition, demo, ref)


def publication_gate(results: Results) -> None:
    """Stop here for a visitor when the edition has too few answers to be published; say how cells are hidden."""
    if len(results.answers) < survey.SEUIL_PUBLICATION:
        if not mise_en_page.is_editor():
            st.info(
                f"Cette édition compte moins de {survey.SEUIL_PUBLICATION} réponses : ses résultats ne sont pas "
                "publiés, pour que personne ne puisse être reconnu. Les éditeurs connectés (page « Contributions ») "
                "peuvent les consulter.",
                icon=":material/visibility_off:",
            )
            st.stop()
        st.warning(
            f"**Résultats non publiés** (moins de {survey.SEUIL_PUBLICATION} réponses) : visibles des seuls "
            "éditeurs connectés. Ne les diffusez pas en dehors de l'équipe.",
            icon=":material/visibility_off:",
        )
    st.caption(
        f"Secret statistique : toute case qui compte de 1 à {survey.SEUIL_ANONYMAT - 1} réponses est masquée, ainsi "
        "que d'autres cases choisies pour qu'aucune ne puisse être recalculée à partir des totaux ou des autres "
        "vues ; toutes les cases masquées s'affichent de la même façon (« masqué »)."
    )


def _by_question(results: Results) -> None:
    questionnaire = results.questionnaire
    choices = {q.id: q.libelle for q in questionnaire.of_type("choix_unique", "choix_multiple", "departement")}
    question = questionnaire.question(
        st.selectbox("Question", list(choices), format_func=choices.get, key="resultats_question")
    )
    table = survey.option_counts(questionnaire, results.answers, question)
    if question.type == "choix_multiple":
        st.caption("Plusieurs réponses possibles : les parts sont calculées sur les personnes ayant répondu.")
    n = len(survey.answered(results.answers, question))
    telechargements.chart_with_table(
        graphiques.survey_bar_figure(table, results.title(question.libelle, n)),
        survey.crosstab_display(table.drop(columns="Code")),
        key="resultats_question",
        filename=f"{results.file}_{question.id}",
        demo=results.demo,
    )


def _scales(results: Results) -> None:
    st.markdown(
        "La coopération suppose trois éléments : **la volonté des acteurs**, **un but commun** et le fait "
        "d'**agir sur un même territoire ou un même sujet** ; elle demande de la confiance et du temps."
    )
    questionnaire = results.questionnaire
    table = survey.scale_table(questionnaire, results.answers, questionnaire.of_type("echelle"))
    n = int(table["Réponses"].max()) if len(table) else 0
    telechargements.chart_with_table(
        graphiques.survey_scale_figure(table, list(questionnaire.echelle.values()), results.title("Degré d'accord", n)),
        survey.crosstab_display(table.drop(columns="Code")),
        key="resultats_echelles",
        filename=f"{results.file}_accord",
        demo=results.demo,
    )


def _cross_tables(results: Results) -> None:
    st.markdown(
        f"Les catégories trop petites pour être montrées à part sont regroupées dans « {survey.AUTRES_REGROUPES} » ; "
        "les cases masquées le sont pour le secret statistique."
    )
    questionnaire = results.questionnaire
    colonnes = st.columns(2)
    axes = {"type_acteur": "Type d'acteur", "departement": "Département"}
    crossable = survey.crossable_questions(questionnaire, st.session_state.get("resultats_croise_par", "type_acteur"))
    question = questionnaire.question(
        colonnes[0].selectbox(
            "Question",
            list(crossable),
            format_func=crossable.get,
            index=min(4, len(crossable) - 1),
            key="resultats_croise_question",
        )
    )
    by = questionnaire.question(
        colonnes[1].radio("Croiser par", list(axes), format_func=axes.get, horizontal=True, key="resultats_croise_par")
    )
    table = survey.crosstab_display(survey.crosstab(questionnaire, results.answers, question, by))
    st.markdown(f"**{results.title(question.libelle + ' × ' + axes[by.id].lower(), len(results.answers))}**")
    mise_en_page.table(table, key="resultats_croise_tableau", name=f"{question.libelle}, selon : {by.libelle}")
    telechargements.download_table(
        table, filename=f"{results.file}_{question.id}_par_{by.id}", key="resultats_croise", demo=results.demo
    )


def _keywords(results: Results) -> None:
    question = results.questionnaire.of_type("mot_cle")[0]
    words = [a[question.id] for a in survey.answered(results.answers, question)]
    table = survey.keyword_frequencies(words)
    st.caption(
        "Les mots sont regroupés sans tenir compte des majuscules, des accents, des pluriels ni des petits mots "
        "(le, de, et…) : « coopérations » et « Coopération » comptent pour un même mot."
    )
    telechargements.chart_with_table(
        graphiques.keyword_figure(table, results.title(question.libelle, len(words))),
        table,
        key="resultats_mots",
        filename=f"{results.file}_mots_cles",
        demo=results.demo,
    )


def _map(results: Results) -> None:
    question = results.questionnaire.of_type("departement")[0]
    table = survey.departement_counts(results.answers, question)
    shown = survey.crosstab_display(table.drop(columns="Code"))
    if results.ref is None:
        st.warning("La carte des réponses a besoin des contours des départements (données de référence indisponibles).")
        mise_en_page.table(shown, key="resultats_carte_tableau", name="Réponses par département")
        return
    outlines = cache.layer_geojson("departements")
    telechargements.chart_with_table(
        graphiques.departement_answers_figure(
            table, outlines, results.title("Réponses par département", len(results.answers))
        ),
        shown,
        key="resultats_carte",
        filename=f"{results.file}_departements",
        demo=results.demo,
    )
    mise_en_page.source_caption(results.ref.source("departements"))


def _comparison(results: Results) -> None:
    questionnaire = results.questionnaire
    others = [e for e in results.by_edition if e != results.edition.id]
    if not others:
        st.info("Une seule édition a des réponses : la comparaison viendra avec la suivante.", icon=":material/info:")
        return
    colonnes = st.columns(3)
    other = colonnes[0].selectbox(
        "Comparer avec",
        others,
        format_func=lambda e: questionnaire.edition(e).label,
        key="resultats_comparaison_edition",
    )
    comparable = {q.id: q.libelle for q in questionnaire.of_type("choix_unique", "choix_multiple", "echelle")}
    question = questionnaire.question(
        colonnes[1].selectbox(
            "Question", list(comparable), format_func=comparable.get, key="resultats_comparaison_question"
        )
    )
    labels = (questionnaire.edition(other).label, results.edition.label)
    table = survey.compare_editions(questionnaire, results.by_edition[other], results.answers, question, labels)
    counts = (len(results.by_edition[other]), len(results.answers))
    telechargements.chart_with_table(
        graphiques.edition_comparison_figure(
            table, labels, survey.comparison_title(question.libelle, labels, counts, demo=results.demo)
        ),
        survey.crosstab_display(table),
        key="resultats_comparaison",
        filename=f"enquete_{other}_{results.edition.id}_{question.id}",
        demo=results.demo,
    )


#: The views of the results page, in the order of its selector.
VIEWS = {
    "Par question": _by_question,
    "Éléments déterminants": _scales,
    "Tableaux croisés": _cross_tables,
    "Mots-clés": _keywords,
    "Carte": _map,
    "Comparaison des éditions": _comparison,
}


def show_view(results: Results) -> None:
    """The view selector, then the chosen view."""
    view = st.radio("Vue", list(VIEWS), horizontal=True, key="resultats_vue", label_visibility="collapsed")
    VIEWS[view](results)
