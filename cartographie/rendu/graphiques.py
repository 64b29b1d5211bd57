"""Plotly figures; each takes a frame and returns a Figure (its table is shown beside it)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from cartographie.lecture.reference import STATUTS
from cartographie.rendu.carte import STATUT_COULEURS


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
    """Stacked bars of the amounts of one contrat per year, by scheme; doubtful years are hatched and flagged.

    ``history`` is :func:`cartographie.domaine.chiffres.credits_history` (with its ``Alerte`` column).
    """
    figure = go.Figure()
    colours = {"adultes-relais": "#0072B2", "FONJEP": "#E69F00"}
    doubtful = set(history.loc[history["Alerte"], "Année"]) if "Alerte" in history else set()
    # A year the data do not document has no bar: its label says so, so that the gap never reads as 0 €.
    unknown = set(history.loc[history["Montant (€)"].isna(), "Année"])
    labels = {
        year: f"{year} : non documenté" if year in unknown else f"{year} ⚠" if year in doubtful else str(year)
        for year in history["Année"].unique()
    }
    for dispositif, rows in history.groupby("Dispositif"):
        alert = rows["Alerte"] if "Alerte" in rows else pd.Series(False, index=rows.index)
        figure.add_bar(
            x=rows["Année"].map(labels),
            y=rows["Montant (€)"],
            name=dispositif,
            marker={
                "color": colours.get(dispositif, "#999"),
                "pattern": {
                    "shape": ["/" if a else "" for a in alert],
                    "fillmode": "overlay",
                    "fgcolor": "#ffffff",
                    "solidity": 0.4,
                },
            },
            customdata=list(zip(rows["Postes"], ["données douteuses" if a else "" for a in alert], strict=True)),
            hovertemplate="%{x} : %{y:,.0f} € (%{customdata[0]} postes) %{customdata[1]}<extra>"
            + html.escape(dispositif)
            + "</extra>",
        )
    subtitle = " – années marquées ⚠ (hachurées) : données douteuses dans la source" if doubtful else ""
    if unknown:
        subtitle += " – années « non documenté » : contrat 2015–2023 inconnu, montant inconnu (pas 0 €)"
    figure.update_layout(
        barmode="stack",
        height=380,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        separators=", ",
        title={"text": f"Montants par année (€) – {html.escape(title)}{subtitle}", "font": {"size": 14}},
        yaxis_title="Montant (€)",
        xaxis_title="Année",
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": [labels[y] for y in sorted(labels)]},
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


def events_timeline_figure(events: pd.DataFrame, labels: dict[str, str], highlight: str | None = None) -> go.Figure:
    """Timeline of the dated events: one row per type, one marker per event, coloured by type.

    ``highlight``: the id of an event to ring in black (the one whose sheet is open).
    """
    dated = events.dropna(subset=["date"]).sort_values("date")
    figure = go.Figure()
    chosen = dated[dated["id"] == highlight] if highlight else dated.iloc[0:0]
    if not chosen.empty:
        figure.add_scatter(
            x=chosen["date"],
            y=[labels.get(t, t) for t in chosen["type"]],
            mode="markers",
            name="Événement choisi",
            marker={"size": 28, "color": "rgba(0,0,0,0)", "line": {"width": 4, "color": "#000000"}},
            hoverinfo="skip",
        )
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


def plain_label(text: object) -> str:
    """Text typed by someone, safe in a Plotly label (no link or tag can come from a contributor).

    Plotly reads ``<b>``, ``<a href>``… as markup: angle brackets become look-alike quotes (‹ ›).
    """
    return str(text).replace("<", "‹").replace(">", "›")


def network_figure(graph, positions: dict, *, labels: int = 25, highlight: str | None = None) -> go.Figure:
    """Actors ↔ experiences: actors coloured by type and sized by degree; experiences as dark squares.

    Only the ``labels`` most connected nodes carry a visible label (the others show it on hover),
    so that hundreds of nodes stay readable.
    """
    from cartographie.domaine.vocabulaires import TYPES_ACTEUR

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
            text=[plain_label(graph.nodes[n]["label"][:40]) if n in labelled else "" for n in nodes],
            textposition="top center",
            textfont={"size": 11},
            marker={
                "size": [8 + 4 * min(degree[n], 10) for n in nodes],
                "color": colour,
                "symbol": symbol,
                "line": {"width": [3 if n == highlight else 0.5 for n in nodes], "color": "#222"},
            },
            customdata=nodes,
            hovertext=[f"{plain_label(graph.nodes[n]['label'])} – {degree[n]} lien(s)" for n in nodes],
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


#: Diverging colours of the agreement scale (colour-blind safe), from disagreement to agreement.
ECHELLE_COULEURS = ("#CA0020", "#F4A582", "#92C5DE", "#0571B0")


def _survey_layout(figure: go.Figure, title: str, height: int) -> go.Figure:
    figure.update_layout(
        title={"text": title, "font": {"size": 15}},
        height=height,
        margin={"l": 10, "r": 20, "t": 70, "b": 10},
        separators=", ",
    )
    return figure


def _ranked_bars(labels, values, text, colour: str, hover: str) -> go.Figure:
    """Horizontal bars, largest at the top (the rows come largest first)."""
    return go.Figure(
        go.Bar(
            y=list(labels)[::-1],
            x=list(values)[::-1],
            orientation="h",
            marker_color=colour,
            text=list(text)[::-1],
            textposition="auto",
            hovertemplate=hover,
        )
    )


def _share(value) -> str:
    return str(value).replace(".", ",")


def survey_bar_figure(table: pd.DataFrame, title: str) -> go.Figure:
    """Ordered horizontal bars: answers per option with count and percentage (hidden counts read « masqué »)."""
    from cartographie.domaine.secret import MASQUE

    text = [
        MASQUE if pd.isna(n) else f"{n} ({_share(p)} %)"
        for n, p in zip(table["Réponses"], table["Part (%)"], strict=True)
    ]
    values = table["Réponses"].astype("Float64").fillna(0).astype(float)
    figure = _ranked_bars(table["Réponse"], values, text, "#0072B2", "%{y} : %{text}<extra></extra>")
    figure.update_traces(textposition="outside", cliponaxis=False)
    figure.update_layout(xaxis_title="Nombre de réponses", yaxis={"automargin": True})
    return _survey_layout(figure, title, max(260, 34 * len(table) + 110))


def survey_scale_figure(table: pd.DataFrame, levels: list[str], title: str) -> go.Figure:
    """Agreement scales as diverging stacked bars: disagreement to the left of zero, agreement to the right."""
    figure = go.Figure()
    half = len(levels) // 2
    # Drawn from the centre outwards so that each side stacks away from zero.
    order = [*reversed(levels[:half]), *levels[half:]]
    from cartographie.domaine.secret import MASQUE

    for label in order:
        sign = -1 if levels.index(label) < half else 1
        share = table[f"{label} (%)"].astype("Float64")
        # A hidden level has no bar (its width would give its count away) and says so when hovered.
        described = [MASQUE if pd.isna(p) else f"{_share(p)} % ({n})" for p, n in zip(share, table[label], strict=True)]
        figure.add_bar(
            y=table["Affirmation"],
            x=sign * share.fillna(0).astype(float),
            name=label,
            orientation="h",
            marker_color=ECHELLE_COULEURS[levels.index(label)],
            legendrank=levels.index(label),
            customdata=described,
            hovertemplate="%{y}<br>" + label + " : %{customdata}<extra></extra>",
        )
    figure.update_layout(
        barmode="relative",
        xaxis={"title": "Part des réponses (%) – désaccord à gauche, accord à droite", "range": [-100, 100]},
        yaxis={"automargin": True, "autorange": "reversed"},
        legend={"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0},
    )
    figure.update_xaxes(tickvals=[-100, -50, 0, 50, 100], ticktext=["100", "50", "0", "50", "100"])
    _survey_layout(figure, title, max(340, 60 * len(table) + 200))
    figure.update_layout(margin={"b": 130})
    return figure


def keyword_figure(table: pd.DataFrame, title: str, *, top: int = 15, font_size: int = 13) -> go.Figure:
    """The most frequent keywords as ordered horizontal bars."""
    shown = table.head(top)
    labels = shown["Mot-clé"].map(plain_label)
    counts = shown["Occurrences"]
    figure = _ranked_bars(labels, counts, counts, "#009E73", "%{y} : %{x}<extra></extra>")
    figure.update_layout(
        xaxis_title="Occurrences", yaxis={"automargin": True}, font={"size": font_size}, xaxis={"dtick": 1}
    )
    return _survey_layout(figure, title, max(260, (22 + font_size) * len(shown) + 110))


def contrats_figure(table: pd.DataFrame, *, top: int = 12) -> go.Figure:
    """QPV 2024 per contrat de ville, most first (the ``top`` first, so that labels stay readable)."""
    shown = table.head(top)
    counts = shown["QPV 2024"]
    figure = _ranked_bars(shown["Contrat de ville"], counts, counts, "#003f8a", "%{y} : %{x} QPV<extra></extra>")
    rest = len(table) - len(shown)
    figure.update_layout(
        title=f"Nombre de QPV 2024 par contrat de ville{f' (les {top} premiers sur {len(table)})' if rest else ''}",
        xaxis={"dtick": 2},
        yaxis={"automargin": True},
        margin={"l": 10, "r": 40, "t": 70, "b": 10},
        plot_bgcolor="white",
    )
    return figure


def departement_answers_figure(table: pd.DataFrame, departements: dict, title: str) -> go.Figure:
    """Answers per department drawn as filled outlines (no base map, nothing fetched from the Internet).

    ``departements`` is a GeoJSON FeatureCollection (WGS84) whose features carry ``insee_dep`` and
    ``lib_dep``; departments whose count is hidden (statistical disclosure control) are grey.
    """
    from cartographie.domaine.secret import MASQUE

    counts = dict(zip(table["Code"], table["Réponses"], strict=True))
    known = [int(v) for v in counts.values() if not pd.isna(v)]
    top = max(known, default=1)
    figure = go.Figure()
    for feature in departements["features"]:
        code, name = feature["properties"]["insee_dep"], html.unescape(feature["properties"]["lib_dep"])
        value = counts.get(code)
        hidden = value is None or pd.isna(value)
        colour = "#d9d9d9" if hidden else _blue(int(value) / top)
        text = f"{name} : {f'nombre {MASQUE}' if hidden else f'{int(value)} réponses'}"
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        largest = max((polygon[0] for polygon in polygons), key=len)
        for polygon in polygons:
            ring = polygon[0]
            figure.add_scatter(
                x=[p[0] for p in ring],
                y=[p[1] for p in ring],
                fill="toself",
                fillcolor=colour,
                mode="lines",
                line={"color": "#444", "width": 1},
                hoverinfo="text",
                hoveron="fills",
                text=text,
                name=name,
                showlegend=False,
            )
        figure.add_scatter(
            x=[sum(p[0] for p in largest) / len(largest)],
            y=[sum(p[1] for p in largest) / len(largest)],
            mode="text",
            text=[MASQUE if hidden else str(int(value))],
            textfont={"size": 15, "color": "#111"},
            hoverinfo="skip",
            showlegend=False,
        )
    figure.update_layout(
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1.5},  # ≈ 1 / cos(48.5°): shapes keep their form
        plot_bgcolor="white",
    )
    return _survey_layout(figure, title, 560)


def _blue(share: float) -> str:
    """A blue from light (few answers) to dark (most answers)."""
    light, dark = (222, 235, 247), (8, 81, 156)
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(light, dark, strict=True))
    return f"rgb({r},{g},{b})"


def edition_comparison_figure(table: pd.DataFrame, labels: tuple[str, str], title: str) -> go.Figure:
    """Share of each answer in two editions, side by side."""
    from cartographie.domaine.secret import MASQUE

    figure = go.Figure()
    for label, colour in zip(labels, ("#999999", "#0072B2"), strict=True):
        shares = table[f"{label} (%)"].astype("Float64")
        figure.add_bar(
            y=table["Réponse"],
            x=shares.fillna(0).astype(float),
            name=label,
            orientation="h",
            marker_color=colour,
            customdata=[MASQUE if pd.isna(p) else f"{_share(p)} %" for p in shares],
            hovertemplate="%{y} : %{customdata}<extra>" + html.escape(label) + "</extra>",
        )
    figure.update_layout(
        barmode="group",
        xaxis_title="Part des réponses (%)",
        yaxis={"automargin": True, "autorange": "reversed"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    )
    _survey_layout(figure, title, max(300, 48 * len(table) + 170))
    figure.update_layout(margin={"t": 100})  # room for the legend under the title
    return figure
