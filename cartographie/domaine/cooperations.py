"""Cooperation experiences: the registry's objects, filters, network of actors and their tables.

The registry joins experiences authored in ``data/experiences.toml`` (read by
:mod:`cartographie.lecture.experiences`) and those editors have approved in the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from cartographie.domaine.texte import fold
from cartographie.domaine.vocabulaires import ELEMENTS, STATUTS_EXPERIENCE, TERRITOIRE_LIBELLES, TYPES_ACTEUR


@dataclass(frozen=True)
class Experience:
    """One cooperation experience, authored or contributed."""

    id: str
    titre: str
    resume: str
    territoires: tuple[tuple[str, str], ...]
    themes: tuple[str, ...]
    methodes: tuple[str, ...]
    periode: str
    statut: str
    sources: tuple[str, ...]
    hors_region: bool
    lieu: str
    elements: dict[str, str]
    acteurs: tuple[dict, ...]
    origine: str = "registre"  # "registre" (authored) or "contribution" (approved proposal)
    extra: dict = field(default_factory=dict)

    @property
    def statut_libelle(self) -> str:
        """French label of the status."""
        return STATUTS_EXPERIENCE.get(self.statut, self.statut)


def territory_checker(ref) -> Callable[[str, str], bool]:
    """``(type, code) → bool`` against the reference data (QPV, commune, EPCI, contrat de ville 2024)."""
    known = {
        "qpv": set(ref.qpv["code_qp"]),
        "commune": set(ref.communes["insee_com"]),
        "epci": set(ref.epci["siren_epci"]),
        "contrat": set(ref.contrats_2024["code_cv"]),
    }
    return lambda kind, code: code in known.get(kind, set())


def from_store(rows: Iterable[dict]) -> list[Experience]:
    """Experiences approved in the contribution store."""
    return [
        Experience(
            id=f"contribution-{row['id']}",
            titre=row["titre"],
            resume=row["resume"],
            territoires=tuple((t["type"], t["code"]) for t in row["territoires"]),
            themes=tuple(row["themes"]),
            methodes=tuple(row["methodes"]),
            periode=row["periode"],
            statut=row["statut"],
            sources=(row["sources"],) if row["sources"] else (),
            hors_region=bool(row["hors_region"]),
            lieu="",
            elements=dict(row["elements"]),
            acteurs=tuple(row["acteurs"]),
            origine="contribution",
        )
        for row in rows
    ]


def experiences_frame(experiences: list[Experience]) -> pd.DataFrame:
    """One row per experience, for the list and the filters."""
    return pd.DataFrame(
        [
            {
                "id": e.id,
                "Titre": e.titre,
                "Statut": e.statut_libelle,
                "Période": e.periode or "non précisée",
                "Thèmes": ", ".join(e.themes),
                "Méthodes": ", ".join(e.methodes),
                "Acteurs": len(e.acteurs),
                "Types d'acteurs": ", ".join(sorted({TYPES_ACTEUR[a["type"]] for a in e.acteurs})),
                "Territoire": "hors Grand Est"
                if e.hors_region
                else ", ".join(f"{TERRITOIRE_LIBELLES[k]} {c}" for k, c in e.territoires),
                "Origine": "Registre" if e.origine == "registre" else "Contribution validée",
            }
            for e in experiences
        ],
        columns=[
            "id",
            "Titre",
            "Statut",
            "Période",
            "Thèmes",
            "Méthodes",
            "Acteurs",
            "Types d'acteurs",
            "Territoire",
            "Origine",
        ],
    )


def filter_experiences(
    experiences: list[Experience],
    *,
    themes: tuple[str, ...] = (),
    types_acteur: tuple[str, ...] = (),
    territoires: tuple[tuple[str, str], ...] = (),
    methodes: tuple[str, ...] = (),
    statuts: tuple[str, ...] = (),
) -> list[Experience]:
    """Experiences matching every filter given (an empty filter keeps everything)."""
    out = []
    for e in experiences:
        if themes and not set(themes) & set(e.themes):
            continue
        if types_acteur and not set(types_acteur) & {a["type"] for a in e.acteurs}:
            continue
        if territoires and not set(territoires) & set(e.territoires):
            continue
        if methodes and not {fold(m) for m in methodes} & {fold(m) for m in e.methodes}:
            continue
        if statuts and e.statut not in statuts:
            continue
        out.append(e)
    return out


def actor_node(actor: dict) -> str:
    """Node name of an actor (same name and type, same node)."""
    return f"acteur:{actor['type']}:{fold(actor['nom'])}"


def build_network(experiences: list[Experience]) -> nx.Graph:
    """Bipartite graph: experiences ↔ actors, each edge carrying the actor's role."""
    graph = nx.Graph()
    for e in experiences:
        node = f"experience:{e.id}"
        graph.add_node(node, kind="experience", label=e.titre, id=e.id, territoires=e.territoires)
        for actor in e.acteurs:
            other = actor_node(actor)
            if other not in graph:
                graph.add_node(other, kind="acteur", label=actor["nom"], type=actor["type"])
            graph.add_edge(node, other, role=actor.get("role", ""))
    return graph


def focus(graph: nx.Graph, node: str | None, radius: int = 2) -> nx.Graph:
    """The neighbourhood of one node (the whole graph when ``node`` is ``None`` or unknown)."""
    if not node or node not in graph:
        return graph
    return nx.ego_graph(graph, node, radius=radius)


def actors_table(graph: nx.Graph) -> pd.DataFrame:
    """Actors by number of experiences, with the number of distinct territories they link."""
    rows = []
    for node, data in graph.nodes(data=True):
        if data["kind"] != "acteur":
            continue
        experiences = list(graph.neighbors(node))
        territories = {t for e in experiences for t in graph.nodes[e]["territoires"]}
        rows.append(
            {
                "Acteur": data["label"],
                "Type": TYPES_ACTEUR.get(data["type"], data["type"]),
                "Expériences": len(experiences),
                "Territoires reliés": len(territories),
                "noeud": node,
            }
        )
    table = pd.DataFrame(rows, columns=["Acteur", "Type", "Expériences", "Territoires reliés", "noeud"])
    return table.sort_values(
        ["Expériences", "Territoires reliés", "Acteur"], ascending=[False, False, True]
    ).reset_index(drop=True)


def network_links(graph: nx.Graph) -> pd.DataFrame:
    """Every link of a network as a table a screen reader can read: experience, actor, type, role."""
    rows = []
    for a, b, data in graph.edges(data=True):
        experience, actor = (a, b) if graph.nodes[a].get("kind") == "experience" else (b, a)
        rows.append(
            {
                "Expérience": graph.nodes[experience]["label"],
                "Acteur": graph.nodes[actor]["label"],
                "Type d'acteur": TYPES_ACTEUR.get(graph.nodes[actor].get("type"), graph.nodes[actor].get("type")),
                "Rôle": data.get("role") or "non précisé",
            }
        )
    return pd.DataFrame(rows, columns=["Expérience", "Acteur", "Type d'acteur", "Rôle"]).sort_values(
        ["Expérience", "Acteur"], ignore_index=True
    )


def element_rows(experience: Experience) -> list[dict]:
    """The three determining elements of cooperation, as assessed (or "non précisé")."""
    return [
        {"Élément": label, "Appréciation": experience.elements.get(key) or "non précisé"}
        for key, label in ELEMENTS.items()
    ]


def territory_points(ref) -> dict[tuple[str, str], tuple[float, float]]:
    """A point inside every QPV, commune, EPCI and contrat de ville (for markers)."""
    points: dict[tuple[str, str], tuple[float, float]] = {}
    for kind, frame, column in (
        ("qpv", ref.qpv, "code_qp"),
        ("commune", ref.communes, "insee_com"),
        ("epci", ref.epci, "siren_epci"),
        ("contrat", ref.contrats_2024, "code_cv"),
    ):
        inside = frame.geometry.representative_point()
        points.update({(kind, code): (p.y, p.x) for code, p in zip(frame[column], inside, strict=True)})
    return points


def experience_points(experiences: list[Experience], points: dict) -> pd.DataFrame:
    """One marker per experience held in the region, on its first territory."""
    rows = []
    for e in experiences:
        where = next((points[t] for t in e.territoires if t in points), None)
        if where is not None and not e.hors_region:
            rows.append({"id": e.id, "titre": e.titre, "latitude": where[0], "longitude": where[1]})
    return pd.DataFrame(rows, columns=["id", "titre", "latitude", "longitude"])


def territory_options(ref) -> dict[str, str]:
    """``"qpv:QN01003M"`` → ``"QPV Chantereigne… (La Chapelle-Saint-Luc)"``, for the proposal form."""
    options = {
        f"qpv:{c}": f"QPV {n} ({m})"
        for c, n, m in zip(ref.qpv["code_qp"], ref.qpv["lib_qp"], ref.qpv["lib_com"], strict=True)
    }
    options |= {
        f"contrat:{c}": f"Contrat de ville {n}"
        for c, n in zip(ref.contrats_2024["code_cv"], ref.contrats_2024["lib_cv"], strict=True)
    }
    options |= {f"epci:{c}": f"EPCI {n}" for c, n in zip(ref.epci["siren_epci"], ref.epci["lib_epci"], strict=True)}
    options |= {
        f"commune:{c}": f"Commune {n} ({c})"
        for c, n in zip(ref.communes["insee_com"], ref.communes["nom"], strict=True)
    }
    return options
