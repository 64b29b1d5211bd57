"""The survey's results page: the edition, who may see it, and one function per view behind one dispatcher."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cartographie.domaine.enquete import resultats as survey
from cartographie.domaine.enquete.demo import DEMO_LABEL
from cartographie.domaine.enquete.mots_cles import keyword_frequencies
from cartographie.domaine.enquete.publication import (
    AUTRES_MOTS,
    AUTRES_REPONSES,
    COLONNE_MIN,
    NE_PAS_DIFFUSER,
    PROFILE_QUESTION,
    TAILLE_MIN_GROUPE,
    compare_editions,
    crossable_questions,
    detail_crosstab,
    display,
)
from cartographie.domaine.enquete.questionnaire import Edition, Questionnaire, options_of
from cartographie.domaine.secret import MASQUE
from cartographie.rendu import graphiques
from cartographie.ui import cache, mise_en_page, telechargements
from cartographie.ui.mise_en_page import md_escape


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
    label = DEMO_LABEL if demo else ""
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
        f"Secret statistique : un nombre de 1 à {survey.SEUIL_ANONYMAT - 1} réponses n'est jamais affiché, ni "
        "aucun nombre qui permettrait de le retrouver en combinant les vues, les tableaux et les téléchargements de "
        f"l'édition. Une case « {MASQUE} » peut valoir 0 comme {survey.SEUIL_ANONYMAT} ou plus ; toutes se "
        "présentent de la même façon."
    )


def _publication(results: Results, edition: str | None = None):
    return cache.survey_publication(results.questionnaire, edition or results.edition.id)


def _shares_caption(question) -> None:
    if question.type == "choix_multiple":
        st.caption(
            "Plusieurs réponses possibles : chaque part est celle des répondants de l'édition qui ont cité la réponse."
        )


def _families_note(publication) -> str:
    return " ; ".join(f"**{md_escape(f)}** : {md_escape(', '.join(t))}" for f, t in publication.families().items())


def _by_question(results: Results) -> None:
    questionnaire = results.questionnaire
    choices = {q.id: q.libelle for q in questionnaire.of_type("choix_unique", "choix_multiple", "departement")}
    question = questionnaire.question(
        st.selectbox("Question", list(choices), format_func=choices.get, key="resultats_question")
    )
    publication = _publication(results)
    table = publication.one_way(question.id)
    _shares_caption(question)
    if question.id == PROFILE_QUESTION:
        st.caption(
            "Les types de structure sont publiés par famille d'acteurs (trop nombreux pour être montrés un par un "
            f"sans révéler de petits nombres) : {_families_note(publication)}."
        )
    telechargements.chart_with_table(
        graphiques.survey_bar_figure(table, results.title(question.libelle, publication.n)),
        display(table.drop(columns="Code")),
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
    publication = _publication(results)
    table = publication.scales()
    telechargements.chart_with_table(
        graphiques.survey_scale_figure(
            table, list(questionnaire.echelle.values()), results.title("Degré d'accord", publication.n)
        ),
        display(table.drop(columns="Code")),
        key="resultats_echelles",
        filename=f"{results.file}_accord",
        demo=results.demo,
    )


#: What a cross-table crosses by: the families for everyone; the detail for editors, not for publication.
CROSS_BY = {
    "famille": "Famille d'acteurs",
    "type_acteur": "Type de structure (détail, ne pas diffuser)",
    "departement": "Département (détail, ne pas diffuser)",
}


def _cross_tables(results: Results) -> None:
    questionnaire = results.questionnaire
    publication = _publication(results)
    editor = mise_en_page.is_editor()
    axes = CROSS_BY if editor else {"famille": CROSS_BY["famille"]}
    colonnes = st.columns(2)
    by = colonnes[1].radio("Croiser par", list(axes), format_func=axes.get, horizontal=True, key="resultats_croise_par")
    if by == "famille":
        every = crossable_questions(questionnaire)
        crossable = {q: label for q, label in every.items() if publication.crossed(q)}
        left = [label for q, label in every.items() if q not in crossable]
        if left and crossable:
            st.caption(
                "Non détaillées par famille pour cette édition (une petite case ne pourrait pas y être protégée) : "
                + md_escape(" ; ".join(left))
                + "."
            )
    else:
        crossable = {
            q.id: q.libelle
            for q in questionnaire.of_type("choix_unique", "choix_multiple", "echelle", "departement")
            if q.id != by
        }
    if not crossable:
        st.info(
            "Trop peu de réponses pour distinguer les familles d'acteurs sans révéler de petits nombres : les "
            "résultats se lisent question par question.",
            icon=":material/info:",
        )
        return
    question = questionnaire.question(
        colonnes[0].selectbox(
            "Question",
            list(crossable),
            format_func=crossable.get,
            index=min(3, len(crossable) - 1),
            key="resultats_croise_question",
        )
    )
    if by != "famille":
        _detail_table(results, question, questionnaire.question(by))
        return
    table = display(publication.cross(question.id))
    st.markdown(f"**{results.title(question.libelle + ' × famille d’acteurs', publication.n)}**")
    mise_en_page.table(table, key="resultats_croise_tableau", name=f"{question.libelle}, selon la famille d'acteurs")
    notes = [f"Familles d'acteurs : {_families_note(publication)}."]
    gathered = [g for g in publication.groups if len(g.families) > 1]
    labels = {f.id: f.libelle for f in questionnaire.familles}
    for group in gathered:
        notes.append(
            f"« {md_escape(group.label)} » réunit : {md_escape(', '.join(labels[f] for f in group.families))} "
            f"(moins de {TAILLE_MIN_GROUPE} réponses chacune, ou masquées)."
        )
    for label, codes in publication.columns(question.id):
        if len(codes) > 1 and label == AUTRES_REPONSES:
            names = options_of(questionnaire, question)
            notes.append(
                f"« {md_escape(label)} » réunit les réponses citées moins de {COLONNE_MIN} fois : "
                f"{md_escape(', '.join(names.get(c, c) for c in codes))}."
            )
    if question.type == "choix_multiple":
        shown = {c for _, codes in publication.columns(question.id) for c in codes}
        left = [label for code, label in options_of(questionnaire, question).items() if code not in shown]
        if left:
            notes.append(
                f"Réponses citées moins de {COLONNE_MIN} fois, non détaillées par famille : "
                f"{md_escape(', '.join(left))}."
            )
    st.caption(" ".join(notes))
    telechargements.download_table(
        table, filename=f"{results.file}_{question.id}_par_famille", key="resultats_croise", demo=results.demo
    )


def _detail_table(results: Results, question, by) -> None:
    """An editor's detail table: every count, unprotected, marked as not for publication."""
    st.warning(
        f"**{NE_PAS_DIFFUSER}.** Ce tableau montre tous les effectifs, petits nombres compris : il sert à l'équipe "
        "pour comprendre les réponses, jamais à les publier (le fichier téléchargé le dit à chaque ligne).",
        icon=":material/lock:",
    )
    table = detail_crosstab(results.questionnaire, results.answers, question, by)
    st.markdown(
        f"**{results.title(question.libelle + ' × ' + by.libelle.rstrip(' ?').lower(), len(results.answers))}**"
    )
    mise_en_page.table(table, key="resultats_detail_tableau", name=f"{question.libelle}, selon : {by.libelle} (détail)")
    telechargements.download_table(
        table,
        filename=f"{results.file}_{question.id}_par_{by.id}",
        key="resultats_detail",
        demo=results.demo,
        not_for_publication=True,
    )


def _keywords(results: Results) -> None:
    question = results.questionnaire.of_type("mot_cle")[0]
    publication = _publication(results)
    table = publication.keywords()
    st.caption(
        "Les mots sont regroupés sans tenir compte des majuscules, des accents, des pluriels ni des petits mots "
        "(le, de, et…) : « coopérations » et « Coopération » comptent pour un même mot. Un mot cité moins de "
        f"{survey.SEUIL_ANONYMAT} fois rejoint « {AUTRES_MOTS} »."
    )
    telechargements.chart_with_table(
        graphiques.keyword_figure(table, results.title(question.libelle, publication.n)),
        display(table),
        key="resultats_mots",
        filename=f"{results.file}_mots_cles",
        demo=results.demo,
    )
    if mise_en_page.is_editor():
        with st.expander(f"Tous les mots-clés ({NE_PAS_DIFFUSER.lower()})"):
            words = [a[question.id] for a in survey.answered(results.answers, question)]
            detail = keyword_frequencies(words).drop(columns="Forme comparée")
            mise_en_page.table(detail, key="resultats_mots_detail", name="Tous les mots-clés (détail)")


def _map(results: Results) -> None:
    publication = _publication(results)
    table = publication.departements()
    shown = display(table.drop(columns="Code"))
    if results.ref is None:
        st.warning("La carte des réponses a besoin des contours des départements (données de référence indisponibles).")
        mise_en_page.table(shown, key="resultats_carte_tableau", name="Réponses par département")
        return
    outlines = cache.layer_geojson("departements")
    telechargements.chart_with_table(
        graphiques.departement_answers_figure(
            table, outlines, results.title("Réponses par département", publication.n)
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
    table = compare_editions(questionnaire, _publication(results, other), _publication(results), question, labels)
    counts = (len(results.by_edition[other]), len(results.answers))
    telechargements.chart_with_table(
        graphiques.edition_comparison_figure(
            table, labels, survey.comparison_title(question.libelle, labels, counts, demo=results.demo)
        ),
        display(table),
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
