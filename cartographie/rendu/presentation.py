"""The presentation screen's look: Streamlit's chrome hidden, large type, HTML blocks whose text is escaped."""

from __future__ import annotations

import html

from cartographie.domaine.presentation import Figure

#: Screen size the slides are laid out for (16:9).
SCREEN_HEIGHT = 1080


CONTENT_HEIGHT = 760


def screen_css() -> str:
    """Hide Streamlit's chrome and set large, high-contrast type for a 16:9 screen."""
    return """<style>
header[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stToolbar"], [data-testid="stStatusWidget"], [data-testid="stDecoration"],
[data-testid="stAppDeployButton"], [data-testid="stMainMenu"], .stDeployButton { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container {
  padding: 12px 40px 8px 40px !important; max-width: 100% !important; }
[data-testid="stAppViewContainer"], .stApp { background: #ffffff !important; color: #0b0b0b; }
[data-stale="true"] { opacity: 1 !important; transition: none !important; }
.diapo-entete { display: flex; justify-content: space-between; align-items: baseline; gap: 24px;
  border-bottom: 6px solid #003f8a; padding-bottom: 6px; margin-bottom: 12px; }
.diapo-titre { font-size: 60px; font-weight: 800; line-height: 1.3; color: #0b0b0b; margin: 0;
  overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.diapo-territoire { font-size: 30px; color: #003f8a; font-weight: 700; white-space: nowrap; }
.diapo-compteur { font-size: 28px; color: #222; white-space: nowrap; }
.diapo-chiffres { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 24px; }
.diapo-chiffre { border: 3px solid #003f8a; border-radius: 16px; padding: 20px 24px; min-height: 260px; }
.diapo-chiffre .valeur { font-size: 104px; font-weight: 800; color: #003f8a; line-height: 1.3; white-space: nowrap; }
.diapo-chiffre .libelle { font-size: 32px; line-height: 1.3; margin-top: 12px; }
.diapo-chiffre .source { font-size: 20px; color: #333; margin-top: 12px; }
.diapo-texte, .diapo-texte li { font-size: 34px !important; line-height: 1.35 !important; color: #0b0b0b; }
.diapo-texte li { margin-bottom: 10px; }
.diapo-texte ul.colonnes { columns: 2; column-gap: 48px; }
.diapo-texte ul.colonnes li { font-size: 28px !important; }
.diapo-note { font-size: 24px !important; color: #222; }
.diapo-demo { font-size: 28px; font-weight: 800; color: #7a0000; background: #fff3cd; border: 3px solid #7a0000;
  border-radius: 10px; padding: 6px 16px; display: inline-block; }
.diapo-pied { font-size: 20px; color: #222; }
.stButton button p { font-size: 24px !important; }
</style>"""


def keyboard_js() -> str:
    """Left and right arrows press the previous and next buttons; space toggles the pause."""
    return """<script>
(function () {
  const doc = window.parent.document;
  if (doc.__diaporamaClavier) return;
  doc.__diaporamaClavier = true;
  function press(label) {
    const buttons = Array.from(doc.querySelectorAll('button'));
    const target = buttons.find(b => b.innerText.trim().startsWith(label));
    if (target) target.click();
    return Boolean(target);
  }
  doc.addEventListener('keydown', function (event) {
    if (event.target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(event.target.tagName)) return;
    if (!doc.querySelector('.diapo-entete')) return;
    if (event.key === 'ArrowRight' || event.key === 'PageDown') { press('Suivante'); event.preventDefault(); }
    if (event.key === 'ArrowLeft' || event.key === 'PageUp') { press('Précédente'); event.preventDefault(); }
    if (event.key === ' ') { press('Pause') || press('Reprendre'); event.preventDefault(); }
  });
})();
</script>"""


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


def figures_html(figures: list[Figure]) -> str:
    """Key figures as large cards (escaped)."""
    e = html.escape
    cards = "".join(
        f'<div class="diapo-chiffre"><div class="valeur">{e(f.value)}</div>'
        f'<div class="libelle">{e(f.label)}</div><div class="source">Source : {e(f.source)}</div></div>'
        for f in figures
    )
    return f'<div class="diapo-chiffres">{cards}</div>'


def text_html(lines: list[str], *, note: str = "", columns: int = 1) -> str:
    """A list of short lines in large type (escaped); long lists flow in ``columns``."""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    extra = f'<p class="diapo-note">{html.escape(note)}</p>' if note else ""
    flow = ' class="colonnes"' if columns > 1 else ""
    return f'<div class="diapo-texte"><ul{flow}>{items}</ul>{extra}</div>'


def demo_html(label: str) -> str:
    """The demo warning, large enough to be read from the back of the room."""
    return f'<span class="diapo-demo">{html.escape(label[:1].upper() + label[1:])}</span>'


def for_screen(figure, *, height: int = CONTENT_HEIGHT, font: int = 22):
    """A figure of the other pages, restyled for a room: larger type, the slide's height, room for labels."""
    margin = figure.layout.margin
    figure.update_layout(
        height=height,
        font={"size": font, "color": "#0b0b0b"},
        title={"font": {"size": font + 6}, "x": 0, "xanchor": "left", "y": 0.99, "yanchor": "top"},
        hoverlabel={"font": {"size": font}},
        margin={"t": 80, "l": max(margin.l or 0, 20), "r": max(margin.r or 0, 30), "b": max(margin.b or 0, 40)},
        paper_bgcolor="white",
    )
    figure.update_xaxes(automargin=True, tickfont={"size": font - 2})
    figure.update_yaxes(automargin=True, tickfont={"size": font - 2})
    figure.update_traces(textfont={"size": font - 2}, selector={"type": "scatter"})
    figure.update_traces(textfont={"size": font}, selector={"type": "bar"})
    return figure
