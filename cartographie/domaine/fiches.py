"""What a territory's sheet says, section by section: computed once here, rendered by the screen and the PDF.

The sheet of a QPV, a contrat de ville or a department (and the region's key figures) is a
:class:`Sheet`: its facts are :class:`~cartographie.domaine.chiffres.Figure` objects (value,
scope, sources, vintage, notes), then the changes since 2015, its QPV, its credits by year (or
why it has none), its meetings and its cooperation experiences. The screen's sheets, the
printable sheets, the slides and the home page render these objects and compute nothing of
their own, so that two views of one territory cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from cartographie.domaine.chiffres import Figure, Scope, credits_by_year
from cartographie.domaine.habitants import METHOD, comparable_qpv, compared_note, qpv_figures, territory_figures
from cartographie.domaine.territoires import STATUTS, Territory, communes_of, statuts_phrase

if TYPE_CHECKING:
    from cartographie.domaine.rencontres import Catalogue, TerritoryEvents
    from cartographie.domaine.territoires import ReferenceData


#: What each kind of territory is called at the top of its sheet.
KINDS = {
    "qpv": "Quartier prioritaire de la politique de la ville",
    "cv": "Contrat de ville 2024–2030",
    "dep": "Département",
    "region": "Région",
}


#: Facts a sheet says in its « Depuis 2015 » section rather than among its essentials.
IN_CHANGES = frozenset({"statuts"})


#: The note every QPV → contrat attachment carries (the list's ``code_cv_2024`` is derived, not official).
RATTACHEMENT_DEDUIT = (
    "rattachement déduit de la commune ou de l'EPCI qui porte le contrat : ce n'est pas une table officielle"
)


def _scope(territory: Territory) -> Scope:
    return Scope(territory.kind, territory.code, territory.label)


def _vintage(ref: ReferenceData, *keys: str) -> str:
    return " ; ".join(dict.fromkeys(ref.source(k).millesime for k in keys))


def _figure(ref, territory, key, value, unit, label, sources, notes=(), detail="") -> Figure:
    return Figure(key, value, unit, label, _scope(territory), tuple(sources), _vintage(ref, *sources),
                  tuple(n for n in notes if n), detail=detail)  # fmt: skip


def _communes_detail(ref: ReferenceData, codes) -> str:
    """« Nancy (54395), Vandœuvre-lès-Nancy (54547) » (sorted by name)."""
    rows = communes_of(ref, codes)[["lib_com", "insee_com"]].drop_duplicates("insee_com").sort_values("lib_com")
    return ", ".join(f"{r.lib_com} ({r.insee_com})" for r in rows.itertuples())


def population_figure(ref: ReferenceData, territory: Territory) -> Figure | None:
    """The population of a territory (sum of its communes: the one rule), or ``None`` for a QPV."""
    from cartographie.domaine.indicateurs import population_of

    if territory.kind == "qpv":
        return None
    found = population_of(ref, territory.kind, territory.code)
    if found is None:
        return None
    label = {
        "region": "Population de la région",
        "dep": "Population du département",
        "cv": "Population du territoire du porteur",
    }[territory.kind]
    notes = [f"{found.definition} ; pas celle des quartiers prioritaires"]
    if not found.complete:
        notes.append(f"{found.manquantes} commune(s) hors région non comptée(s)")
    figure = _figure(ref, territory, "population", found.valeur, "habitants", label, ("communes",), notes)
    return replace(figure, brief="population municipale (INSEE), pas celle des QPV ; année non précisée")


def territory_facts(ref: ReferenceData, territory: Territory) -> dict[str, Figure]:
    """The facts of a territory's sheet, in the order a sheet shows them (key → figure)."""
    qpv = ref.qpv[ref.qpv["code_qp"].isin(territory.qpv_codes)]
    facts: dict[str, Figure] = {}

    def add(key, value, unit, label, sources, notes=(), detail="") -> None:
        facts[key] = _figure(ref, territory, key, value, unit, label, sources, notes, detail)

    if territory.kind == "qpv":
        row = qpv.iloc[0]
        before = [c for c in str(row["codes_qp_2015"]).split(";") if c]
        names = str(row["libs_qp_2015"]).split(";") + [""] * len(before)
        origin = ", ".join(f"{c} ({n})" if n else c for c, n in zip(before, names, strict=False))
        add("code", row["code_qp"], "texte", "Code", ("qpv_2024_liste",))
        add("departement", f"{row['lib_dep']} ({row['insee_dep']})", "texte", "Département", ("qpv_2024_liste",))
        communes = _communes_detail(ref, territory.code)
        label = "Communes" if len(territory.communes_qpv) > 1 else "Commune"
        add("communes", communes, "texte", label, ("qpv_2024_communes",))
        add("epci", row["lib_epci"], "texte", "EPCI", ("qpv_2024_liste",))
        add("contrat", f"{row['lib_cv_2024']} ({row['code_cv_2024']})", "texte", "Contrat de ville 2024–2030",
            ("qpv_2024_liste", "contrats_ville_2024"), (RATTACHEMENT_DEDUIT,))  # fmt: skip
        add("statut", STATUTS[row["statut_2024_vs_2015"]], "texte", "Statut par rapport à 2015",
            ("qpv_correspondance",))  # fmt: skip
        add("qpv_2015", origin or "aucun (nouveau quartier prioritaire en 2024)", "texte", "QPV 2015 d'origine",
            ("qpv_correspondance",))  # fmt: skip
        facts.update(qpv_figures(ref, territory))
        return facts
    if territory.kind == "cv":
        row = ref.contrats_2024[ref.contrats_2024["code_cv"] == territory.code].iloc[0]
        porteur = "EPCI" if row["porteur_type"] == "epci" else "commune"
        identifier = "SIREN" if row["porteur_type"] == "epci" else "code INSEE"
        dep_names = dict(zip(ref.departements["insee_dep"], ref.departements["lib_dep"], strict=True))
        add("code", territory.code, "texte", "Code", ("contrats_ville_2024",))
        add("porteur", f"{row['porteur_nom']} ({porteur}, {identifier} {row['porteur_code']})", "texte", "Porteur",
            ("contrats_ville_2024",))  # fmt: skip
        add("departement", f"{dep_names.get(row['insee_dep'], '')} ({row['insee_dep']})", "texte", "Département",
            ("contrats_ville_2024",))  # fmt: skip
    add("nb_qpv", len(qpv), "nombre", "Quartiers prioritaires 2024", ("qpv_2024_liste", "contrats_ville_2024")
        if territory.kind == "cv" else ("qpv_2024_liste",),
        (RATTACHEMENT_DEDUIT,) if territory.kind == "cv" else ())  # fmt: skip
    if territory.kind != "cv":
        contrats = ref.contrats_2024[ref.contrats_2024["code_cv"].isin(territory.contrats)]
        add("nb_contrats", len(contrats), "nombre", "Contrats de ville 2024–2030", ("contrats_ville_2024",))
    add("communes_qpv", len(territory.communes_qpv), "nombre", "Communes ayant un QPV", ("qpv_2024_communes",),
        detail=_communes_detail(ref, territory.qpv_codes) if territory.kind == "cv" else "")  # fmt: skip
    if territory.kind == "region":
        add("nb_epci_qpv", int(qpv["siren_epci"].nunique()), "nombre", "EPCI ayant un QPV", ("qpv_2024_liste",))
    counts = qpv["statut_2024_vs_2015"].value_counts()
    statuts = {code: int(counts.get(code, 0)) for code in STATUTS}
    add("statuts", statuts_phrase(statuts), "texte", "Quartiers par rapport à la géographie prioritaire de 2015",
        ("qpv_correspondance",))  # fmt: skip
    population = population_figure(ref, territory)
    if population is not None:
        facts["population"] = population
    facts.update(territory_figures(ref, territory))
    return facts


# --------------------------------------------------------------------------------------------- meetings, experiences


def territory_meetings(catalogue: Catalogue, territory: Territory) -> TerritoryEvents:
    """The meetings of a territory, the same in every view: held on it, and about it held elsewhere.

    The region's are every meeting held in the region. The survey is not a meeting; meetings
    outside the region are left out of the region's list.
    """
    from cartographie.domaine.rencontres import TerritoryEvents, events_for_territory
    from cartographie.domaine.vocabulaires import TYPES_RENCONTRE

    if territory.kind == "region":
        held = [e for e in catalogue.evenements if not e.hors_region and e.type in TYPES_RENCONTRE]
        return TerritoryEvents(tuple(held), ())
    return events_for_territory(
        catalogue,
        qpv=tuple(sorted(territory.qpv_codes)),
        communes=tuple(sorted(territory.communes)),
        epci=tuple(sorted(territory.epci)),
        departements=(territory.code,) if territory.kind == "dep" else (),
    )


def territory_experiences(experiences: list, territory: Territory) -> tuple[list, list]:
    """Cooperation experiences of a territory: those located on it, then (for a QPV) those of its EPCI or contrat.

    An experience placed at the level of an intercommunality or a contrat is not a QPV's own:
    its sheet lists it apart, saying at which level it is placed.
    """
    from cartographie.domaine.territoires import touches

    inside = [e for e in experiences if not e.hors_region and touches(territory, e.territoires)]
    if territory.kind != "qpv":
        return inside, []
    local = Territory("qpv", territory.code, territory.label, territory.qpv_codes, territory.departements,
                      territory.communes_qpv)  # fmt: skip
    own = [e for e in inside if touches(local, e.territoires)]
    return own, [e for e in inside if e not in own]


def meetings_figure(catalogue: Catalogue, territory: Territory) -> Figure:
    """How many meetings a territory has (those :func:`territory_meetings` lists)."""
    where = "tenus dans la région" if territory.kind == "region" else "tenus sur le territoire ou à son sujet"
    return Figure(
        "rencontres",
        len(territory_meetings(catalogue, territory)),
        "nombre",
        "Rencontres et ateliers",
        _scope(territory),
        ("rencontres",),
        "2020–2025",
        brief=f"{where}, en ligne compris, hors enquête",
    )


def experiences_figure(experiences: list, territory: Territory) -> Figure:
    """How many cooperation experiences are located on a territory (those :func:`territory_experiences` lists)."""
    own, _ = territory_experiences(experiences, territory)
    return Figure("experiences", len(own), "nombre", "Expériences de coopération", _scope(territory),
                  ("experiences",), "")  # fmt: skip


# --------------------------------------------------------------------------------------------- the sheet


@dataclass(frozen=True)
class Sheet:
    """What a territory's sheet says, section by section (the screen and the printed sheet render it)."""

    territory: Territory
    kind: str
    title: str
    facts: dict[str, Figure]
    changes: tuple[str, ...]
    qpv_codes: tuple[str, ...]
    #: Credits by year and scheme (:func:`~cartographie.domaine.chiffres.credits_by_year`), or ``None``.
    credits: pd.DataFrame | None
    #: Whose credits these are, or why the sheet has none.
    credits_note: str
    meetings: TerritoryEvents
    experiences: tuple
    #: For a QPV: experiences placed at the level of its EPCI or contrat (not its own).
    experiences_wider: tuple = ()
    #: The data-quality alerts of the years its credits show (each said once, in full).
    credit_alerts: tuple[str, ...] = ()
    #: For a QPV: the QPV most alike it on INSEE's indicators, outside its contrat first (:func:`comparables_of`).
    comparables: tuple[Comparable, ...] = ()
    #: How they are found (two sentences), or why there are none.
    comparables_note: str = ""

    @property
    def experiences_wider_label(self) -> str:
        """The heading of the experiences placed at a wider level than a QPV."""
        return "Placées à l'échelle de son intercommunalité ou de son contrat de ville (pas propres au quartier) :"

    @property
    def authored_sources(self) -> tuple[str, ...]:
        """The project's own registries behind the sheet's meetings and experiences."""
        from cartographie.domaine.chiffres import AUTHORED_SOURCES

        return (
            f"Rencontres : {AUTHORED_SOURCES['rencontres']}",
            f"Expériences de coopération : {AUTHORED_SOURCES['experiences']}",
        )

    @property
    def essentials(self) -> list[Figure]:
        """The facts a sheet lists first (« L'essentiel »), in order."""
        return [f for k, f in self.facts.items() if k not in IN_CHANGES]

    @property
    def sources(self) -> tuple[str, ...]:
        """Every reference file the sheet's figures come from (manifest keys), in a stable order."""
        keys = ["qpv_2024", "departements"]
        for figure in self.facts.values():
            keys += figure.sources
        if self.credits is not None:
            from cartographie.domaine.chiffres import credit_sources

            for year in self.credits["Année"]:
                keys += credit_sources("cv" if self.territory.kind == "cv" else self.territory.kind, int(year))
        return tuple(k for k in dict.fromkeys(keys) if k not in ("rencontres", "experiences"))


def _changes(ref: ReferenceData, territory: Territory, facts: dict[str, Figure]) -> tuple[str, ...]:
    from cartographie.domaine.predecesseurs import predecessors_of

    if territory.kind == "qpv":
        return (f"Statut par rapport à 2015 : {facts['statut'].text}. QPV 2015 d'origine : {facts['qpv_2015'].text}.",)
    lines = [f"Quartiers : {facts['statuts'].text} par rapport à la géographie prioritaire de 2015."]
    if territory.kind == "cv":
        before = predecessors_of(ref, territory.code)
        if before.statut == "documente":
            lines += [f"Précédé par : {r.lib_cv} ({r.code_cv})" for r in before.contrats.itertuples()]
            if before.indecis:
                lines.append(before.indecis)
        else:
            lines.append(before.explication)
    return tuple(lines)


@dataclass(frozen=True)
class Comparable:
    """A QPV alike another on INSEE's indicators, and who to call there: its contrat, meetings and experiences."""

    code: str
    name: str
    communes: str
    contrat: str
    contrat_code: str
    same_contrat: bool
    #: Which indicators were compared, when one was left out (« comparé sur 3 indicateurs (…) »).
    compared: str
    meetings: tuple[str, ...]
    experiences: tuple[str, ...]

    @property
    def line(self) -> str:
        """One line of the sheet: « Name (communes), contrat X ; 2 rencontres, 1 expérience »."""
        where = "son propre contrat" if self.same_contrat else f"contrat {self.contrat}"
        found = []
        if self.meetings:
            found.append(f"{len(self.meetings)} rencontre{'s' if len(self.meetings) > 1 else ''}")
        if self.experiences:
            found.append(f"{len(self.experiences)} expérience{'s' if len(self.experiences) > 1 else ''} de coopération")
        tail = f" ; {', '.join(found)}" if found else " ; aucune rencontre ni expérience recensée"
        note = f" ; {self.compared}" if self.compared else ""
        return f"{self.name} ({self.communes}), {where}{tail}{note}"


def comparables_of(ref: ReferenceData, code: str, catalogue: Catalogue, experiences: list) -> tuple[Comparable, ...]:
    """The five QPV most alike ``code`` (:func:`cartographie.domaine.habitants.comparable_qpv`), with who to call."""
    from cartographie.domaine.territoires import resolve_territory

    rows = ref.qpv.set_index("code_qp")
    found = []
    for neighbour in comparable_qpv(ref, code):
        row = rows.loc[neighbour.code]
        other = resolve_territory(ref, f"qpv:{neighbour.code}")
        meetings = territory_meetings(catalogue, other)
        own, _ = territory_experiences(experiences, other)
        found.append(
            Comparable(
                code=neighbour.code,
                name=str(row["lib_qp"]),
                communes=str(row["lib_com"]),
                contrat=str(row["lib_cv_2024"]),
                contrat_code=str(row["code_cv_2024"]),
                same_contrat=neighbour.same_contrat,
                compared=compared_note(neighbour),
                meetings=tuple(e.titre for e in meetings.tous),
                experiences=tuple(e.titre for e in own),
            )
        )
    return tuple(found)


def sheet_of(ref: ReferenceData, territory: Territory, catalogue: Catalogue, experiences: list) -> Sheet:
    """The sheet of a QPV, a contrat de ville or a department (every section computed here, once)."""
    facts = territory_facts(ref, territory)
    qpv = ref.qpv[ref.qpv["code_qp"].isin(territory.qpv_codes)].sort_values(["lib_qp", "code_qp"])
    if territory.kind == "qpv":
        credits = None
        contrat = facts["contrat"].text
        note = (
            "La source rattache les crédits adultes-relais et FONJEP aux contrats de ville, pas aux quartiers : "
            f"ce quartier n'a pas de crédits à lui seul. Voir ceux de son contrat de ville, {contrat}."
        )
    else:
        credits = credits_by_year(ref, territory.kind, territory.code)
        note = "" if len(credits) else "Aucun poste adultes-relais ou FONJEP rattaché à ce territoire dans les données."
        credits = credits if len(credits) else None
        if territory.kind == "dep":
            note = (
                "Postes du département (code département de la source), y compris ceux qu'aucun contrat de ville "
                "ne porte."
            )
    own, wider = territory_experiences(experiences, territory)
    comparables, comparables_note = (), ""
    if territory.kind == "qpv":
        comparables = comparables_of(ref, territory.code, catalogue, experiences)
        comparables_note = METHOD if comparables else "Indicateurs de l'INSEE absents du dossier de données."
    quality = ref.credits_qualite
    years = sorted(set(credits["Année"])) if credits is not None else []
    alerts = tuple(f.texte for y in years for f in quality.of(y, niveau="alerte")) if quality else ()
    return Sheet(
        territory=territory,
        kind=KINDS[territory.kind],
        title=territory.label,
        facts=facts,
        changes=_changes(ref, territory, facts),
        qpv_codes=tuple(qpv["code_qp"]),
        credits=credits,
        credits_note=note,
        meetings=territory_meetings(catalogue, territory),
        experiences=tuple(own),
        experiences_wider=tuple(wider),
        credit_alerts=alerts,
        comparables=comparables,
        comparables_note=comparables_note,
    )
