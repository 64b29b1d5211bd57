"""The presentation screen's content: its settings (kept in the URL), its territory and key figures.

Slides reuse the builders of the other pages; the screen's type and layout are in
:mod:`cartographie.rendu.presentation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from cartographie.domaine.formats import format_nombre
from cartographie.domaine.salle import session_name
from cartographie.domaine.territoires import hosting_communes

#: Slides in their default order (identifier → title shown on screen).
SLIDES = {
    "chiffres": "Chiffres clés",
    "carte": "Les quartiers prioritaires",
    "contrats": "Les contrats de ville 2024–2030",
    "rencontres": "Les rencontres de la coopération",
    "enquete": "Ce que disent les acteurs",
    "reseau": "Le réseau des coopérations",
    "mots": "Les mots-clés du jour",
}


#: Seconds between two slides (the presenter picks one).
INTERVALS = (5, 10, 15, 20, 30, 45, 60, 90, 120)


DEFAULT_INTERVAL = 20


REGION = "region"


@dataclass(frozen=True)
class Settings:
    """What a presenter chooses: slides and their order, territory, interval, keyword session."""

    slides: tuple[str, ...] = tuple(SLIDES)
    territoire: str = REGION
    intervalle: int = DEFAULT_INTERVAL
    session: str = ""

    def to_query(self) -> dict[str, str]:
        """Query parameters of a prepared link (defaults left out, so links stay short)."""
        query = {"diapos": ",".join(self.slides)}
        if self.territoire != REGION:
            query["territoire"] = self.territoire
        if self.intervalle != DEFAULT_INTERVAL:
            query["intervalle"] = str(self.intervalle)
        if self.session:
            query["session"] = self.session
        return query

    @classmethod
    def from_query(cls, params: Mapping[str, str], territories: set[str]) -> Settings:
        """Settings read from the URL; unknown values fall back to the defaults."""
        slides = tuple(dict.fromkeys(s for s in str(params.get("diapos", "")).split(",") if s in SLIDES))
        territoire = str(params.get("territoire", REGION))
        try:
            intervalle = int(params.get("intervalle", DEFAULT_INTERVAL))
        except (TypeError, ValueError):
            intervalle = DEFAULT_INTERVAL
        return cls(
            slides=slides or tuple(SLIDES),
            territoire=territoire if territoire in territories else REGION,
            intervalle=intervalle if intervalle in INTERVALS else DEFAULT_INTERVAL,
            session=session_name(params.get("session", "")) or "",
        )


@dataclass(frozen=True)
class Territory:
    """The territory the slides show: the region, one department or one contrat de ville."""

    kind: str  # "region", "dep" or "cv"
    code: str
    label: str
    qpv_codes: frozenset[str]
    departements: frozenset[str]
    communes: frozenset[str] = field(default_factory=frozenset)
    epci: frozenset[str] = field(default_factory=frozenset)


def territory_choices(ref) -> dict[str, str]:
    """Every territory a presentation can show: the region, its departments, its contrats de ville."""
    choices = {REGION: f"Toute la région ({ref.region_info.nom})"}
    for code, name in sorted(zip(ref.departements["insee_dep"], ref.departements["lib_dep"], strict=True)):
        choices[f"dep:{code}"] = f"Département : {name} ({code})"
    for code, name in sorted(zip(ref.contrats_2024["code_cv"], ref.contrats_2024["lib_cv"], strict=True)):
        choices[f"cv:{code}"] = f"Contrat de ville : {name}"
    return choices


def resolve_territory(ref, value: str) -> Territory:
    """The territory of a settings value (``region``, ``dep:57``, ``cv:CN05403M``)."""
    kind, _, code = value.partition(":")
    if kind == "dep":
        qpv = ref.qpv[ref.qpv["insee_dep"] == code]
        label = ref.departements.loc[ref.departements["insee_dep"] == code, "lib_dep"].iloc[0]
        communes = ref.communes.loc[ref.communes["insee_dep"] == code, "insee_com"]
        epci = ref.epci.loc[ref.epci["insee_dep"] == code, "siren_epci"]
        return Territory("dep", code, f"{label} ({code})", frozenset(qpv["code_qp"]), frozenset({code}),
                         frozenset(communes), frozenset(epci))  # fmt: skip
    if kind == "cv":
        row = ref.contrats_2024[ref.contrats_2024["code_cv"] == code].iloc[0]
        qpv = ref.qpv[ref.qpv["code_cv_2024"] == code]
        if row["porteur_type"] == "epci":
            carrier = set(ref.communes.loc[ref.communes["siren_epci"] == row["porteur_code"], "insee_com"])
        else:
            carrier = {row["porteur_code"]}
        return Territory(
            "cv",
            code,
            str(row["lib_cv"]),
            frozenset(qpv["code_qp"]),
            frozenset({row["insee_dep"]}),
            frozenset(hosting_communes(ref, qpv["code_qp"]) | carrier),
            frozenset(qpv["siren_epci"]) | ({row["porteur_code"]} if row["porteur_type"] == "epci" else set()),
        )
    return Territory(
        REGION,
        "",
        ref.region_info.nom,
        frozenset(ref.qpv["code_qp"]),
        frozenset(ref.departements["insee_dep"]),
        frozenset(ref.communes["insee_com"]),
        frozenset(ref.epci["siren_epci"]),
    )


def touches(territory: Territory, places) -> bool:
    """Whether an experience or event located by ``(kind, code)`` pairs concerns the territory."""
    for kind, code in places:
        if territory.kind == REGION:
            return True
        if (
            (kind == "qpv" and code in territory.qpv_codes)
            or (kind == "commune" and code in territory.communes)
            or (kind == "epci" and code in territory.epci)
            or (kind == "contrat" and territory.kind == "cv" and code == territory.code)
        ):
            return True
    return False


@dataclass(frozen=True)
class Figure:
    """One key figure: the number, what it counts, and where it comes from."""

    value: str
    label: str
    source: str


def population(ref, territory: Territory):
    """Population of the territory (see :func:`cartographie.indicateurs.population_of`), or ``None``."""
    from cartographie.domaine.indicateurs import population_of

    kind = {REGION: "region", "dep": "dep", "cv": "cv"}[territory.kind]
    return population_of(ref, kind, territory.code)


def key_figures(ref, territory: Territory, *, events: int, experiences: int) -> list[Figure]:
    """QPV, inhabitants of the territory, contrats de ville, meetings and cooperation experiences."""
    figures = [
        Figure(
            format_nombre(len(territory.qpv_codes)), "quartiers prioritaires 2024", _short(ref.source("qpv_2024_liste"))
        )
    ]
    inhabitants = population(ref, territory)
    if inhabitants is not None:
        what = {REGION: "de la région", "dep": "du département", "cv": "du territoire du porteur"}[territory.kind]
        figures.append(
            Figure(
                _millions(inhabitants.valeur),
                f"habitants {what}",
                f"population municipale (pas celle des QPV) : INSEE, via {_short(ref.source('communes'))} ; "
                "année de recensement non précisée par la source",
            )
        )
    if territory.kind == "cv":
        communes = len(territory.communes)
        figures.append(
            Figure(
                format_nombre(communes), "communes ayant un QPV dans ce contrat", _short(ref.source("qpv_2024_liste"))
            )
        )
    else:
        contrats = ref.contrats_2024
        if territory.kind == "dep":
            contrats = contrats[contrats["insee_dep"] == territory.code]
        figures.append(
            Figure(
                format_nombre(len(contrats)),
                "contrats de ville 2024–2030",
                _short(ref.source("contrats_ville_2024")),
            )
        )
    where = "tenus dans la région" if territory.kind == REGION else "tenus sur le territoire ou à son sujet"
    figures.append(
        Figure(
            format_nombre(events),
            "rencontres et ateliers",
            f"{where}, en ligne compris, hors enquête : documents publics de l'ORIV et du Réseau DSU Grand Est, "
            "2020–2025",
        )
    )
    figures.append(Figure(format_nombre(experiences), "expériences de coopération", "registre de l'application"))
    return figures


def status_line(ref, territory: Territory) -> str:
    """How the territory's QPV 2024 compare with the 2015 geography, in one sentence with its source."""
    from cartographie.domaine.territoires import statuts_phrase

    qpv = ref.qpv[ref.qpv["code_qp"].isin(territory.qpv_codes)]
    counts = qpv["statut_2024_vs_2015"].value_counts().to_dict()
    source = ref.source("qpv_correspondance")
    return (
        f"Par rapport à la géographie prioritaire de 2015 : {statuts_phrase(counts)} "
        f"(source : {source.producteur}, {source.titre[:1].lower()}{source.titre[1:]}, {source.millesime})."
    )


def _short(source) -> str:
    """« Producer, year » of a manifest entry, for a line under a figure."""
    producer = source.producteur.split(" ;")[0]
    producer += ")" * (producer.count("(") - producer.count(")"))
    return producer if source.millesime in producer else f"{producer}, {source.millesime}"


def _millions(value: int) -> str:
    if value >= 1_000_000:
        return f"{format_nombre(value / 1_000_000, 1)}\u00a0M"
    return format_nombre(value)


def contrats_frame(ref, territory: Territory) -> pd.DataFrame:
    """Contrats de ville of the territory with their QPV count (most QPV first)."""
    contrats = ref.contrats_2024
    if territory.kind == "dep":
        contrats = contrats[contrats["insee_dep"] == territory.code]
    elif territory.kind == "cv":
        contrats = contrats[contrats["code_cv"] == territory.code]
    counts = ref.qpv["code_cv_2024"].value_counts()
    table = pd.DataFrame(
        {
            "Contrat de ville": contrats["lib_cv"].to_numpy(),
            "Porteur": contrats["porteur_nom"].to_numpy(),
            "Département": contrats["insee_dep"].to_numpy(),
            "QPV 2024": contrats["code_cv"].map(counts).fillna(0).astype(int).to_numpy(),
        }
    )
    return table.sort_values(["QPV 2024", "Contrat de ville"], ascending=[False, True]).reset_index(drop=True)


def qpv_frame(ref, territory: Territory) -> pd.DataFrame:
    """The QPV a map of the territory draws, by department and commune: the map's text alternative."""
    qpv = ref.qpv[ref.qpv["code_qp"].isin(territory.qpv_codes)]
    table = pd.DataFrame(
        {
            "Département": qpv["insee_dep"].to_numpy(),
            "Commune(s)": qpv["lib_com"].to_numpy(),
            "Quartier prioritaire": qpv["lib_qp"].to_numpy(),
        }
    )
    return table.sort_values(list(table.columns)).reset_index(drop=True)


def territory_events(catalogue, territory: Territory) -> list:
    """Meetings held on the territory or about it (for the region: every meeting of the region).

    The survey is not a meeting; meetings outside the region are left out.
    """
    from cartographie.domaine.rencontres import events_for_territory
    from cartographie.domaine.vocabulaires import TYPES_RENCONTRE

    if territory.kind == REGION:
        return [e for e in catalogue.evenements if not e.hors_region and e.type in TYPES_RENCONTRE]
    found = events_for_territory(
        catalogue,
        qpv=tuple(territory.qpv_codes),
        communes=tuple(territory.communes),
        epci=tuple(territory.epci),
        departements=(territory.code,) if territory.kind == "dep" else (),
    )
    return list(found.tous)


def territory_experiences(experiences: list, territory: Territory) -> list:
    """Cooperation experiences located in the territory (those outside the region are left out)."""
    return [e for e in experiences if not e.hors_region and touches(territory, e.territoires)]


def contrat_lines(ref, territory: Territory) -> tuple[list[str], list[str]]:
    """What the contrats slide says of one contrat de ville: its carrier and count, then its QPV."""
    row = ref.contrats_2024[ref.contrats_2024["code_cv"] == territory.code].iloc[0]
    qpv = ref.qpv[ref.qpv["code_qp"].isin(territory.qpv_codes)].sort_values("lib_qp")
    n = len(qpv)
    head = [
        f"Porteur : {row['porteur_nom']}",
        f"{n} quartier{'s' if n > 1 else ''} prioritaire{'s' if n > 1 else ''} 2024",
    ]
    names = [f"{name} ({commune})" for name, commune in zip(qpv["lib_qp"], qpv["lib_com"], strict=True)]
    return head, names
