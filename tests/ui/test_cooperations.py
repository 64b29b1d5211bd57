"""The network's text alternative: a table of its links."""

from __future__ import annotations


def test_the_network_has_a_table_of_its_links():
    from cartographie.domaine.cooperations import build_network
    from cartographie.lecture.experiences import load_authored
    from cartographie.ui.cooperations import network_links

    graph = build_network(load_authored())
    links = network_links(graph)
    assert len(links) == graph.number_of_edges() and list(links.columns) == [
        "Expérience",
        "Acteur",
        "Type d'acteur",
        "Rôle",
    ]
    assert not links["Rôle"].isna().any() and "_" not in "".join(links["Type d'acteur"])
