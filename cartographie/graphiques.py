"""Plotly figures; each takes a frame and returns a Figure (its table is shown beside it)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cartographie.carte import STATUT_COULEURS
from cartographie.reference import STATUTS


def qpv_by_departement_figure(table: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: QPV 2024 per department, split by status versus 2015."""
    ordered = table.sort_values("QPV 2024")
    labels = ordered["Département"] + " (" + ordered["Code"] + ")"
    figure = go.Figure()
    for code, statut in STATUTS.items():
        figure.add_bar(
            y=labels,
            x=ordered[statut],
            name=statut,
            orientation="h",
            marker_color=STATUT_COULEURS[code],
            hovertemplate="%{y} : %{x} QPV " + statut.lower() + "<extra></extra>",
        )
    figure.update_layout(
        barmode="stack",
        height=max(340, 34 * len(ordered) + 90),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "yanchor": "bottom",
            "traceorder": "normal",
            "title": {"text": "Statut par rapport à 2015 :"},
        },
        xaxis_title="Nombre de QPV 2024",
        separators=", ",
    )
    return figure


def credits_history_figure(history: pd.DataFrame, title: str) -> go.Figure:
    """Stacked bars of the credits of one contrat per year, by scheme (adultes-relais, FONJEP)."""
    figure = go.Figure()
    colours = {"adultes-relais": "#0072B2", "FONJEP": "#E69F00"}
    for dispositif, rows in history.groupby("Dispositif"):
        figure.add_bar(
            x=rows["Année"].astype(str),
            y=rows["Montant (€)"],
            name=dispositif,
            marker_color=colours.get(dispositif, "#999"),
            customdata=rows["Postes"],
            hovertemplate="%{x} : %{y:,.0f} € (%{customdata} postes)<extra>" + dispositif + "</extra>",
        )
    figure.update_layout(
        barmode="stack",
        height=360,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        separators=", ",
        title={"text": f"Crédits par année – {title}", "font": {"size": 14}},
        yaxis_title="Montant (€)",
        xaxis_title="Année",
        legend={"orientation": "h", "y": -0.2},
    )
    return figure


#: One colour per event type (Okabe–Ito).
TYPE_COULEURS = {
    "journee_regionale": "#D55E00",
    "rencontre_territoriale": "#0072B2",
    "echange": "#009E73",
    "atelier": "#CC79A7",
    "enquete": "#E69F00",
    "rencontre": "#56B4E9",
}


def events_timeline_figure(events: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Timeline of the dated events: one row per type, one marker per event, coloured by type."""
    dated = events.dropna(subset=["date"]).sort_values("date")
    figure = go.Figure()
    for code, label in labels.items():
        rows = dated[dated["type"] == code]
        if rows.empty:
            continue
        figure.add_scatter(
            x=rows["date"],
            y=[label] * len(rows),
            mode="markers",
            name=label,
            marker={"size": 14, "color": TYPE_COULEURS.get(code, "#777"), "line": {"width": 1, "color": "#333"}},
            customdata=rows[["titre", "date_libelle", "lieu"]].to_numpy(),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} – %{customdata[2]}<extra></extra>",
        )
    figure.update_layout(
        height=360,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        showlegend=False,
        separators=", ",
        xaxis={"title": "", "range": ["2020-03-01", "2026-01-31"], "tickformat": "%Y", "dtick": "M12"},
        yaxis={"title": "", "categoryorder": "array", "categoryarray": list(reversed(list(labels.values())))},
    )
    return figure


#: Colours of actor types in the network (grouped families share a hue family).
ACTEUR_COULEURS = {
    "prefecture": "#0072B2",
    "delegue_prefet": "#0072B2",
    "dreets": "#0072B2",
    "sgar": "#0072B2",
    "commune": "#009E73",
    "epci": "#009E73",
    "departement": "#009E73",
    "region": "#009E73",
    "caf": "#E69F00",
    "bailleur": "#D55E00",
    "association": "#CC79A7",
    "centre_social": "#CC79A7",
    "collectif_habitants": "#F0E442",
    "centre_ressources": "#56B4E9",
    "autre": "#999999",
}


def network_layout(
    nodes: tuple[str, ...], edges: tuple[tuple[str, str], ...], seed: int = 7
) -> dict[str, tuple[float, float]]:
    """Positions of the nodes (spring layout, seeded so that the picture is stable)."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    if graph.number_of_nodes() == 0:
        return {}
    k = 1.6 / max(graph.number_of_nodes(), 1) ** 0.5
    iterations = 60 if graph.number_of_nodes() < 800 else 30
    return {
        n: (float(x), float(y)) for n, (x, y) in nx.spring_layout(graph, k=k, seed=seed, iterations=iterations).items()
    }


def network_figure(graph, positions: dict, *, labels: int = 25, highlight: str | None = None) -> go.Figure:
    """Actors ↔ experiences: actors coloured by type and sized by degree; experiences as dark squares.

    Only the ``labels`` most connected nodes carry a visible label (the others show it on hover),
    so that hundreds of nodes stay readable.
    """
    from cartographie.store import TYPES_ACTEUR

    degree = dict(graph.degree())
    labelled = set(sorted(degree, key=degree.get, reverse=True)[:labels]) | ({highlight} if highlight else set())
    xs, ys = [], []
    for a, b in graph.edges():
        xs += [positions[a][0], positions[b][0], None]
        ys += [positions[a][1], positions[b][1], None]
    figure = go.Figure()
    figure.add_scatter(
        x=xs, y=ys, mode="lines", line={"width": 0.7, "color": "#bbbbbb"}, hoverinfo="skip", showlegend=False
    )

    def add(nodes: list[str], name: str, colour: str, symbol: str) -> None:
        if not nodes:
            return
        figure.add_scatter(
            x=[positions[n][0] for n in nodes],
            y=[positions[n][1] for n in nodes],
            mode="markers+text",
            name=name,
            text=[graph.nodes[n]["label"][:40] if n in labelled else "" for n in nodes],
            textposition="top center",
            textfont={"size": 11},
            marker={
                "size": [8 + 4 * min(degree[n], 10) for n in nodes],
                "color": colour,
                "symbol": symbol,
                "line": {"width": [3 if n == highlight else 0.5 for n in nodes], "color": "#222"},
            },
            customdata=nodes,
            hovertext=[f"{graph.nodes[n]['label']} – {degree[n]} lien(s)" for n in nodes],
            hoverinfo="text",
        )

    add([n for n, d in graph.nodes(data=True) if d["kind"] == "experience"], "Expériences", "#222222", "square")
    for code, label in TYPES_ACTEUR.items():
        add(
            [n for n, d in graph.nodes(data=True) if d["kind"] == "acteur" and d["type"] == code],
            label,
            ACTEUR_COULEURS.get(code, "#999"),
            "circle",
        )
    figure.update_layout(
        height=560,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "y": -0.05},
        xaxis={"visible": False},
        yaxis={"visible": False},
        clickmode="event+select",
        dragmode="pan",
    )
    return figure
