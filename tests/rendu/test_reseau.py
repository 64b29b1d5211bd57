"""The network of actors: one mark per actor type, names that overlap neither each other nor a node."""

from __future__ import annotations

import networkx as nx

from cartographie.domaine.vocabulaires import TYPES_ACTEUR
from cartographie.rendu.graphiques import (
    ACTEUR_STYLES,
    NAME_CHARS,
    NETWORK_PLOT_HEIGHT,
    NETWORK_WIDTH,
    name_box,
    network_figure,
    network_layout,
    network_pixels,
    place_labels,
)


def test_every_actor_type_has_a_mark_of_its_own_and_experiences_another():
    assert set(ACTEUR_STYLES) == set(TYPES_ACTEUR)
    marks = list(ACTEUR_STYLES.values())
    assert len(set(marks)) == len(marks)
    assert ACTEUR_STYLES["commune"] != ACTEUR_STYLES["epci"]
    assert all(symbol != "square" for _, symbol in marks)  # squares are the experiences


def _dense_network(actors: int = 60, experiences: int = 25) -> nx.Graph:
    graph = nx.Graph()
    types = list(TYPES_ACTEUR)
    for e in range(experiences):
        graph.add_node(f"experience:{e}", label=f"Expérience numéro {e} de la région", kind="experience")
    for a in range(actors):
        graph.add_node(
            f"acteur:{a}",
            label=f"Association {a}" if a % 9 else f"Acteur au nom vraiment très long numéro {a}",
            kind="acteur",
            type=types[a % len(types)],
        )
        for e in {a % experiences, (a * 7) % experiences}:
            graph.add_edge(f"acteur:{a}", f"experience:{e}")
    return graph


def _boxes(figure, positions):
    """Every drawn name's box and every node's box, in the plot's pixels, read back from the figure."""
    pixels = network_pixels(positions)
    names, nodes = [], []
    for trace in figure.data[1:]:
        for node, size, text, place in zip(
            trace.customdata, trace.marker.size, trace.text, trace.textposition, strict=True
        ):
            px, py = pixels[node]
            nodes.append((px - size / 2, py - size / 2, px + size / 2, py + size / 2))
            if text:
                names.append(name_box(px, py, size, text, place))
    return names, nodes


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_names_overlap_no_other_name_and_no_node_and_the_most_linked_are_named():
    graph = _dense_network()
    positions = network_layout(tuple(graph.nodes()), tuple(graph.edges()))
    figure = network_figure(graph, positions)
    names, nodes = _boxes(figure, positions)
    assert len(names) >= 3
    assert not [(a, b) for i, a in enumerate(names) for b in names[i + 1 :] if _overlap(a, b)]
    assert not [(a, n) for a in names for n in nodes if _overlap(a, n)]
    assert all(b[0] >= 0 and b[1] >= 0 and b[2] <= NETWORK_WIDTH and b[3] <= NETWORK_PLOT_HEIGHT for b in names)
    drawn = [t for trace in figure.data[1:] for t in trace.text if t]
    assert all(len(t) <= NAME_CHARS for t in drawn) and any(t.endswith("…") for t in drawn)


def test_a_name_that_fits_nowhere_is_left_to_the_hover_text():
    positions = {"a": (0.0, 0.0), "b": (0.001, 0.0), "c": (1.0, 1.0)}
    sizes = {"a": 400.0, "b": 12.0, "c": 12.0}
    placed = place_labels(positions, ["b", "c"], {"b": "B", "c": "C"}, sizes)
    assert "b" not in placed and "c" in placed  # b sits inside a's big mark
