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
