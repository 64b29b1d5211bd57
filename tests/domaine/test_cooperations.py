from __future__ import annotations

import pytest

from cartographie.domaine.cooperations import (
    Experience,
    actors_table,
    build_network,
    experience_points,
    filter_experiences,
    focus,
    network_links,
    territory_checker,
)
from cartographie.lecture.experiences import EXPERIENCES_FILE, ExperiencesError, load_authored


def _experience(identifier: str, territoires, acteurs, themes=("jeunesse",)) -> Experience:
    return Experience(
        id=identifier,
        titre=f"Expérience {identifier}",
        resume="r",
        territoires=tuple(territoires),
        themes=tuple(themes),
        methodes=("co-développement",),
        periode="",
        statut="en_cours",
        sources=(),
        hors_region=False,
        lieu="",
        elements={},
        acteurs=tuple(acteurs),
    )


CAF = {"nom": "CAF", "type": "caf", "role": "financeur"}
VILLE = {"nom": "Ville A", "type": "commune", "role": "porteur"}
ASSO = {"nom": "Asso B", "type": "association", "role": "partenaire"}
SMALL = [
    _experience("a", [("commune", "01001")], [CAF, VILLE]),
    _experience("b", [("qpv", "QN00201I")], [CAF, ASSO], themes=("isolement",)),
    _experience("c", [("commune", "01001")], [VILLE]),
]


def test_network_nodes_edges_and_degrees():
    graph = build_network(SMALL)
    assert graph.number_of_nodes() == 6 and graph.number_of_edges() == 5
    assert graph.degree["acteur:caf:caf"] == 2 and graph.degree["experience:a"] == 2
    table = actors_table(graph)
    assert table.iloc[0]["Acteur"] == "CAF" and table.iloc[0]["Territoires reliés"] == 2
    assert set(table.loc[table["Territoires reliés"] > 1, "Acteur"]) == {"CAF"}


def test_same_actor_written_differently_is_one_node():
    graph = build_network(
        [
            _experience("x", [], [{"nom": "Ville  a", "type": "commune", "role": ""}]),
            _experience("y", [], [{"nom": "ville A", "type": "commune", "role": ""}]),
        ]
    )
    assert graph.degree["acteur:commune:ville a"] == 2


def test_focus_on_one_actor_keeps_its_neighbourhood():
    graph = build_network(SMALL)
    around = focus(graph, "acteur:association:asso b")
    assert set(around.nodes()) == {"acteur:association:asso b", "experience:b", "acteur:caf:caf"}
    assert focus(graph, None) is graph and focus(graph, "inconnu") is graph


def test_filters():
    assert [e.id for e in filter_experiences(SMALL, themes=("isolement",))] == ["b"]
    assert [e.id for e in filter_experiences(SMALL, types_acteur=("association",))] == ["b"]
    assert [e.id for e in filter_experiences(SMALL, territoires=(("commune", "01001"),))] == ["a", "c"]
    assert [e.id for e in filter_experiences(SMALL, methodes=("Co-développement",))] == ["a", "b", "c"]
    assert filter_experiences(SMALL, statuts=("terminee",)) == []


def test_a_large_network_stays_buildable():
    actors = [{"nom": f"Acteur {i}", "type": "association", "role": ""} for i in range(2000)]
    many = [_experience(str(i), [], [actors[(i * 4 + k) % 2000] for k in range(4)]) for i in range(500)]
    graph = build_network(many)
    assert graph.number_of_nodes() == 2500 and graph.number_of_edges() == 2000
    assert len(focus(graph, "acteur:association:acteur 7")) < 50


def test_the_authored_registry_resolves_every_territory(real_reference):
    registry = load_authored(known_territory=territory_checker(real_reference))
    ids = {e.id for e in registry}
    assert {
        "vandoeuvre-tfpb",
        "la-chapelle-isolement",
        "forbach-animation",
        "grand-nancy-village",
        "mulhouse-communaute-action",
        "saint-etienne-qic",
        "dreux-petits-collectifs",
    } == ids
    assert {e.id for e in registry if e.hors_region} == {"saint-etienne-qic", "dreux-petits-collectifs"}
    assert all(e.sources for e in registry)
    from cartographie.domaine.cooperations import territory_points

    points = experience_points(registry, territory_points(real_reference))
    assert len(points) == 5


def test_a_mistake_in_the_registry_is_named(tmp_path, real_reference):
    broken = EXPERIENCES_FILE.read_text(encoding="utf-8").replace('code = "QN01003M"', 'code = "QN00000X"')
    path = tmp_path / "experiences.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ExperiencesError, match=r"expérience n°2 \(la-chapelle-isolement\).*QN00000X"):
        load_authored(path, known_territory=territory_checker(real_reference))


def test_the_network_has_a_table_of_its_links():
    """The network's text alternative: every link, by French names."""
    graph = build_network(load_authored())
    links = network_links(graph)
    assert len(links) == graph.number_of_edges()
    assert list(links.columns) == ["Expérience", "Acteur", "Type d'acteur", "Rôle"]
    assert not links["Rôle"].isna().any() and "_" not in "".join(links["Type d'acteur"])
