"""The presentation screen's content: its settings (kept in the URL), its territory and key figures.

Slides reuse the builders of the other pages; the screen's type and layout are in
:mod:`cartographie.rendu.presentation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from cartographie.domaine.chiffres import Figure
from cartographie.domaine.salle import session_name
from cartographie.domaine.territoires import Territory

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


def territory_choices(ref) -> dict[str, str]:
    """Every territory a presentation can show: the region, its departments, its contrats de ville."""
    choices = {REGION: f"Toute la région ({ref.region_info.nom})"}
    for code, name in sorted(zip(ref.departements["insee_dep"], ref.departements["lib_dep"], strict=True)):
        choices[f"dep:{code}"] = f"Département : {name} ({code})"
    for code, name in sorted(zip(ref.contrats_2024["code_cv"], ref.contrats_2024["lib_cv"], strict=True)):
        choices[f"cv:{code}"] = f"Contrat de ville : {name}"
    return choices


def key_figures(ref, territory: Territory, catalogue, experiences: list) -> list[Figure]:
    """The key-figures slide: QPV, their inhabitants, communes with a QPV (a contrat) or contrats, meetings, events.

    The very figures of the territory's sheet (:mod:`cartographie.domaine.fiches`), never recounted.
    """
    from cartographie.domaine.fiches import experiences_figure, meetings_figure, territory_facts

    facts = territory_facts(ref, territory)
    figures = [facts["nb_qpv"]]
    # Who lives in its QPV (INSEE) when the folder has the figures, else the territory's population.
    inhabitants = facts.get("insee_population_qpv")
    if inhabitants is not None and inhabitants.known:
        figures.append(inhabitants)
    elif "population" in facts:
        figures.append(facts["population"])
    figures.append(facts["communes_qpv"] if territory.kind == "cv" else facts["nb_contrats"])
    figures.append(meetings_figure(catalogue, territory))
    figures.append(experiences_figure(experiences, territory))
    return figures


def status_line(ref, territory: Territory) -> str:
    """How the territory's QPV 2024 compare with the 2015 geography, in one sentence with its source."""
    from cartographie.domaine.chiffres import source_named
    from cartographie.domaine.fiches import territory_facts

    statuts = territory_facts(ref, territory)["statuts"]
    source = " ; ".join(source_named(ref, k) for k in statuts.sources)
    return f"Par rapport à la géographie prioritaire de 2015 : {statuts.text} (source : {source})."


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
