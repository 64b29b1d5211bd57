"""The map's own JavaScript, as folium elements: legends, height and fit, the QPV filter, panes.

Each element renders a short script into the map's frame; text passed to them is JSON-encoded
(never pasted into JavaScript), and tooltips receive HTML that the callers have escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from branca.element import MacroElement
from jinja2 import Template

if TYPE_CHECKING:  # geopandas is only needed to prepare the layers, done once and cached
    pass


class Legend(MacroElement):
    """A static legend drawn as a Leaflet control (no external asset)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legende = L.control({position: {{ this.position|tojson }}});
            legende.onAdd = function () {
                var div = L.DomUtil.create("div", "carto-legende");
                div.setAttribute("role", "note");
                div.setAttribute("aria-label", {{ this.label|tojson }});
                div.style.cssText = "background:#fff;padding:6px 10px;border:1px solid #999;"
                    + "border-radius:4px;font:12px/1.45 sans-serif;color:#222;max-width:250px";
                // A <details> block: the legend can be folded away to see what lies under it.
                div.innerHTML = '<details open><summary style="cursor:pointer">' + {{ this.summary|tojson }}
                    + "</summary>" + {{ this.html|tojson }} + "</details>";
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            {%- if this.follow_layer %}
            // Shown with its layer: added and removed together (the page swaps layers).
            var couche = {{ this._parent.get_name() }};
            couche.on("add", function () { legende.addTo({{ this.map_name }}); });
            couche.on("remove", function () { {{ this.map_name }}.removeControl(legende); });
            if ({{ this.map_name }}.hasLayer(couche)) { legende.addTo({{ this.map_name }}); }
            {%- else %}
            legende.addTo({{ this.map_name }});
            {%- endif %}
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        html_content: str,
        map_name: str,
        position: str = "bottomright",
        label: str = "Légende",
        follow_layer: bool = False,
        summary: str = "Légende",
    ) -> None:
        super().__init__()
        self._name = "Legende"
        self.summary = summary
        self.html = html_content
        self.map_name = map_name
        self.position = position
        self.label = label
        self.follow_layer = follow_layer


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
        (function (carte, emprise) {
            var touchee = false;
            // Once the user has touched the map (drag, wheel, zoom buttons, keyboard), the view is theirs.
            // Moves made by Leaflet itself (such as its own resize handling) do not count.
            ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (type) {
                carte.getContainer().addEventListener(
                    type, function () { touchee = true; }, {capture: true, passive: true});
            });
            window.cartoEmprise = emprise;
            window.cartoAjuster = function (cible, cle) {
                var nouvelle = cle !== undefined && cle !== window.cartoCle;
                if (cible) { window.cartoEmprise = cible; }
                if (cle !== undefined) { window.cartoCle = cle; }
                if (touchee && !nouvelle) { return; }
                carte.invalidateSize({pan: false});
                var taille = carte.getSize();
                if (taille.x > 0 && taille.y > 0) {
                    // Padding keeps the selection clear of the zoom buttons, layer switcher and legend.
                    carte.fitBounds(window.cartoEmprise, {
                        animate: false, maxZoom: 14, paddingTopLeft: [50, 40], paddingBottomRight: [40, 40]});
                    if (nouvelle) { touchee = false; }
                }
            };
            function envoyer() {
                var hauteur = carte.getContainer().offsetHeight;
                if (hauteur > 0 && window.parent && window.parent !== window) {
                    window.parent.postMessage(
                        {isStreamlitMessage: true, type: "streamlit:setFrameHeight", height: hauteur}, "*");
                }
                window.cartoAjuster();
            }
            if (window.ResizeObserver) {
                new ResizeObserver(function () { window.cartoAjuster(); }).observe(carte.getContainer());
            }
            carte.whenReady(function () {
                [0, 150, 500, 1500].forEach(function (delai) { setTimeout(envoyer, delai); });
            });
        })({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
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
        (function (groupe) {
            window.cartoQpv = window.cartoQpv || [];
            groupe.eachLayer(function (couche) {
                window.cartoQpv.push({code: couche.feature.properties.code_qp, couche: couche, groupe: groupe});
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "InscrireQpv"


class QpvFilter(MacroElement):
    """Show only the selected QPV (all when ``codes`` is ``None``) and fit the map to them.

    The QPV perimeters travel once, with the base map; a filter change only sends this
    short script with the list of codes.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var codes = {{ this.codes|tojson }};
            var ensemble = codes === null ? null : new Set(codes);
            var limites = null;
            (window.cartoQpv || []).forEach(function (entree) {
                var montrer = ensemble === null || ensemble.has(entree.code);
                var present = entree.groupe.hasLayer(entree.couche);
                if (montrer && !present) { entree.groupe.addLayer(entree.couche); }
                if (!montrer && present) { entree.groupe.removeLayer(entree.couche); }
                if (montrer) {
                    var b = entree.couche.getBounds();
                    limites = limites ? limites.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
                }
            });
            if (limites && window.cartoAjuster) {
                window.cartoAjuster(
                    [[limites.getSouth(), limites.getWest()], [limites.getNorth(), limites.getEast()]],
                    {{ this.key|tojson }});
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, codes: list[str] | None, key: str) -> None:
        super().__init__()
        self._name = "FiltreQpv"
        self.codes = codes
        self.key = key


class UnderPane(MacroElement):
    """A map pane below the QPV: optional layers drawn there never hide a QPV from the mouse."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.createPane("dessous");
        {{ this._parent.get_name() }}.getPane("dessous").style.zIndex = 350;
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PanneauDessous"
