"""The presentation screen's look: Streamlit's chrome hidden, large type, HTML blocks whose text is escaped."""

from __future__ import annotations

import html
import re

#: Screen size the slides are designed for (16:9). Every size below is in these design pixels; a
#: screen of another size gets them multiplied by its scale, min(width / 1920, height / 1080), which
#: its browser puts in the address (``echelle``) before the first slide is drawn.
SCREEN_WIDTH = 1920
SCREEN_HEIGHT = 1080
#: Smallest type on a slide, in design pixels. Scaled, it stays at or above 2.2 % of the screen's
#: height: 28 × (w / 1920) ≥ 0.022 × h holds for 16:9 and 16:10 screens alike.
MIN_FONT = 28
#: Scales accepted from the address (a 960×540 window up to an 8K screen).
SCALE_RANGE = (0.4, 4.0)


def screen_scale(value: object) -> float | None:
    """The screen's scale from the address, or ``None`` when absent or not a plausible number."""
    try:
        scale = float(str(value))
    except ValueError:
        return None
    if not SCALE_RANGE[0] <= scale <= SCALE_RANGE[1]:
        return None
    return round(scale, 3)


def scaled(px: float, scale: float) -> int:
    """A design size in pixels on this screen."""
    return max(1, round(px * scale))


def scale_css(css: str, scale: float) -> str:
    """Every size in pixels of ``css`` multiplied by the screen's scale."""
    return re.sub(r"(\d+(?:\.\d+)?)px", lambda m: f"{float(m[1]) * scale:.2f}px", css)


CONTENT_HEIGHT = 760


def screen_css(scale: float = 1.0) -> str:
    """The slides' own classes: large, high-contrast type, sized for this screen.

    Streamlit's chrome is hidden, and its elements sized, by :mod:`cartographie.ui.adaptateur.page`.
    """
    return scale_css(_SCREEN_CSS, scale)


_SCREEN_CSS = """<style>
.diapo-alerte { font-size: 28px; font-weight: 700; color: #7a0000; background: #fff3cd; border: 3px solid #7a0000;
  border-radius: 10px; padding: 4px 12px; margin: 0; }
.diapo-entete { display: flex; justify-content: space-between; align-items: baseline; gap: 24px;
  border-bottom: 6px solid #003f8a; padding-bottom: 6px; margin-bottom: 12px; }
.diapo-titre { font-size: 60px; font-weight: 800; line-height: 1.3; color: #0b0b0b; margin: 0;
  overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.diapo-territoire { font-size: 30px; color: #003f8a; font-weight: 700; white-space: nowrap; }
.diapo-compteur { font-size: 28px; color: #222; white-space: nowrap; }
.diapo-chiffres { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 24px; }
.diapo-chiffre { border: 3px solid #003f8a; border-radius: 16px; padding: 20px 24px; min-height: 260px; }
.diapo-chiffre .valeur { font-size: 104px; font-weight: 800; color: #003f8a; line-height: 1.3; white-space: nowrap; }
.diapo-chiffre .valeur.longue { font-size: 72px; line-height: 1.88; }
.diapo-chiffre .libelle { font-size: 32px; line-height: 1.3; margin-top: 12px; }
.diapo-chiffre .source { font-size: 28px; color: #333; margin-top: 12px; }
.diapo-texte, .diapo-texte li { font-size: 34px !important; line-height: 1.35 !important; color: #0b0b0b; }
.diapo-texte li { margin-bottom: 10px; }
.diapo-texte ul.compacte li { font-size: 30px !important; line-height: 1.25 !important; margin-bottom: 8px; }
.diapo-texte ul.colonnes { columns: 2; column-gap: 48px; }
.diapo-texte ul.colonnes li { font-size: 28px !important; }
.diapo-note { font-size: 28px !important; color: #222; }
.diapo-demo { font-size: 28px; font-weight: 800; color: #7a0000; background: #fff3cd; border: 3px solid #7a0000;
  border-radius: 10px; padding: 6px 16px; display: inline-block; }
.diapo-pied { font-size: 28px; line-height: 1.25; color: #222; margin: 0; }
.lecteur-ecran { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; border: 0; }
</style>"""


def header_html(title: str, territory: str, index: int, total: int) -> str:
    """Slide title, territory and position (escaped)."""
    e = html.escape
    return (
        '<div class="diapo-entete">'
        f'<h1 class="diapo-titre">{e(title)}</h1>'
        f'<span class="diapo-territoire">{e(territory)}</span>'
        f'<span class="diapo-compteur" data-testid="diapo-compteur">{index + 1} / {total}</span>'
        "</div>"
    )


def figures_html(figures: list, ref) -> str:
    """Key figures (:class:`cartographie.domaine.chiffres.Figure`) as large cards, with their sources (escaped)."""
    from cartographie.domaine.chiffres import source_brief

    e = html.escape
    cards = "".join(
        f'<div class="diapo-chiffre"><div class="valeur{" longue" if len(f.short_text) > 5 else ""}">'
        f"{e(f.short_text)}</div>"
        f'<div class="libelle">{e(f.label)}</div><div class="source">Source : {e(source_brief(ref, f))}</div></div>'
        for f in figures
    )
    return f'<div class="diapo-chiffres">{cards}</div>'


def text_html(lines: list[str], *, note: str = "", columns: int = 1, compact: bool = False) -> str:
    """A list of short lines in large type (escaped); long lists flow in ``columns``.

    ``compact``: slightly smaller type and spacing, for lists of long items (still above ``MIN_FONT``).
    """
    e = html.escape
    items = "".join(f"<li>{e(line)}</li>" for line in lines)
    extra = f'<p class="diapo-note">{e(note)}</p>' if note else ""
    classes = " ".join(c for c, on in (("colonnes", columns > 1), ("compacte", compact)) if on)
    flow = f' class="{classes}"' if classes else ""
    return f'<div class="diapo-texte"><ul{flow}>{items}</ul>{extra}</div>'


def demo_html(label: str) -> str:
    """The demo warning, large enough to be read from the back of the room."""
    return f'<span class="diapo-demo">{html.escape(label[:1].upper() + label[1:])}</span>'


def for_screen(figure, *, height: int = CONTENT_HEIGHT, font: int = 30, scale: float = 1.0):
    """A figure of the other pages, restyled for a room: larger type (never under ``MIN_FONT``), the slide's height.

    ``height`` and ``font`` are design pixels; ``scale`` is the screen's (see :data:`SCREEN_WIDTH`).
    """
    size = scaled(max(font, MIN_FONT), scale)
    small = scaled(max(font - 2, MIN_FONT), scale)
    margin = figure.layout.margin
    figure.update_layout(
        height=scaled(height, scale),
        font={"size": size, "color": "#0b0b0b"},
        title={"font": {"size": size + scaled(6, scale)}, "x": 0, "xanchor": "left", "y": 0.99, "yanchor": "top"},
        hoverlabel={"font": {"size": size}},
        legend={"font": {"size": small}},
        margin={
            "t": scaled(80, scale),
            "l": scaled(max(margin.l or 0, 20), scale),
            "r": scaled(max(margin.r or 0, 30), scale),
            "b": scaled(max(margin.b or 0, 40), scale),
        },
        paper_bgcolor="white",
    )
    figure.update_xaxes(automargin=True, tickfont={"size": small}, title_font={"size": size})
    figure.update_yaxes(automargin=True, tickfont={"size": small}, title_font={"size": size})
    figure.update_traces(textfont={"size": small}, selector={"type": "scatter"})
    figure.update_traces(textfont={"size": size}, selector={"type": "bar"})
    figure.update_annotations(font={"size": small})
    return figure


def alternative_html(caption: str, table) -> str:
    """A chart's or map's text alternative: its data as a table that only screen readers reach (escaped).

    Numbers are written the French way; a missing value reads « – ».
    """
    import pandas as pd

    from cartographie.domaine.formats import format_nombre

    def cell(value) -> str:
        if isinstance(value, str):
            return value
        if pd.isna(value):
            return "–"
        if isinstance(value, float) and not float(value).is_integer():
            return format_nombre(value, 1)
        return format_nombre(value)

    e = html.escape
    head = "".join(f'<th scope="col">{e(str(c))}</th>' for c in table.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{e(cell(v))}</td>" for v in row) + "</tr>" for row in table.itertuples(index=False)
    )
    return (
        f'<div class="lecteur-ecran"><table><caption>{e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )
