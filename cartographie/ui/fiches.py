"""Sheets: a QPV, a contrat de ville, an event, an experience; sources and data-quality notes beside them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from cartographie.ui import mise_en_page
from cartographie.ui.barre import view_link
from cartographie.ui.cache import catalogue
from cartographie.ui.mise_en_page import is_editor, md_escape, source_caption

if TYPE_CHECKING:  # the heavy modules are imported where used, so that cached pages start light
    from cartographie.lecture.reference import ReferenceData
    from cartographie.lecture.sources import SourceFile


def render_qpv_sheet(sheet, sources: list[SourceFile]) -> None:
    """The sheet of a QPV: code, name, communes, EPCI, contrat de ville, status, 2015 codes, sources.

    Its title is the page's second level (the sheet sits beside the map, right under the page's title).
    """
    st.header(md_escape(sheet.nom))
    lignes = [
        f"**Code** : {md_escape(sheet.code)}",
        f"**Département** : {md_escape(sheet.departement)}",
        f"**Commune{'s' if len(sheet.communes) > 1 else ''}** : {md_escape(', '.join(sheet.communes))}",
        f"**EPCI** : {md_escape(sheet.epci)}",
        f"**Contrat de ville 2024–2030** : {md_escape(sheet.contrat_nom)} ({md_escape(sheet.contrat_code)})",
        f"**Statut par rapport à 2015** : {md_escape(sheet.statut)}",
    ]
    if sheet.codes_2015:
        anciens = ", ".join(
            f"{md_escape(code)} ({md_escape(nom)})" if nom else md_escape(code) for code, nom in sheet.codes_2015
        )
        lignes.append(f"**QPV 2015 d'origine** : {anciens}")
    else:
        lignes.append("**QPV 2015 d'origine** : aucun (nouveau quartier prioritaire en 2024)")
    st.markdown("  \n".join(lignes))
    view_link("pages/contrats.py", f"Fiche du contrat de ville : {sheet.contrat_nom}", contrat=sheet.contrat_code)
    source_caption(*sources)


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
        st.caption(f"Dossier de données utilisé (visible des éditeurs) : {ref.dossier}")


def sources_note(ref: ReferenceData) -> str:
    """One line naming the sources of the QPV table, written under exported tables."""
    sources = (ref.source("qpv_2024_liste"), ref.source("qpv_correspondance"), ref.source("contrats_ville_2024"))
    return "Sources : " + " ; ".join(s.citation for s in sources)


def render_contrat_sheet(sheet, ref: ReferenceData) -> None:
    """Header of a contrat's sheet: carrier, department, population, communes, and what came before it."""
    from cartographie.domaine.formats import format_nombre
    from cartographie.domaine.territoires import statuts_phrase

    st.subheader(md_escape(sheet.nom))
    identifiant = "SIREN" if sheet.porteur_type == "EPCI" else "code INSEE"
    lignes = [
        f"**Code** : {md_escape(sheet.code)}",
        f"**Porteur** : {md_escape(sheet.porteur)} "
        f"({sheet.porteur_type}, {identifiant} {md_escape(sheet.porteur_code)})",
        f"**Département** : {md_escape(sheet.departement)}",
        f"**Quartiers prioritaires 2024** : {len(sheet.qpv)}",
        f"**Communes ayant un QPV** : {md_escape(', '.join(sheet.communes))}",
    ]
    if sheet.population is not None:
        pop = sheet.population
        lignes.append(
            f"**Population du territoire du porteur** : {format_nombre(pop.valeur)} habitants "
            f"({format_nombre(pop.communes)} commune{'s' if pop.communes > 1 else ''}"
            + (f", {pop.manquantes} commune(s) hors région non comptée(s)" if not pop.complete else "")
            + ")"
        )
    st.markdown("  \n".join(lignes))
    if sheet.population is not None:
        st.caption(f"Population : {sheet.population.definition}.")
    st.markdown("**Depuis le contrat de ville 2015–2023**")
    before = sheet.predecesseurs
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
    else:
        st.info(before.explication, icon=":material/help:")
    st.markdown(
        f"- Quartiers : {statuts_phrase(sheet.statuts)} par rapport à la géographie prioritaire de 2015.\n"
        "- Règle : un contrat 2015–2023 précède celui-ci s'il couvrait au moins un de ses QPV 2024 (qui succèdent "
        "aux QPV 2015 au même endroit) ou la majeure partie de son territoire, d'après les périmètres (aucune table "
        "officielle ne relie les deux générations)."
    )
    source_caption(
        ref.source("contrats_ville_2024"), ref.source("contrats_ville_2015"), ref.source("qpv_correspondance")
    )


def credits_warnings(ref: ReferenceData, annee: int | None = None, dispositif: str | None = None) -> None:
    """The data-quality findings of the credits shown: alerts as a warning, notes as a caption."""
    quality = ref.credits_qualite
    if quality is None:
        return
    years = [annee] if annee is not None else list(quality.annees)
    alerts = [f.texte for y in years for f in quality.of(y, dispositif, niveau="alerte")]
    notes = [f.texte for y in years for f in quality.of(y, dispositif, niveau="note")]
    if alerts:
        st.warning(
            "**Données douteuses dans la source** : " + " ".join(md_escape(a) for a in alerts),
            icon=":material/warning:",
        )
    if notes:
        st.caption("Notes sur les données : " + " ".join(md_escape(n) for n in notes))


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
        st.caption("Source(s) : " + " ; ".join(cat.sources.get(s, s) for s in experience.sources))
    else:
        st.caption(
            "Contribution validée par l'équipe éditoriale."
            + (f" Sources : {experience.sources[0]}" if experience.sources else "")
        )
