"""The maps' legends, drawn beside the maps (never over their data): blocks of symbols and words, escaped.

Each map's page assembles the blocks it needs (QPV statuses, optional layers, meetings,
experiences, credits) and :func:`legend_html` wraps them with their sources.
"""

from __future__ import annotations

import html

import pandas as pd

from cartographie.domaine.territoires import STATUTS
from cartographie.rendu.carte import (
    CLASSES_CREDITS,
    CONTOUR_DEPARTEMENT,
    CONTOUR_EPCI,
    COULEUR_COMMUNE,
    COULEUR_CONTRAT,
    COULEUR_CONTRAT_2015,
    COULEUR_SELECTION,
    credit_class_labels,
    credits_legend_title,
)
from cartographie.rendu.charte import SIZE_KEY_COLOUR, STATUT_COULEURS


def _swatch(kind: str, style: str = "") -> str:
    return f'<span aria-hidden="true" class="lg-{kind}" style="{style}"></span>'


def _sample(text: str, kind: str) -> str:
    return f'<span aria-hidden="true" class="lg-{kind}">{html.escape(text)}</span>'


def _item(swatch: str, label: str) -> str:
    return f"<li>{swatch}<span>{html.escape(label)}</span></li>"


def _dot(colour: str, ring: str | None = None) -> str:
    return _swatch("point", f"background:{colour};border-color:{ring or colour}")


def _line(colour: str, width: int = 2, dash: str = "solid") -> str:
    return _swatch("trait", f"border-top:{width}px {dash} {colour}")


def _area(colour: str, opacity: float = 0.35) -> str:
    return _swatch("aplat", f"background:{colour};opacity:{opacity};border-color:{colour}")


def _square(colour: str) -> str:
    return _swatch("carre", f"background:{colour}")


def _diamond() -> str:
    return _swatch("losange")


def legend_block(title: str, items: list[str], *, note: str = "", alert: str = "") -> str:
    """One block of a legend: a title, its items (from the helpers above), an alert, a note (escaped)."""
    alert_html = f'<p class="lg-alerte">⚠ {html.escape(alert)}</p>' if alert else ""
    note_html = f'<p class="lg-note">{html.escape(note)}</p>' if note else ""
    return (
        f'<div class="lg-bloc"><p class="lg-titre">{html.escape(title)}</p>'
        f"<ul>{''.join(items)}</ul>{alert_html}{note_html}</div>"
    )


#: How the QPV are drawn, said under their legend where the map zooms.
ZOOM_NOTE = "Vus de loin, les quartiers sont des pastilles ; en zoomant, leur contour apparaît."


def base_legend(*, selected: bool = False, sizes=None, compact: bool = False) -> list[str]:
    """The legend of what every map shows: QPV by status, their sizes by population, outlines, contrats, names.

    ``sizes``: :class:`cartographie.domaine.habitants.SymbolSizes` (``None`` without INSEE's figures: one size).
    ``compact``: a slide's narrow legend: the size key in a few words (its source said under the slide), no
    word on zooming (a slide does not zoom).
    """
    qpv = [_item(_dot(STATUT_COULEURS[code]), STATUTS[code]) for code in ("NOUVEAU", "MODIFIE", "INCHANGE")]
    if selected:
        qpv.append(_item(_dot("#ffffff", ring=COULEUR_SELECTION), "Quartier choisi (contour noir)"))
    territories = [
        _item(_line(CONTOUR_DEPARTEMENT), "Département"),
        _item(_area(COULEUR_CONTRAT), "Contrat de ville 2024–2030"),
        _item(_sample("AUBE", "nom-dep"), "Nom de département"),
        _item(_sample("Metz", "nom-commune"), "Commune ayant un QPV"),
    ]
    return [
        legend_block(
            "Quartiers prioritaires 2024, statut par rapport à 2015",
            qpv,
            note="" if compact else ZOOM_NOTE,  # a slide does not zoom
        ),
        *([size_legend(sizes, compact=compact)] if sizes is not None else []),
        legend_block("Territoires", territories),
    ]


def size_legend(sizes, *, compact: bool = False) -> str:
    """The size key of the QPV symbols: one grey symbol per population class, at its size.

    ``compact``: labels in a few words and no note (a slide says the source under itself).
    """
    from cartographie.domaine.habitants import SIZE_TITLE

    labels = sizes.short if compact else [label for _, label in sizes.legend]
    items = [
        _item(
            _swatch(
                "point",
                f"background:{SIZE_KEY_COLOUR};border-color:{SIZE_KEY_COLOUR};"
                f"width:{0.95 * size:.2f}em;height:{0.95 * size:.2f}em",
            ),
            label,
        )
        for (size, _), label in zip(sizes.legend, labels, strict=True)
    ]
    if compact:
        return legend_block("Habitants du quartier", items)
    note = f"Population municipale du quartier. Source : {sizes.source}."
    if sizes.missing:
        plural = "s" if sizes.missing > 1 else ""
        note += f" Population non diffusée : la plus petite taille ({sizes.missing} quartier{plural})."
    return legend_block(SIZE_TITLE, items, note=note)


def indicator_legend(classes, *, source: str) -> str:
    """The QPV coloured by an INSEE indicator (:class:`cartographie.domaine.habitants.MapClasses`): classes, missing."""
    from cartographie.domaine.habitants import MISSING_COLOUR, SECRET

    items = [_item(_dot(colour), label) for colour, label in zip(classes.colours, classes.labels, strict=True)]
    if classes.missing:
        plural = "s" if classes.missing > 1 else ""
        items.append(
            _item(_dot(MISSING_COLOUR), f"{SECRET[:1].upper()}{SECRET[1:]} : {classes.missing} quartier{plural}")
        )
    return legend_block(
        classes.title,
        items,
        note=f"Quatre classes : les quartiles des QPV de la région. Source : {source}.",
    )


def layers_legend(couches: tuple[str, ...]) -> list[str]:
    """Legend blocks of the optional outline layers that are on."""
    items = []
    if "epci" in couches:
        items.append(_item(_line(CONTOUR_EPCI, 1, "dashed"), "EPCI"))
    if "communes" in couches:
        items.append(_item(_area(COULEUR_COMMUNE, 0.25), "Commune ayant un QPV"))
    if "contrats_2015" in couches:
        items.append(_item(_line(COULEUR_CONTRAT_2015, 2, "dashed"), "Contrat de ville 2015–2023"))
    if "experiences" in couches:
        items.append(_item(_diamond(), "Expérience de coopération"))
    return [legend_block("Couches ajoutées", items)] if items else []


def events_legend(types: dict[str, str], colours: dict[str, str]) -> list[str]:
    """Legend of the meetings' squares, by type."""
    return [
        legend_block(
            "Rencontres (carrés), par type",
            [_item(_square(colours.get(code, "#777777")), label) for code, label in types.items()],
        )
    ]


def experiences_legend() -> list[str]:
    """Legend of the experiences' diamonds."""
    return [legend_block("Expériences", [_item(_diamond(), "Expérience de coopération (losange)")])]


#: The legend's look (a style block of its own: Streamlit's page styles would otherwise size its text).
LEGEND_CSS = """<style>
.carto-legende{font:14px/1.4 sans-serif;color:#111;display:flex;flex-wrap:wrap;gap:6px 28px;padding:6px 0}
.carto-legende.ecran{font-size:30px;flex-direction:column}
.carto-legende p,.carto-legende ul,.carto-legende li{font-size:inherit;line-height:inherit;margin:0;padding:0}
.carto-legende .lg-titre{font-weight:700;margin-bottom:2px}
.carto-legende ul{list-style:none;display:flex;flex-wrap:wrap;gap:2px 1em}
.carto-legende li{display:flex;align-items:center;gap:.4em}
.carto-legende .lg-note,.carto-legende-sources{font-size:.85em;color:#333}
.carto-legende .lg-alerte{margin:4px 0;padding:3px 6px;border:2px solid #7a0000;color:#7a0000;font-weight:700}
.carto-legende li > [class^="lg-"]{flex:none;display:inline-block;box-sizing:border-box}
.carto-legende .lg-point{width:.95em;height:.95em;border-radius:50%;border:3px solid}
.carto-legende .lg-trait{width:1.3em;height:0}
.carto-legende .lg-aplat{width:1.2em;height:.9em;border:1px solid}
.carto-legende .lg-carre{width:.95em;height:.95em;border:2px solid #222}
.carto-legende .lg-losange{width:.75em;height:.75em;margin:.15em;background:#F0E442;border:2px solid #222;
  transform:rotate(45deg)}
.carto-legende .lg-nom-dep{font-style:italic;font-weight:600;font-size:.8em;color:#444}
.carto-legende .lg-nom-commune{font-weight:700;font-size:.9em}
.carto-legende-sources{margin:4px 0 0}
.carto-legende.ecran .lg-note,.carto-legende.ecran .lg-nom-dep,.carto-legende.ecran .lg-nom-commune{font-size:.94em}
</style>"""


def legend_html(blocks: list[str], *, sources: str = "", screen: float = 0) -> str:
    """A map's legend, shown beside the map (never over it), with the sources of what it draws.

    ``screen``: the presentation screen's scale (0 elsewhere): large type, multiplied by the scale.
    """
    sources_html = f'<p class="carto-legende-sources">Sources : {html.escape(sources)}</p>' if sources else ""
    size = f' style="font-size:{round(30 * float(screen))}px"' if screen else ""
    return (
        f'{LEGEND_CSS}<div class="carto-legende{" ecran" if screen else ""}"{size} role="group" '
        f'aria-label="Légende de la carte">{"".join(blocks)}</div>{sources_html}'
    )


def credits_legend(values: pd.Series, *, annee: int, mesure: str, source: str, warning: str = "") -> list[str]:
    """The legend block of the credits choropleth: its classes, the alert of a doubtful year, the source."""
    labels = credit_class_labels(values, mesure)
    if not labels:
        return []
    items = [_item(_area(CLASSES_CREDITS[i], 0.8), label) for i, label in enumerate(labels)]
    return [
        legend_block(
            credits_legend_title(annee, mesure),
            items,
            alert=f"Données douteuses : {warning} (détail sous la carte)" if warning else "",
            note=f"Source : {source}, année {annee}",
        )
    ]
