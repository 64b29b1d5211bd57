"""The presentation screen: its set-up form and the slideshow controller with one renderer per slide."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from cartographie.ui.adaptateur import page
from cartographie.ui.cache import (
    catalogue,
    experiences_registry,
    network_positions,
    questionnaire,
    survey_publication,
    survey_results,
    symbol_sizes,
)
from cartographie.ui.composant_carte import folium_map
from cartographie.ui.mise_en_page import md_escape, source_caption
from cartographie.ui.salle import keyword_page_url, loopback_warning, public_address, qr_code, session_keywords

if TYPE_CHECKING:  # the heavy modules are imported where used, so that cached pages start light
    from cartographie.lecture.reference import ReferenceData


def presentation_settings(ref: ReferenceData):
    """The presentation settings of the URL (unknown values fall back to the defaults)."""
    from cartographie.domaine.presentation import Settings, territory_choices

    return Settings.from_query(dict(st.query_params), set(territory_choices(ref)))


def presentation_setup(ref: ReferenceData, current) -> None:
    """The short set-up form; launching puts every choice in the URL (a link to prepare in advance)."""
    from urllib.parse import quote, urlencode

    from cartographie.domaine.presentation import INTERVALS, SLIDES, Settings, territory_choices

    territoires = territory_choices(ref)
    with st.form("presentation_reglages"):
        diapos = st.multiselect(
            "Diapositives, dans l'ordre de passage",
            list(SLIDES),
            default=list(current.slides),
            format_func=SLIDES.get,
            key="presentation_diapos",
            select_all=False,
        )
        territoire = st.selectbox(
            "Territoire",
            list(territoires),
            index=list(territoires).index(current.territoire),
            format_func=territoires.get,
            key="presentation_territoire",
        )
        intervalle = st.select_slider(
            "Durée de chaque diapositive (secondes)",
            INTERVALS,
            value=current.intervalle,
            key="presentation_intervalle",
        )
        session = st.text_input(
            "Session des mots-clés en direct (vide : la date du jour)",
            value=current.session,
            max_chars=60,
            key="presentation_session",
        )
        lancer = st.form_submit_button("Lancer la présentation", type="primary", key="presentation_lancer")
    if lancer:
        from cartographie.domaine.salle import session_name

        if not diapos:
            st.error("Choisissez au moins une diapositive.")
            return
        if session.strip() and session_name(session) is None:
            st.error("Nom de session non valable : lettres, chiffres, espaces et « - _ . ' » seulement.")
            return
        settings = Settings(tuple(diapos), territoire, intervalle, session_name(session) or "")
        st.query_params.from_dict({**settings.to_query(), "ecran": "1"})
        st.session_state["presentation_index"] = 0
        st.rerun()
    adresse = public_address()
    loopback_warning(adresse)
    lien = f"{adresse}/presentation?{urlencode({**current.to_query(), 'ecran': '1'})}"
    # A link, not st.code: its scrolling box is not reachable by the keyboard (axe-core), and the
    # address is copied from the link as well (right click, « Copier l'adresse du lien »).
    st.markdown(
        "**Lien à préparer** (ouvre directement la présentation avec ces réglages) : "
        f"[{md_escape(lien)}]({quote(lien, safe=':/?&=%,')})"
    )
    st.caption(
        "Sur l'écran : flèches ← → pour changer de diapositive, espace pour la pause. Tout fonctionne sans "
        "Internet (aucune ressource extérieure, pas de fond de carte)."
    )


_SLIDESHOW_FRAGMENTS: dict = {}


def slideshow(ref: ReferenceData, settings) -> None:
    """The full-screen slides: Streamlit's chrome hidden, auto-advance unless paused."""
    from cartographie.rendu.presentation import screen_css

    page.projector_screen(_scale(), screen_css(_scale()))
    st.session_state["presentation_complet"] = True  # this run is a full one: show, do not advance
    st.session_state.setdefault("presentation_index", 0)
    paused = st.session_state.get("presentation_pause", False)
    every = None if paused else settings.intervalle
    if every not in _SLIDESHOW_FRAGMENTS:
        _SLIDESHOW_FRAGMENTS[every] = st.fragment(_slides, run_every=every)
    _SLIDESHOW_FRAGMENTS[every](ref, settings)


def _toggle_pause() -> None:
    st.session_state["presentation_pause"] = not st.session_state.get("presentation_pause", False)
    st.session_state["presentation_manuel"] = True


def _move(step: int) -> None:
    st.session_state["presentation_index"] = st.session_state.get("presentation_index", 0) + step
    st.session_state["presentation_manuel"] = True


def _slides(ref: ReferenceData, settings) -> None:
    from cartographie.domaine.presentation import SLIDES
    from cartographie.domaine.territoires import resolve_territory
    from cartographie.rendu.presentation import header_html

    manual = st.session_state.pop("presentation_manuel", False)
    full = st.session_state.pop("presentation_complet", False)
    if not (manual or full or st.session_state.get("presentation_pause")):
        st.session_state["presentation_index"] = st.session_state.get("presentation_index", 0) + 1  # the timer
    total = len(settings.slides)
    index = st.session_state.get("presentation_index", 0) % total
    st.session_state["presentation_index"] = index
    slide = settings.slides[index]
    territory = resolve_territory(ref, settings.territoire)
    st.html(header_html(SLIDES[slide], territory.label, index, total))
    with st.container(height=_px(CONTENT_HEIGHT_PX), border=False, key=f"diapo_{slide}"):
        _SLIDE_RENDERERS[slide](ref, territory, settings)
    _slide_footer(settings)


def _scale() -> float:
    """The scale of this screen (its browser puts it in the address; 1 until it has)."""
    from cartographie.rendu.presentation import screen_scale

    return screen_scale(st.query_params.get("echelle")) or 1.0


def _px(design: float) -> int:
    """A size in design pixels (a 1920×1080 screen), on this screen."""
    from cartographie.rendu.presentation import scaled

    return scaled(design, _scale())


#: Heights in design pixels: the slide's content, and a chart or the map in it (the rest holds its sources).
CONTENT_HEIGHT_PX = 770
CHART_HEIGHT_PX = CONTENT_HEIGHT_PX - 170
#: The map's height: as tall as its two lines of sources allow (a larger region leaves room for its names).
MAP_HEIGHT_PX = CONTENT_HEIGHT_PX - 140


def _slide_footer(settings) -> None:
    from cartographie.domaine.salle import is_loopback

    adresse = public_address()
    paused = st.session_state.get("presentation_pause", False)
    colonnes = st.columns([1, 1, 1, 1, 4, 1], vertical_alignment="center")
    colonnes[0].button("Précédente", key="diapo_precedente", on_click=_move, args=(-1,), width="stretch")
    if colonnes[1].button(
        "Reprendre" if paused else "Pause", key="diapo_pause", on_click=_toggle_pause, width="stretch"
    ):
        st.rerun()  # a full run: the timer is set up again (or removed)
    colonnes[2].button("Suivante", key="diapo_suivante", on_click=_move, args=(1,), width="stretch")
    if colonnes[3].button("Réglages", key="diapo_reglages", width="stretch"):
        del st.query_params["ecran"]
        st.rerun()
    state = "En pause" if paused else f"Défilement toutes les {settings.intervalle} s"
    if is_loopback(adresse):  # said on the screen itself, where the organiser sees it (details in Réglages)
        colonnes[4].html(
            f'<p class="diapo-pied">{state}</p><p class="diapo-alerte" role="alert">Adresse locale : les téléphones '
            f"ne peuvent pas ouvrir {html.escape(adresse)} (voir Réglages).</p>"
        )
    else:
        colonnes[4].html(
            f'<p class="diapo-pied">{state} · ← → pour changer de diapositive · tableau de bord : '
            f"{html.escape(adresse)}</p>"
        )
    with colonnes[5]:
        qr_code(adresse, caption=None, width=_px(120))


def _slide_chiffres(ref: ReferenceData, territory, settings) -> None:
    from cartographie.domaine.presentation import key_figures, status_line
    from cartographie.rendu.presentation import figures_html, text_html

    st.html(figures_html(key_figures(ref, territory, catalogue(), experiences_registry()), ref))
    st.html(text_html([status_line(ref, territory)]))


def _slide_carte(ref: ReferenceData, territory, settings) -> None:
    from cartographie.domaine.formats import compte
    from cartographie.domaine.presentation import qpv_frame
    from cartographie.rendu.legendes import base_legend
    from cartographie.rendu.presentation import alternative_html
    from cartographie.ui.carte import map_groups
    from cartographie.ui.composant_carte import legend

    groups = map_groups(codes=set(territory.qpv_codes), fit_key=f"presentation-{territory.code}")
    shown = qpv_frame(ref, territory)
    named = compte(len(shown), "quartier prioritaire", "quartiers prioritaires")
    st.html(alternative_html(f"La carte montre {named} : {territory.label}", shown))
    sizes = symbol_sizes()
    colonne_carte, colonne_legende = st.columns([3, 1], gap="medium")
    with colonne_carte:
        folium_map(groups, key="diapo_carte_qpv", height=_px(MAP_HEIGHT_PX), screen=_scale())
    with colonne_legende:
        legend(base_legend(sizes=sizes, compact=True), screen=_scale())
    sources = [ref.source("qpv_2024"), ref.source("departements")]
    source_caption(*sources, *([ref.source("qpv_indicateurs")] if sizes is not None else []), short=True)


def _slide_contrats(ref: ReferenceData, territory, settings) -> None:
    from cartographie.domaine.presentation import contrat_lines, contrats_frame
    from cartographie.rendu.graphiques import contrats_figure
    from cartographie.rendu.presentation import alternative_html, for_screen, text_html

    table = contrats_frame(ref, territory)
    if territory.kind == "cv":
        head, names = contrat_lines(ref, territory)
        st.html(text_html(head))
        st.html(text_html(names, columns=2 if len(names) > 8 else 1))
    else:
        st.html(alternative_html("Données du graphique : quartiers prioritaires par contrat de ville", table))
        st.plotly_chart(
            for_screen(contrats_figure(table), height=CHART_HEIGHT_PX, scale=_scale()),
            width="stretch",
            key="diapo_contrats_graphique",
            config={"staticPlot": True},
            theme=None,
        )
    source_caption(ref.source("contrats_ville_2024"), ref.source("qpv_2024_liste"), short=True)


def _slide_rencontres(ref: ReferenceData, territory, settings) -> None:
    from cartographie.domaine.fiches import territory_meetings
    from cartographie.domaine.formats import compte
    from cartographie.domaine.rencontres import events_frame
    from cartographie.rendu.presentation import text_html

    cat = catalogue()
    events = territory_meetings(cat, territory).tous
    frame = events_frame(cat)
    if events:
        frame = frame[frame["id"].isin({e.id for e in events})]
        where = territory.label
    else:
        frame = frame[~frame["hors_region"].astype(bool)]
        where = "toute la région (aucune sur ce territoire)"
    dated = frame.dropna(subset=["date"]).sort_values("date")
    shown = dated.tail(RENCONTRES_SHOWN)
    lines = [f"{row.date_libelle} – {row.titre}" for row in shown.itertuples()]
    older = len(dated) - len(shown)
    note = f"{compte(len(dated), 'rencontre')} depuis 2020, {where}" + (
        f" ; les {compte(older, 'plus ancienne')} sont sur la page Rencontres." if older else "."
    )
    st.html(text_html(lines, note=note, compact=True))
    st.caption(f"Source : {RENCONTRES_NOTE}")


#: Meetings a slide names (the most recent ones), so that each stays on one readable line.
RENCONTRES_SHOWN = 8
RENCONTRES_NOTE = "documents publics de l'ORIV et du Réseau DSU Grand Est."


def _slide_enquete(ref: ReferenceData, territory, settings) -> None:
    from cartographie.domaine.enquete.demo import DEMO_LABEL
    from cartographie.domaine.enquete.publication import display
    from cartographie.domaine.enquete.resultats import SEUIL_PUBLICATION
    from cartographie.rendu.graphiques import survey_scale_figure
    from cartographie.rendu.presentation import alternative_html, demo_html, for_screen, text_html

    questionnaire_ = questionnaire(ref)
    by_edition, demo = survey_results(questionnaire_)
    if not by_edition:
        st.html(text_html(["Aucune réponse à l'enquête pour le moment."]))
        return
    edition_id = max(by_edition, key=lambda e: (questionnaire_.edition(e).annee, e))
    edition = questionnaire_.edition(edition_id)
    answers = by_edition[edition_id]
    if len(answers) < SEUIL_PUBLICATION:  # results are public from this many answers on
        st.html(text_html([f"Moins de {SEUIL_PUBLICATION} réponses pour l'instant : les résultats viendront."]))
        return
    if demo:
        st.html(demo_html(DEMO_LABEL))
    publication = survey_publication(questionnaire_, edition_id)  # the numbers the results page shows
    lines = []
    for question_id, what in (("leviers", "Levier le plus cité"), ("contraintes", "Frein le plus cité")):
        counts = publication.one_way(question_id)
        first = counts.iloc[0]
        if not pd.isna(first["Réponses"]):  # the most cited answer is shown only if its count is
            lines.append(f"{what} : {first['Réponse']} ({str(first['Part (%)']).replace('.', ',')} %)")
    scope = "" if territory.kind == "region" else " Toute la région : l'enquête n'est pas ventilée par territoire."
    named = edition.label
    st.html(text_html(lines, note=f"{named} – {len(answers)} réponses.{scope}", compact=True))
    # The whole width for the chart: its statements are long, and the bars need room beside them.
    table = publication.scales()
    figure = survey_scale_figure(table, list(questionnaire_.echelle.values()), "Degré d'accord (% des réponses)")
    figure = for_screen(figure, height=CHART_HEIGHT_PX - 150, font=28, scale=_scale())
    figure.update_layout(
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right", "title": None},
        margin={"t": _px(90), "b": _px(50)},
    )
    figure.update_xaxes(title=None, tickangle=0)
    st.html(alternative_html("Données du graphique : degré d'accord", display(table.drop(columns="Code"))))
    st.plotly_chart(figure, width="stretch", key="diapo_enquete_graphique", config={"staticPlot": True}, theme=None)


def _slide_reseau(ref: ReferenceData, territory, settings) -> None:
    from cartographie.domaine.cooperations import build_network, network_links
    from cartographie.domaine.fiches import territory_experiences
    from cartographie.domaine.formats import compte
    from cartographie.rendu.graphiques import network_figure
    from cartographie.rendu.presentation import alternative_html, for_screen, text_html

    experiences, _ = territory_experiences(experiences_registry(), territory)
    graph = build_network(experiences)
    if not graph.number_of_nodes():
        st.html(text_html(["Aucune expérience de coopération recensée sur ce territoire pour le moment."]))
        return
    n_actors = graph.number_of_nodes() - len(experiences)
    title = f"{compte(len(experiences), 'expérience')}, {compte(n_actors, 'acteur')}"
    if len(experiences) <= NETWORK_AS_LIST:  # a small network reads better as a list than as a drawing
        lines = []
        for experience in experiences:
            actors = sorted({graph.nodes[n]["label"] for n in graph.neighbors(f"experience:{experience.id}")})
            lines.append(f"{experience.titre} : {', '.join(actors) or 'acteurs non précisés'}")
        st.html(text_html(lines, note=title))
        return
    positions = network_positions(tuple(graph.nodes()), tuple(graph.edges()))
    figure = for_screen(network_figure(graph, positions, labels=8), height=CHART_HEIGHT_PX, scale=_scale())
    figure.update_layout(title=title)
    figure.update_xaxes(range=[-1.6, 1.6])  # room for the labels of the nodes at the edges
    figure.update_yaxes(range=[-1.2, 1.2])
    st.html(alternative_html(f"Les liens du réseau : {title}", network_links(graph)))
    st.plotly_chart(figure, width="stretch", key="diapo_reseau_graphique", config={"staticPlot": True}, theme=None)


#: Experiences up to which the network slide is a list (experience: its actors) rather than a drawing.
NETWORK_AS_LIST = 6


def _slide_mots(ref: ReferenceData, territory, settings) -> None:
    import datetime as dt

    keywords_screen(settings.session or dt.date.today().isoformat())


def keywords_screen(session: str, height: int = CONTENT_HEIGHT_PX) -> None:
    """The room's keywords as a slide: the chart (values written flat, type of a slide) and the QR code.

    ``height``: the design pixels the view may take (the chart takes what its title and sources leave).
    """
    from cartographie.domaine.formats import compte
    from cartographie.rendu.graphiques import keyword_figure
    from cartographie.rendu.presentation import alternative_html, for_screen, text_html

    table, n = session_keywords(session)
    graphique, qr = st.columns([3, 1], gap="large")
    with graphique:
        if table.empty:
            st.html(text_html(["Pas encore de mot-clé : scannez le code et proposez le vôtre !"]))
        else:
            figure = keyword_figure(table, compte(n, "contribution"), top=10, font_size=30)
            st.html(
                alternative_html(
                    f"Données du graphique : mots-clés ({compte(n, 'contribution')})",
                    table.drop(columns="Forme comparée").head(10),
                )
            )
            st.plotly_chart(
                for_screen(figure, height=height - (CONTENT_HEIGHT_PX - CHART_HEIGHT_PX), font=30, scale=_scale()),
                width="stretch",
                key="diapo_mots_graphique",
                config={"staticPlot": True},
                theme=None,
            )
    with qr:
        st.html(text_html(["Votre mot-clé :"]))
        qr_code(keyword_page_url(session), caption="Depuis un téléphone", width=_px(300))


def keywords_projector(session: str, every: float) -> None:
    """``/direct?ecran=1``: the room's keywords built like a slide, refreshed every ``every`` seconds.

    No Streamlit chrome, type at least 2.2 % of the screen's height, values written flat.
    """
    from cartographie.rendu.presentation import screen_css

    page.projector_screen(_scale(), screen_css(_scale()), projector=True)
    loopback_warning(keyword_page_url(session))
    _live_keywords_screen(session, every)


#: The projector's view under the page's title (and a warning when the address is this computer's own).
PROJECTOR_HEIGHT_PX = CONTENT_HEIGHT_PX - 150

_PROJECTOR_FRAGMENTS: dict = {}


def _live_keywords_screen(session: str, every: float) -> None:
    if every not in _PROJECTOR_FRAGMENTS:

        def refreshed(session: str) -> None:
            with st.container(height=_px(PROJECTOR_HEIGHT_PX), border=False, key="diapo_direct"):
                keywords_screen(session, PROJECTOR_HEIGHT_PX)

        _PROJECTOR_FRAGMENTS[every] = st.fragment(refreshed, run_every=every)
    _PROJECTOR_FRAGMENTS[every](session)


_SLIDE_RENDERERS = {
    "chiffres": _slide_chiffres,
    "carte": _slide_carte,
    "contrats": _slide_contrats,
    "rencontres": _slide_rencontres,
    "enquete": _slide_enquete,
    "reseau": _slide_reseau,
    "mots": _slide_mots,
}
