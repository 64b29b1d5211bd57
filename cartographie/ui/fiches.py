"""Sheets: a QPV, a contrat de ville, an event, an experience; sources and data-quality notes beside them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from cartographie.ui import mise_en_page
from cartographie.ui.barre import view_link
from cartographie.ui.cache import catalogue
from cartographie.ui.mise_en_page import is_editor, md_escape, md_with_links, source_caption

if TYPE_CHECKING:  # the heavy modules are imported where used, so that cached pages start light
    from cartographie.lecture.reference import ReferenceData


def render_facts(ref: ReferenceData, sheet) -> None:
    """A sheet's facts (:class:`cartographie.domaine.fiches.Sheet`), then where each comes from and its notes."""
    lignes = []
    for figure in sheet.essentials:
        value = f"{figure.text} : {figure.detail}" if figure.detail else figure.text
        lignes.append(f"**{md_escape(figure.label)}** : {md_escape(value)}")
    st.markdown("  \n".join(lignes))
    facts_caption(ref, sheet.essentials)


def facts_caption(ref: ReferenceData, figures) -> None:
    """Under a group of figures: their sources, each naming the figures it gives, then the figures' notes."""
    from cartographie.domaine.chiffres import source_named

    by_source: dict[str, list[str]] = {}
    for figure in figures:
        by_source.setdefault(" ; ".join(source_named(ref, k) for k in figure.sources), []).append(figure.label)
    lines = ["Sources : " + " ; ".join(f"{', '.join(labels)} : {where}" for where, labels in by_source.items())]
    lines += [f"{figure.label} : {' ; '.join(figure.notes)}." for figure in figures if figure.notes]
    st.caption(md_escape("  \n".join(lines)))


def render_key_figures(ref: ReferenceData) -> None:
    """The region's key figures (those of its slide), how its QPV compare with 2015, and their sources."""
    from cartographie.domaine.fiches import territory_facts
    from cartographie.domaine.territoires import resolve_territory

    facts = territory_facts(ref, resolve_territory(ref, "region"))
    shown = [facts[k] for k in ("nb_qpv", "nb_contrats", "communes_qpv", "nb_epci_qpv")]
    for colonne, figure in zip(st.columns(len(shown)), shown, strict=True):
        colonne.metric(figure.label, figure.text)
    st.markdown(f"Par rapport à la géographie prioritaire de 2015 : {md_escape(facts['statuts'].text)}.")
    facts_caption(ref, [*shown, facts["statuts"]])


def render_qpv_by_departement(ref: ReferenceData) -> None:
    """The region's QPV 2024 by department and status: a chart and its table, with their sources."""
    from cartographie.domaine.indicateurs import qpv_by_departement
    from cartographie.rendu.graphiques import qpv_by_departement_figure

    table = qpv_by_departement(ref)
    graphique, tableau = st.tabs(["Graphique", "Tableau"])
    with graphique:
        st.plotly_chart(qpv_by_departement_figure(table), width="stretch", key="accueil_graphique_departements")
    with tableau:
        mise_en_page.table(
            table, key="accueil_tableau_departements", name="Quartiers prioritaires 2024 par département"
        )
    source_caption(ref.source("qpv_2024_liste"), ref.source("departements"))


def render_qpv_sheet(ref: ReferenceData, sheet) -> None:
    """The sheet of a QPV: the same sections as its printable sheet (facts, credits, meetings, experiences).

    Its title is the page's second level (the sheet sits beside the map, right under the page's title).
    """
    from cartographie.ui.telechargements import sheet_pdf_button

    st.header(md_escape(sheet.title))
    render_facts(ref, sheet)
    contrat = next(iter(sheet.territory.contrats))
    view_link("pages/contrats.py", f"Fiche du contrat de ville : {sheet.facts['contrat'].text}", contrat=contrat)
    sheet_pdf_button("qpv", sheet.territory.code)
    st.markdown("**Crédits adultes-relais et FONJEP**")
    st.caption(sheet.credits_note)
    render_events_list(sheet.meetings, ref, empty="Aucune rencontre recensée sur ce territoire ni consacrée à lui.")
    render_experiences(sheet)
    render_comparables(sheet)


def render_comparables(sheet) -> None:
    """The QPV most alike this one on INSEE's indicators (each opens its sheet here), and how they are found."""
    st.markdown("**Quartiers comparables, pour coopérer**")
    for comparable in sheet.comparables:
        st.button(
            md_escape(comparable.line),
            key=f"comparable_{comparable.code}",
            on_click=_open_qpv,
            args=(comparable.code,),
            type="tertiary",
            icon=":material/arrow_forward:",
        )
    st.caption(md_escape(sheet.comparables_note))


def _open_qpv(code: str) -> None:
    """Callback of a comparable neighbourhood: its sheet replaces this one (and its code goes into the address)."""
    st.session_state["qpv_choisi"] = code


def render_experiences(sheet) -> None:
    """The cooperation experiences of a sheet (links to their sheets), those of a wider level apart."""
    st.markdown("**Expériences de coopération**")
    if not sheet.experiences:
        st.caption("Aucune expérience de coopération recensée sur ce territoire pour le moment.")
    for experience in sheet.experiences:
        view_link("pages/cooperations.py", f"{experience.titre} ({experience.statut_libelle})", exp=experience.id)
    if sheet.experiences_wider:
        st.caption(sheet.experiences_wider_label)
        for experience in sheet.experiences_wider:
            view_link("pages/cooperations.py", f"{experience.titre} ({experience.statut_libelle})", exp=experience.id)


def sources_table(ref: ReferenceData) -> None:
    """Every reference file with its producer, vintage, licence and official address."""
    rows = [
        {
            "Données": s.titre,
            "Producteur": s.producteur,
            "Millésime": s.millesime,
            "Licence": s.licence,
            "Adresse officielle": s.adresse,
            "Remarque": s.note,
        }
        for s in ref.sources.values()
    ]
    mise_en_page.table(
        rows,
        key="sources_tableau",
        name="Sources des données",
        column_config={"Adresse officielle": st.column_config.LinkColumn(display_text="lien")},
    )
    if is_editor():  # the server's folders are for the people who run it
        st.caption(f"Dossier de données utilisé (visible des éditeurs) : {md_escape(ref.dossier)}")


def render_contrat_sheet(ref: ReferenceData, sheet) -> None:
    """Header of a contrat's sheet: its facts, and what came before it (the rule said in words)."""
    from cartographie.domaine.formats import format_nombre
    from cartographie.domaine.predecesseurs import predecessors_of

    st.subheader(md_escape(sheet.title))
    render_facts(ref, sheet)
    st.markdown("**Depuis le contrat de ville 2015–2023**")
    before = predecessors_of(ref, sheet.territory.code)
    if before.statut == "documente":
        items = []
        for r in before.contrats.itertuples():
            why = []
            if r.qpv_couverts:
                codes = r.qpv_couverts.split(";")
                why.append(f"couvrait {len(codes)} de ses QPV 2024 ({', '.join(codes)})")
            why.append(f"{format_nombre(r.part_territoire * 100)} % de son territoire")
            item = (
                f"- {md_escape(r.lib_cv)} ({md_escape(r.code_cv)}, périmètre {md_escape(r.perimetre)}, "
                f"{int(r.nb_communes)} communes) : " + md_escape(", ".join(why)) + "."
            )
            if r.partage_avec:
                item += (
                    f" Il a aussi précédé {md_escape(r.partage_avec.replace(';', ', '))} : ses crédits 2020–2023 "
                    "figurent sur les deux fiches."
                )
            items.append(item)
        st.markdown("Contrat(s) 2015–2023 qui l'ont précédé :\n" + "\n".join(items))
        if before.indecis:
            st.info(before.indecis, icon=":material/help:")
    else:
        st.info(before.explication, icon=":material/help:")
    st.markdown(
        f"- {md_escape(sheet.changes[0])}\n"
        "- Règle : un contrat 2015–2023 précède celui-ci s'il couvrait au moins un de ses QPV 2024 (qui succèdent "
        "aux QPV 2015 au même endroit : la moitié au moins de la surface du QPV, et deux fois plus que dans tout "
        "autre contrat 2015–2023) ou la majeure partie de son territoire, d'après les périmètres (aucune table "
        "officielle ne relie les deux générations)."
    )
    source_caption(ref.source("contrats_ville_2015"), ref.source("contrats_ville_2024"), ref.source("qpv_2024"))


def credits_warnings(ref: ReferenceData, annee: int) -> None:
    """A year's credits seen region-wide (the list, the map): its alerts, the regional total and its notes.

    The notes that concern one contrat sit on that contrat's row; here, those of the region's total.
    """
    from cartographie.domaine.chiffres import credit_quality, credits_total_sentence

    alerts, notes = credit_quality(ref, "region", "", annee)
    if alerts:
        st.warning(
            "**Données douteuses dans la source** : " + " ".join(md_escape(a) for a in alerts),
            icon=":material/warning:",
        )
    st.caption(md_escape(credits_total_sentence(ref, annee)))
    if notes:
        st.caption(f"Notes sur les données de la région en {annee} : " + " ".join(md_escape(n) for n in notes))


def render_events_list(found, ref: ReferenceData, *, empty: str) -> None:
    """The meetings of a territory: those held on it, then those about it held elsewhere (links to their sheets).

    ``found`` is a :class:`cartographie.rencontres.TerritoryEvents`.
    """
    if not len(found):
        st.caption(empty)
        return

    def link(e, after: str = "") -> None:
        view_link("pages/rencontres.py", f"{e.date_libelle} – {e.type_libelle} : {e.titre}{after}", evt=e.id)

    if found.sur_place:
        st.markdown("**Rencontres et ateliers tenus sur ce territoire**")
        for e in found.sur_place:
            subjects = ", ".join(territory_label(ref, k, c) for k, c in found.consacre_a.get(e.id, ()))
            link(e, f" — consacré à : {subjects}" if subjects else "")
    if found.ailleurs:
        st.markdown("**Ateliers et rencontres consacrés à ce territoire, tenus ailleurs**")
        for e in found.ailleurs:
            link(e, f" ({e.lieu or 'lieu non précisé'})")


def territory_label(ref: ReferenceData, kind: str, code: str) -> str:
    """``QPV Chantereigne Montvilliers Beau-Toquat (QN01003M)``, ``commune …``, ``EPCI …``."""
    if kind == "qpv":
        names = dict(zip(ref.qpv["code_qp"], ref.qpv["lib_qp"], strict=True))
        return f"QPV {names.get(code, code)} ({code})"
    if kind == "commune":
        names = dict(zip(ref.communes["insee_com"], ref.communes["nom"], strict=True))
        return f"commune {names.get(code, code)} ({code})"
    names = dict(zip(ref.epci["siren_epci"], ref.epci["lib_epci"], strict=True))
    return f"EPCI {names.get(code, code)} ({code})"


def render_event_sheet(event, cat, ref: ReferenceData) -> None:
    """The sheet of an event: date, place, organisers, contributors, programme, workshops, lessons, sources."""
    from cartographie.domaine.vocabulaires import MODALITES, NON_PRECISE

    st.subheader(md_escape(event.titre))
    lignes = [
        f"**Type** : {md_escape(event.type_libelle)}",
        f"**Date** : {md_escape(event.date_libelle)}",
        f"**Lieu** : {md_escape(event.lieu or NON_PRECISE)}" + (" (hors Grand Est)" if event.hors_region else ""),
        f"**Modalité** : {md_escape(MODALITES[event.modalite].lower())}",
        f"**Thèmes** : {md_escape(', '.join(event.themes) or NON_PRECISE)}",
        f"**Organisateurs** : {md_escape(', '.join(event.organisateurs) or NON_PRECISE)}",
        f"**Partenaires** : {md_escape(', '.join(event.partenaires) or NON_PRECISE)}",
    ]
    if event.public:
        lignes.append(f"**Public** : {md_escape(event.public)}")
    st.markdown("  \n".join(lignes))
    if event.contributeurs:
        st.markdown("**Contributions**")
        st.markdown(
            "\n".join(
                f"- {md_escape(c.organisation or 'Organisation non précisée')} : {md_escape(c.role or NON_PRECISE)}"
                for c in event.contributeurs
            )
        )
    if event.programme:
        st.markdown("**Programme**")
        st.markdown("\n".join(f"- {md_escape(p)}" for p in event.programme))
    ateliers = cat.children(event.id)
    if ateliers:
        st.markdown(f"**Ateliers ({len(ateliers)})**")
        for atelier in ateliers:
            view_link("pages/rencontres.py", f"{atelier.lieu or NON_PRECISE} – {atelier.titre}", evt=atelier.id)
    if event.parent:
        parent = cat.event(event.parent)
        view_link("pages/rencontres.py", f"Fait partie de : {parent.titre}", evt=parent.id)
    if event.methode:
        methode = cat.methodes[event.methode]
        st.markdown(f"**Méthode** : {md_escape(methode.nom)} – {md_escape(methode.resume)}")
    if event.territoires:
        st.markdown(
            "**Territoire concerné** : " + ", ".join(f"{kind} {md_escape(code)}" for kind, code in event.territoires)
        )
    st.markdown("**À retenir**")
    st.markdown("\n".join(f"- {md_escape(t)}" for t in event.enseignements) or "- non précisé")
    st.caption("Source(s) : " + " ; ".join(cat.sources[s] for s in event.sources))


def render_experience_sheet(experience, ref: ReferenceData) -> None:
    """The sheet of an experience: summary, territories, themes, methods, actors, the three elements, sources.

    Its title is the page's second level (it comes right under the page's title).
    """
    import pandas as pd

    from cartographie.domaine.cooperations import element_rows
    from cartographie.domaine.vocabulaires import TYPES_ACTEUR

    st.header(md_escape(experience.titre))  # a title typed by a contributor: text, never Markdown
    territoires = (
        f"hors Grand Est ({experience.lieu})"
        if experience.hors_region
        else ", ".join(
            territory_label(ref, kind, code) if kind != "contrat" else f"contrat de ville {code}"
            for kind, code in experience.territoires
        )
    )
    lignes = [
        f"**Territoire** : {md_escape(territoires or 'non précisé')}",
        f"**Statut** : {md_escape(experience.statut_libelle)}",
        f"**Période** : {md_escape(experience.periode or 'non précisée')}",
        f"**Thèmes** : {md_escape(', '.join(experience.themes) or 'non précisé')}",
        f"**Méthodes** : {md_escape(', '.join(experience.methodes) or 'non précisé')}",
    ]
    st.markdown("  \n".join(lignes))
    st.markdown(md_escape(experience.resume))
    st.markdown("**Acteurs et rôles**")
    mise_en_page.table(
        pd.DataFrame(
            [
                {"Acteur": a["nom"], "Type": TYPES_ACTEUR.get(a["type"], a["type"]), "Rôle": a.get("role", "")}
                for a in experience.acteurs
            ],
            columns=["Acteur", "Type", "Rôle"],
        ),
        key="experience_acteurs",
        name=f"Acteurs et rôles : {experience.titre}",
    )
    st.markdown("**Les trois éléments déterminants de la coopération**")
    mise_en_page.table(
        pd.DataFrame(element_rows(experience)),
        key="experience_elements",
        name=f"Éléments déterminants de la coopération : {experience.titre}",
    )
    if experience.origine == "registre":
        cat = catalogue()
        st.caption("Source(s) : " + " ; ".join(md_escape(cat.sources.get(s, s)) for s in experience.sources))
    else:  # a contributor's sources: web addresses become links showing their host, the rest stays text
        st.caption(
            "Contribution validée par l'équipe éditoriale."
            + (f" Sources : {md_with_links(experience.sources[0])}" if experience.sources else "")
        )
