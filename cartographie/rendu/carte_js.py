"""The map's own elements for folium: access, QPV symbols, place names, scale, fit, filter, panes.

Their JavaScript is in a real file, ``js/carte.js`` (checked by ``node --check`` in the tests),
served by the app beside Leaflet (:func:`attach_script`); each element renders one call to it,
with its data JSON-encoded (never pasted into JavaScript). Tooltips receive HTML that the
callers have escaped.

This module is the only one that uses folium's and branca's private names (``_parent``,
``_children``, ``_name``, ``_template``); :func:`children` gives the others an element's children.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from branca.element import Element, MacroElement
from jinja2 import Template

#: The map's script, in the package.
SCRIPT_PATH = Path(__file__).with_name("js") / "carte.js"


@cache
def script_text() -> str:
    """The map's script (read once)."""
    return SCRIPT_PATH.read_text(encoding="utf-8")


def script_name() -> str:
    """The name the script is served under: its content's hash (a new version is fetched anew)."""
    return f"carte-{hashlib.sha256(script_text().encode()).hexdigest()[:20]}.js"


def children(element) -> list:
    """An element's children (branca keeps them in a private dictionary)."""
    return list(element._children.values())


def attach_script(carte, url: str | None) -> None:
    """Load the map's script before the map's own: from ``url`` (served by the app), else written into the page."""
    if url:
        carte.default_js = [*carte.default_js, ("carto", url)]
    else:
        carte.get_root().header.add_child(Element(f"<script>{script_text()}</script>"), name="carto")


class MapAccess(MacroElement):
    """Keyboard and screen-reader behaviour of a map (first element of the base map).

    The map is one tab stop (Leaflet's container: arrows pan, + and − zoom) with a French
    label saying where the keyboard path is; shapes and markers are not tab stops (Chromium
    otherwise stops on every SVG path); a QPV shape carries a French accessible name (and the
    class ``carto-qpv``, as its symbol does: what tests and the benchmark count); other
    shapes are hidden from screen readers (their names are in the page). Zoom buttons stay
    clickable but out of the tab order, since the keys do the same.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        carto.acces({{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, label: str, statuts: dict[str, str], screen: bool = False) -> None:
        super().__init__()
        self._name = "AccesCarte"
        self.options = {"label": label, "statuts": statuts, "ecran": screen}


class MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only, long enough for its label at the screen's type size.

    Leaflet draws a round distance no longer than ``maxWidth`` pixels, at least half of it: with the
    slides' larger type (28 design pixels, « 20 km »), a 100-pixel bar is shorter than its own label.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        carto.echelle({{ this._parent.get_name() }}, {{ this.max_width }});
        {% endmacro %}
        """
    )

    def __init__(self, max_width: int = 100) -> None:
        super().__init__()
        self._name = "EchelleMetrique"
        self.max_width = int(max_width)


class QpvSymbols(MacroElement):
    """Every QPV visible and clickable at every zoom (after the QPV layers of the base map).

    Below ``seuil`` pixels across, a QPV is drawn as a round symbol of its status colour (``rayon``
    times its population class's size, ``tailles``), with a
    transparent hit area of ``cible`` pixels in radius (touch-sized) that carries the QPV's
    feature, tooltip and click; when zooming in, it becomes its polygon again. The symbols are
    placed as the map's scene says (:mod:`cartographie.rendu.scene`): moved apart where they would
    hide each other (``decalages``: per zoom, the move of each moved symbol, in pixels), tied to
    their true place by a thin line, new QPV drawn last, on top (``rang``).
    ``window.cartoAfficherQpv()`` applies the filter (``window.cartoFiltre``, a set of codes or
    ``null``) and the highlight of the chosen QPV (``window.cartoChoisi``).
    """

    #: Attributes written into the script as JSON that travel in the base map's data file instead.
    DATA_FIELDS = ("decalages",)

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        carto.symbolesQpv({{ this._parent.get_name() }}, {{ this.options|tojson }}, {{ this.decalages|tojson }});
        {% endmacro %}
        """
    )

    def __init__(
        self, *, radius: int, hit_radius: int, threshold: int, places: dict, symbol_sizes: dict | None = None
    ) -> None:
        """``places``: the scene's :func:`cartographie.rendu.scene.screen_offsets`, by QPV code.

        ``symbol_sizes``: the symbols larger than ``radius``, by QPV code (× ``radius``, by population class).
        """
        from cartographie.rendu.scene import DRAW_ORDER

        super().__init__()
        self._name = "SymbolesQpv"
        self.options = {
            "rayon": radius,
            "tailles": dict(symbol_sizes or {}),
            "cible": hit_radius,
            "seuil": threshold,
            "rang": {statut: rank for rank, statut in enumerate(DRAW_ORDER)},
            "zooms": places["zooms"],
        }
        #: The moves per zoom (tens of kilobytes): the base map's data file carries them, not each rerun.
        self.decalages = places["decalages"]


class PlaceLabels(MacroElement):
    """Place names drawn from the reference data, without tiles, and never on top of one another.

    ``places`` are in priority order (``nom``, ``lat``, ``lon``, ``type`` « dep » or
    « commune », the zooms ``zmin`` and ``zmax`` between which it is named); at each
    zoom or move, each is placed at the first of a few positions
    around its point where it overlaps neither a label already placed nor a QPV symbol, else
    left out. Text is set as text (never parsed as HTML). Labels take no click.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        carto.noms({{ this._parent.get_name() }}, {{ this.places|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, places: list[dict], *, dep_size: int, commune_size: int, symbol_margin: int) -> None:
        super().__init__()
        self._name = "Etiquettes"
        self.places = places
        self.options = {"taille_dep": dep_size, "taille_commune": commune_size, "marge_symbole": symbol_margin}


class ResendHeight(MacroElement):
    """Re-send the map's height to Streamlit once Leaflet has drawn, and keep the view fitted.

    With a local Leaflet, streamlit-folium's first height message can arrive before the
    iframe listens, leaving a 0-px iframe; sending it again (several times, cheaply) makes
    the map visible every time. The map was fitted while its frame had no size, so it is
    fitted again (to the region, or to the current selection) whenever the frame gets its
    size, until the user moves the map. ``window.cartoAjuster(bounds, key)`` lets a layer
    ask for a new fit when the selection (``key``) changes.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        carto.hauteur({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "RenvoiHauteur"
        self.bounds = bounds


class Bind(MacroElement):
    """Bind a tooltip or popup to its parent marker with the HTML passed as a JSON string.

    folium's own Tooltip puts the text in a JavaScript template literal (where a backtick or
    ``${…}`` typed by a user would escape) and its Popup needs jQuery; this binding does neither.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.{{ this.method }}({{ this.html|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, html_content: str, *, popup: bool = False) -> None:
        super().__init__()
        self._name = "Liaison"
        self.method = "bindPopup" if popup else "bindTooltip"
        self.html = html_content
        self.options = {"maxWidth": 260} if popup else {"sticky": True}


class RegisterQpv(MacroElement):
    """Inside a QPV layer of the base map: list its features so that a filter can show or hide them."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        carto.inscrireQpv({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "InscrireQpv"


class QpvFilter(MacroElement):
    """Show only the selected QPV (all when ``codes`` is ``None``), outline the chosen one, fit the map.

    The QPV perimeters travel once, with the base map; a filter change only sends this short
    script with the list of codes. The map is fitted on the chosen QPV when there is one among
    those shown, else on all those shown, each time ``key`` or the chosen QPV changes.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        carto.filtrerQpv(...{{ this.args|tojson }});
        {% endmacro %}
        """
    )

    def __init__(
        self, codes: list[str] | None, key: str, selected: str | None = None, colours: dict | None = None
    ) -> None:
        """Colours: ``None`` (by status), else ``palette``, ``manquant`` and ``classes``.

        ``classes`` has one character per QPV of the base map, in the order of their sorted codes:
        the index of its class, or « - » when it has no value.
        """
        super().__init__()
        self._name = "FiltreQpv"
        self.codes = codes
        self.key = key
        self.selected = selected or None
        self.colours = colours
        self.args = [codes, self.selected, key, colours]


class FitOn(MacroElement):
    """Fit the map on a point (a chosen meeting or experience), once per ``key``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        carto.centrer({{ this.bounds|tojson }}, {{ this.key|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], key: str) -> None:
        super().__init__()
        self._name = "Centrer"
        self.bounds = bounds
        self.key = key


class UnderPane(MacroElement):
    """A map pane below the QPV: optional layers drawn there never hide a QPV from the mouse."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        carto.panneauDessous({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PanneauDessous"
