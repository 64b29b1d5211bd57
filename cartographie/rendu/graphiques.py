"""Plotly figures; each takes a frame and returns a Figure (its table is shown beside it)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from cartographie.domaine.secret import MASQUE
from cartographie.domaine.territoires import STATUTS
from cartographie.rendu.charte import STATUT_COULEURS


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


#: Each actor type of the network has its own mark: a colour per family (Okabe–Ito, colour-blind safe) and,
#: within a family, a shape; experiences are dark squares. The legend names every type with its mark.
ACTEUR_STYLES = {
    "prefecture": ("#0072B2", "circle"),
    "delegue_prefet": ("#0072B2", "diamond"),
    "dreets": ("#0072B2", "triangle-up"),
    "sgar": ("#0072B2", "pentagon"),
    "commune": ("#009E73", "circle"),
    "epci": ("#009E73", "diamond"),
    "departement": ("#009E73", "triangle-up"),
    "region": ("#009E73", "pentagon"),
    "caf": ("#E69F00", "circle"),
    "bailleur": ("#D55E00", "circle"),
    "association": ("#CC79A7", "circle"),
    "centre_social": ("#CC79A7", "diamond"),
    "collectif_habitants": ("#F0E442", "circle"),
    "centre_ressources": ("#56B4E9", "circle"),
    "autre": ("#999999", "circle"),
}

#: The network's drawing, in pixels: its height is fixed; its width is the page's, at least this much
#: (the main column at 1280 px wide). Names are placed for this width, so that they fit wider screens too.
NETWORK_HEIGHT, NETWORK_WIDTH = 560, 760
#: The height of the plotting area inside it (the legend below takes the rest).
NETWORK_PLOT_HEIGHT = 460
#: Margin around the nodes, as a share of their spread on each axis (room for the names at the edges).
NETWORK_PAD = 0.08
#: Text of the names: 11 px, at most this many characters per character width in pixels (estimate, bold enough).
NAME_CHARS, CHAR_PX = 32, 6.8
#: Where a node's name may go, tried in this order.
_LABEL_PLACES = ("top center", "bottom center", "middle right", "middle left")


def short_name(text: str) -> str:
    """A node's name as drawn: at most :data:`NAME_CHARS` characters, cut with « … »."""
    text = plain_label(text)
    return text if len(text) <= NAME_CHARS else text[: NAME_CHARS - 1].rstrip() + "…"


def network_pixels(positions: dict) -> dict:
    """Each node's place in pixels of a :data:`NETWORK_WIDTH` × :data:`NETWORK_PLOT_HEIGHT` plot (y downwards)."""
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    scale = 1 + 2 * NETWORK_PAD
    return {
        n: (
            ((x - min(xs)) / span_x + NETWORK_PAD) / scale * NETWORK_WIDTH,
            ((max(ys) - y) / span_y + NETWORK_PAD) / scale * NETWORK_PLOT_HEIGHT,
        )
        for n, (x, y) in positions.items()
    }


def name_box(px: float, py: float, size: float, text: str, place: str) -> tuple[float, float, float, float]:
    """The box, in pixels, of a name written at ``place`` of a node of diameter ``size`` at (px, py)."""
    width, height, gap = CHAR_PX * len(text) + 4, 15.0, size / 2 + 2
    return {
        "top center": (px - width / 2, py - gap - height, px + width / 2, py - gap),
        "bottom center": (px - width / 2, py + gap, px + width / 2, py + gap + height),
        "middle right": (px + gap, py - height / 2, px + gap + width, py + height / 2),
        "middle left": (px - gap - width, py - height / 2, px - gap, py + height / 2),
    }[place]


def place_labels(positions: dict, nodes: list[str], labels: dict[str, str], sizes: dict[str, float]) -> dict[str, str]:
    """A position for each name that overlaps no other name and no node and stays inside the drawing.

    ``nodes`` in priority order (most linked first); ``sizes``: marker diameters in pixels; boxes in
    pixels of :func:`network_pixels`. Names that fit nowhere are left out (shown on hover). Returns
    ``{node: textposition}`` for the names kept.
    """
    if not positions:
        return {}
    pixels = network_pixels(positions)
    marks = {}
    for node, size in sizes.items():
        px, py = pixels[node]
        marks[node] = (px - size / 2, py - size / 2, px + size / 2, py + size / 2)
    occupied = list(marks.values())

    def free(box, own):
        inside = box[0] >= 0 and box[1] >= 0 and box[2] <= NETWORK_WIDTH and box[3] <= NETWORK_PLOT_HEIGHT
        return inside and all(
            box[2] <= o[0] or box[0] >= o[2] or box[3] <= o[1] or box[1] >= o[3] for o in occupied if o is not own
        )

    placed = {}
    for node in nodes:
        px, py = pixels[node]
        for place in _LABEL_PLACES:
            box = name_box(px, py, sizes[node], labels[node], place)
            if free(box, marks[node]):
                placed[node] = place
                occupied.append(box)
                break
    return placed


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
    """Actors ↔ experiences: actors marked by type (:data:`ACTEUR_STYLES`), sized by degree; experiences squares.

    The ``labels`` most connected nodes (and the highlighted one) carry their name where it overlaps no
    other name and no node (:func:`place_labels`); the others show it on hover, and the page lists
    the most linked actors in a table.
    """
    from cartographie.domaine.vocabulaires import TYPES_ACTEUR

    degree = dict(graph.degree())
    sizes = {n: 8 + 4 * min(degree[n], 10) for n in graph.nodes()}
    ranked = sorted(degree, key=lambda n: (n != highlight, -degree[n], n))
    wanted = ranked[: labels + (1 if highlight else 0)]
    names = {n: short_name(str(graph.nodes[n]["label"])) for n in wanted}
    places = place_labels(positions, wanted, names, sizes)
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
            text=[names[n] if n in places else "" for n in nodes],
            textposition=[places.get(n, "top center") for n in nodes],
            textfont={"size": 11},
            cliponaxis=False,
            marker={
                "size": [sizes[n] for n in nodes],
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
        colour, symbol = ACTEUR_STYLES.get(code, ("#999999", "circle"))
        add(
            [n for n, d in graph.nodes(data=True) if d["kind"] == "acteur" and d["type"] == code], label, colour, symbol
        )
    all_x = [x for x, _ in positions.values()] or [0.0]
    all_y = [y for _, y in positions.values()] or [0.0]
    pad_x = ((max(all_x) - min(all_x)) or 1.0) * NETWORK_PAD
    pad_y = ((max(all_y) - min(all_y)) or 1.0) * NETWORK_PAD
    figure.update_layout(
        height=NETWORK_HEIGHT,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "y": -0.05, "title": {"text": "Types d'acteurs : "}},
        xaxis={"visible": False, "range": [min(all_x) - pad_x, max(all_x) + pad_x]},
        yaxis={"visible": False, "range": [min(all_y) - pad_y, max(all_y) + pad_y]},
        clickmode="event+select",
        dragmode="pan",
    )
    return figure


#: Diverging colours of the agreement scale (colour-blind safe), from disagreement to agreement.
ECHELLE_COULEURS = ("#CA0020", "#F4A582", "#92C5DE", "#0571B0")


def wrap_title(title: str, width: int = 90) -> str:
    """A long chart title cut into lines at its dashes (« – »), so that it is never cut off at the chart's edge."""
    if "<br>" in title or len(title) <= width:
        return title
    lines = [""]
    for part in title.split(" – "):
        candidate = f"{lines[-1]} – {part}" if lines[-1] else part
        if len(candidate) > width and lines[-1]:
            lines.append(part)
        else:
            lines[-1] = candidate
    return "<br>".join(lines)


def _survey_layout(figure: go.Figure, title: str, height: int) -> go.Figure:
    title = wrap_title(title)
    lines = title.count("<br>")
    figure.update_layout(
        title={"text": title, "font": {"size": 15}},
        height=height + 20 * lines,
        margin={"l": 10, "r": 20, "t": 70 + 20 * lines, "b": 10},
        separators=", ",
    )
    return figure


def _ranked_bars(labels, values, text, colour: str, hover: str) -> go.Figure:
    """Horizontal bars, largest at the top (the rows come largest first), each value written flat after its bar.

    Plotly would write a value inside a bar, turned sideways when the bar is short: unreadable on a
    projector. The axis leaves room for the longest bar's value.
    """
    numbers = [v for v in values if isinstance(v, int | float) and not pd.isna(v)]
    figure = go.Figure(
        go.Bar(
            y=list(labels)[::-1],
            x=list(values)[::-1],
            orientation="h",
            marker_color=colour,
            text=list(text)[::-1],
            textposition="outside",
            textangle=0,
            cliponaxis=False,
            hovertemplate=hover,
            showlegend=False,
        )
    )
    if numbers:
        figure.update_xaxes(range=[0, max(numbers) * 1.15 or 1])
    return figure


def _share(value) -> str:
    return str(value).replace(".", ",")


#: What a chart says where a hidden count's bar would be (primary and complementary cells alike).
MASQUE_GRAPHIQUE = "masqué (secret statistique)"


#: The colour of what a chart says of a hidden count.
MASQUE_COULEUR = "#555555"


def _masked_marks(figure: go.Figure, labels: list, *, x: float = 0) -> None:
    """Say « masqué » on the rows of these labels, where their bars would start (nothing drawn as 0)."""
    if not labels:
        return
    figure.add_scatter(
        y=labels,
        x=[x] * len(labels),
        mode="text",
        text=[MASQUE_GRAPHIQUE] * len(labels),
        textposition="middle right",
        textfont={"color": MASQUE_COULEUR, "style": "italic"},
        hovertemplate="%{y} : nombre masqué (secret statistique)<extra></extra>",
        showlegend=False,
        cliponaxis=False,
    )


def survey_bar_figure(table: pd.DataFrame, title: str) -> go.Figure:
    """Ordered horizontal bars: answers per option with count and percentage; a hidden count says « masqué »."""
    hidden = table["Réponses"].isna()
    text = [
        "" if pd.isna(n) else f"{n} ({_share(p)} %)" for n, p in zip(table["Réponses"], table["Part (%)"], strict=True)
    ]
    values = [None if pd.isna(n) else float(n) for n in table["Réponses"]]
    figure = _ranked_bars(table["Réponse"], values, text, "#0072B2", "%{y} : %{text}<extra></extra>")
    figure.update_traces(textposition="outside", cliponaxis=False)
    _masked_marks(figure, list(table.loc[hidden, "Réponse"]))
    top = max((v for v in values if v is not None), default=1)
    figure.update_layout(
        xaxis={"title": "Nombre de réponses", "range": [0, top * 1.35]},
        yaxis={"automargin": True, "categoryorder": "array", "categoryarray": list(table["Réponse"])[::-1]},
    )
    return _survey_layout(figure, title, max(260, 34 * len(table) + 110))


def survey_scale_figure(table: pd.DataFrame, levels: list[str], title: str) -> go.Figure:
    """Agreement scales as diverging stacked bars: disagreement to the left of zero, agreement to the right."""
    figure = go.Figure()
    half = len(levels) // 2
    # Drawn from the centre outwards so that each side stacks away from zero.
    order = [*reversed(levels[:half]), *levels[half:]]
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
    masked = [
        (statement, [label for label in levels if pd.isna(row[f"{label} (%)"])])
        for statement, (_, row) in zip(table["Affirmation"], table.iterrows(), strict=True)
    ]
    masked = [(statement, found) for statement, found in masked if found]
    for statement, found in masked:  # where the hidden levels' bars would be: beside the statement's bar, named
        figure.add_annotation(
            x=1.0,
            xref="paper",
            xanchor="left",
            y=statement,
            yref="y",
            text=f"<i>{MASQUE_GRAPHIQUE} :<br>{html.escape(', '.join(found))}</i>",
            showarrow=False,
            align="left",
            font={"color": MASQUE_COULEUR, "size": 11},
        )
    figure.update_layout(
        barmode="relative",
        xaxis={"title": "Part des réponses (%) – désaccord à gauche, accord à droite", "range": [-100, 100]},
        yaxis={"automargin": True, "autorange": "reversed"},
        legend={"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0},
    )
    figure.update_xaxes(tickvals=[-100, -50, 0, 50, 100], ticktext=["100", "50", "0", "50", "100"])
    _survey_layout(figure, title, max(340, 60 * len(table) + 200))
    figure.update_layout(margin={"b": 130, "r": 230 if masked else 20})
    return figure


def keyword_figure(table: pd.DataFrame, title: str, *, top: int = 15, font_size: int = 13) -> go.Figure:
    """The most frequent keywords as ordered horizontal bars (a hidden count says « masqué »)."""
    shown = table.head(top)
    labels = list(shown["Mot-clé"].map(plain_label))
    counts = [None if pd.isna(v) else int(v) for v in shown["Occurrences"]]
    figure = _ranked_bars(
        labels, counts, ["" if v is None else v for v in counts], "#009E73", "%{y} : %{x}<extra></extra>"
    )
    _masked_marks(figure, [label for label, v in zip(labels, counts, strict=True) if v is None])
    figure.update_layout(
        xaxis_title="Occurrences",
        yaxis={"automargin": True, "categoryorder": "array", "categoryarray": labels[::-1]},
        font={"size": font_size},
        xaxis={"dtick": 1 if max((v for v in counts if v), default=1) <= 15 else None},
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


def answer_classes(values: list[int], *, count: int = 4) -> list[tuple[int, int]]:
    """Classes of the shown counts for the map's legend: up to ``count`` ranges of equal width, whole numbers."""
    if not values:
        return []
    low, high = min(values), max(values)
    width = max(1, -(-(high - low + 1) // count))
    classes, start = [], low
    while start <= high:
        classes.append((start, min(high, start + width - 1)))
        start += width
    return classes


#: Blues of the map's classes, light to dark (ColorBrewer "Blues", readable in grey).
CLASSES_COULEURS = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")


def _with_region_answers(title: str, region) -> str:
    """The title, with the answers of actors working region-wide under it (``region``: their count, NaN if hidden)."""
    if region is None:
        return title
    said = f"nombre {MASQUE}" if pd.isna(region) else f"{int(region)} réponse{'s' if int(region) > 1 else ''}"
    return f"{title}<br><span style='font-size:13px'>Toute la région (plusieurs départements) : {said}</span>"


def _answers_legend(figure: go.Figure, counts: dict, classes: list) -> None:
    """The department map's legend: one square per class of answers, then « masqué » and « aucune réponse »."""
    offset = len(CLASSES_COULEURS) - len(classes)
    entries = [
        (
            CLASSES_COULEURS[i + offset],
            f"{lo} réponse{'s' if lo > 1 else ''}" if lo == hi else f"{lo} à {hi} réponses",
            None,
        )
        for i, (lo, hi) in enumerate(classes)
    ]
    if any(pd.isna(v) for code, v in counts.items() if code != "region"):
        entries.append(("#e0e0e0", f"{MASQUE} (secret statistique)", {"shape": "/", "fgcolor": "#9e9e9e"}))
    if any(not pd.isna(v) and v == 0 for code, v in counts.items() if code != "region"):
        entries.append(("#ffffff", "aucune réponse", None))
    for colour, name, pattern in entries:
        figure.add_bar(
            x=[None],
            y=[None],
            marker={"color": colour, "line": {"color": "#444", "width": 1}, "pattern": pattern or {}},
            name=name,
            showlegend=True,
            hoverinfo="skip",
        )


def departement_answers_figure(table: pd.DataFrame, departements: dict, title: str) -> go.Figure:
    """Answers per department drawn as filled outlines, named, with a legend (no base map, nothing fetched).

    ``departements`` is a GeoJSON FeatureCollection (WGS84) whose features carry ``insee_dep`` and
    ``lib_dep``. Shown counts are coloured by class (legend); a department whose count is hidden is
    hatched grey and says « masqué »; nobody, white. The region-wide answers are said under the title.
    """
    counts = dict(zip(table["Code"], table["Réponses"], strict=True))
    shown = sorted({int(v) for code, v in counts.items() if not pd.isna(v) and v and code != "region"})
    classes = answer_classes(shown)
    dark = {len(classes) - 1, len(classes) - 2} if len(classes) >= 3 else {len(classes) - 1}

    def klass(value: int) -> int:
        return next(i for i, (lo, hi) in enumerate(classes) if lo <= value <= hi)

    figure = go.Figure()
    labels_x, labels_y, labels, label_colours = [], [], [], []
    for feature in departements["features"]:
        code, name = feature["properties"]["insee_dep"], html.unescape(feature["properties"]["lib_dep"])
        value = counts.get(code)
        hidden = value is None or pd.isna(value)
        pattern = None
        if hidden:
            colour, text, pattern = (
                "#e0e0e0",
                f"{name} : nombre {MASQUE} (secret statistique)",
                {"shape": "/", "fgcolor": "#9e9e9e"},
            )
        elif int(value) == 0:
            colour, text = "#ffffff", f"{name} : aucune réponse"
        else:
            colour = CLASSES_COULEURS[klass(int(value)) + (len(CLASSES_COULEURS) - len(classes))]
            text = f"{name} : {int(value)} réponse{'s' if int(value) > 1 else ''}"
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
                fillpattern=pattern,
                mode="lines",
                line={"color": "#444", "width": 1},
                hoverinfo="text",
                hoveron="fills",
                text=text,
                name=name,
                showlegend=False,
            )
        labels_x.append(sum(p[0] for p in largest) / len(largest))
        labels_y.append(sum(p[1] for p in largest) / len(largest))
        number = MASQUE if hidden else str(int(value))
        labels.append(f"<b>{html.escape(name)}</b><br>{number}")
        on_dark = not hidden and int(value) > 0 and klass(int(value)) in dark
        label_colours.append("#ffffff" if on_dark else "#111111")
    figure.add_scatter(
        x=labels_x,
        y=labels_y,
        mode="text",
        text=labels,
        textfont={"size": 12, "color": label_colours},
        hoverinfo="skip",
        showlegend=False,
    )
    _answers_legend(figure, counts, classes)
    title = _with_region_answers(title, counts.get("region"))
    figure.update_layout(
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1.5},  # ≈ 1 / cos(48.5°): shapes keep their form
        plot_bgcolor="white",
        legend={"title": {"text": "Réponses"}, "orientation": "v", "x": 1.0, "xanchor": "left", "y": 0.5},
        barmode="overlay",
    )
    _survey_layout(figure, title, 620)
    figure.update_layout(margin={"t": figure.layout.margin.t + 20})
    return figure


def edition_comparison_figure(table: pd.DataFrame, labels: tuple[str, str], title: str) -> go.Figure:
    """Share of each answer in two editions, side by side, in the questionnaire's order.

    A share hidden in an edition has no bar: « masqué » is written in its place.
    """
    figure = go.Figure()
    for label, colour in zip(labels, ("#999999", "#0072B2"), strict=True):
        shares = table[f"{label} (%)"].astype("Float64")
        figure.add_bar(
            y=table["Réponse"],
            x=[0 if pd.isna(p) else float(p) for p in shares],
            name=label,
            orientation="h",
            marker_color=colour,
            text=[MASQUE_GRAPHIQUE if pd.isna(p) else "" for p in shares],
            textposition="outside",
            textfont={"color": MASQUE_COULEUR, "style": "italic"},
            cliponaxis=False,
            customdata=[MASQUE if pd.isna(p) else f"{_share(p)} %" for p in shares],
            hovertemplate="%{y} : %{customdata}<extra>" + html.escape(label) + "</extra>",
        )
    top = float(pd.concat([table[f"{label} (%)"] for label in labels]).astype("Float64").max() or 0) or 10.0
    figure.update_layout(
        barmode="group",
        xaxis={"title": "Part des réponses (%)", "range": [0, max(top * 1.15, top + 30)]},
        yaxis={"automargin": True, "autorange": "reversed"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    )
    _survey_layout(figure, title, max(300, 48 * len(table) + 170))
    figure.update_layout(margin={"t": figure.layout.margin.t + 30})  # room for the legend under the title
    return figure
