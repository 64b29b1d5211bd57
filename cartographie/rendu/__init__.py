"""Rendering: the folium maps and their JavaScript, the plotly figures, the presentation screen's HTML."""
