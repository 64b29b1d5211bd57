// The map's own JavaScript (Leaflet 1.9, served by the app with the map; no network).
//
// Each function is called by one short element of cartographie/rendu/carte_js.py with data
// encoded as JSON by the server; the tests check this file with « node --check ».
"use strict";

var carto = window.carto = window.carto || {};

// Keyboard and screen-reader behaviour of the map (see MapAccess in carte_js.py).
carto.acces = function (carte, options) {
    function texte(html) {
        return new DOMParser().parseFromString(html || "", "text/html").documentElement.textContent;
    }
    window.cartoNom = function (p) {
        if (!p || !p.code_qp) { return null; }
        return "Quartier prioritaire " + texte(p.lib_qp) + ", " + texte(p.lib_com) + " ("
            + (options.statuts[p.statut_2024_vs_2015] || "") + ")";
    };
    if (!L.Path.__cartoAcces) {
        L.Path.__cartoAcces = true;
        L.Path.addInitHook(function () {
            this.on("add", function () {
                var chemin = this._path;
                if (!chemin) { return; }
                chemin.setAttribute("tabindex", "-1");
                var nom = window.cartoNom(this.feature && this.feature.properties);
                if (nom) {
                    chemin.setAttribute("role", "img");
                    chemin.setAttribute("aria-label", nom);
                    if (!chemin.classList.contains("carto-qpv-cible")) {
                        chemin.classList.add("carto-qpv", "carto-qpv-polygone");
                    }
                } else {
                    chemin.setAttribute("aria-hidden", "true");
                }
            });
        });
    }
    var conteneur = carte.getContainer();
    conteneur.setAttribute("role", "region");
    conteneur.setAttribute("aria-label", options.label);
    conteneur.querySelectorAll(".leaflet-control a").forEach(function (lien) {
        lien.setAttribute("tabindex", "-1");
    });
    if (options.ecran) { conteneur.classList.add("carto-ecran"); }
};

// Every QPV visible at every zoom: a symbol below a few pixels, placed as the scene says (QpvSymbols).
carto.symbolesQpv = function (carte, options, decalages) {
    carte.createPane("symboles");
    carte.getPane("symboles").style.zIndex = 450;
    carte.createPane("traits");
    carte.getPane("traits").style.zIndex = 445;
    var symboles = L.layerGroup().addTo(carte);
    function taille(limites) {
        var a = carte.latLngToLayerPoint(limites.getSouthWest());
        var b = carte.latLngToLayerPoint(limites.getNorthEast());
        return Math.max(Math.abs(b.x - a.x), Math.abs(a.y - b.y));
    }
    function basculer(groupe, couche, montrer) {
        var present = groupe.hasLayer(couche);
        if (montrer && !present) { groupe.addLayer(couche); }
        if (!montrer && present) { groupe.removeLayer(couche); }
    }
    // The scene's drawing order: new QPV last, on top of the others.
    var entrees = (window.cartoQpv || []).slice().sort(function (a, b) {
        return (options.rang[a.couche.feature.properties.statut_2024_vs_2015] || 0)
            - (options.rang[b.couche.feature.properties.statut_2024_vs_2015] || 0);
    });
    entrees.forEach(function (e) {
        e.limites = e.couche.getBounds();
        e.couleur = e.couche.options.color;
        e.centre = e.limites.getCenter();
        // Its size: the map's radius times its population class's (the scene spread them with these radii).
        e.rayon = Math.round(options.rayon * ((options.tailles || {})[e.code] || 1) * 10) / 10;
        e.symbole = L.circleMarker(e.centre, {
            pane: "symboles", radius: e.rayon, weight: 2, color: "#ffffff", fillColor: e.couleur,
            fillOpacity: 1, interactive: false, className: "carto-qpv carto-qpv-symbole carto-masque"});
        e.cible = L.circleMarker(e.centre, {
            pane: "symboles", radius: Math.max(options.cible, e.rayon), stroke: false, fill: true, fillColor: "#000000",
            fillOpacity: 0, className: "carto-qpv-cible carto-masque"});
        e.trait = L.polyline([e.centre, e.centre], {
            pane: "traits", weight: 1, color: "#444444", opacity: 0.8, interactive: false,
            className: "carto-qpv-trait carto-masque"});
        e.cible.feature = e.couche.feature;
        // Always on the map: a filter change only shows or hides them (no element added or removed).
        symboles.addLayer(e.trait);
        symboles.addLayer(e.symbole);
        e.groupe.addLayer(e.cible);
        e.vu = {symbole: false, choisi: false, trait: false};
    });
    // Where each symbol goes at this zoom: its true place, moved as the scene says.
    function placer() {
        var zoom = carte.getZoom(), z = options.zooms;
        var rang = Math.round((zoom - z[0]) * 4);
        var table = rang >= 0 && rang < decalages.length ? decalages[rang] : {};
        entrees.forEach(function (e) {
            var d = table[e.code], place = e.centre;
            if (d) { place = carte.unproject(carte.project(e.centre, zoom).add(L.point(d[0], d[1])), zoom); }
            e.symbole.setLatLng(place);
            e.cible.setLatLng(place);
            e.trait.setLatLngs([e.centre, place]);
            e.decale = !!d && Math.sqrt(d[0] * d[0] + d[1] * d[1]) > e.rayon;
        });
    }
    function montrerSymbole(e, montrer) {
        var trait = montrer && e.decale;
        if (e.vu.symbole !== montrer) {
            e.vu.symbole = montrer;
            [e.symbole, e.cible].forEach(function (c) {
                if (c._path) { c._path.classList.toggle("carto-masque", !montrer); }
            });
        }
        if (e.vu.trait !== trait) {
            e.vu.trait = trait;
            if (e.trait._path) { e.trait._path.classList.toggle("carto-masque", !trait); }
        }
    }
    window.cartoCarte = carte;
    window.cartoAfficherQpv = function () {
        placer();
        entrees.forEach(function (e) {
            var montrer = !window.cartoFiltre || window.cartoFiltre.has(e.code);
            var petit = taille(e.limites) < options.seuil;
            basculer(e.groupe, e.couche, montrer && !petit);
            montrerSymbole(e, montrer && petit);
            var choisi = e.code === window.cartoChoisi;
            if (choisi !== e.vu.choisi) {
                e.vu.choisi = choisi;
                e.symbole.setStyle(choisi
                    ? {color: "#000000", weight: 4, radius: e.rayon + 3}
                    : {color: "#ffffff", weight: 2, radius: e.rayon});
                if (choisi) { e.symbole.bringToFront(); }
            }
            // Its colour: its status's, or its class of the indicator the user picked (window.cartoCouleurs).
            var couleur = (window.cartoCouleurs && window.cartoCouleurs[e.code]) || e.couleur;
            if (couleur !== e.vu.couleur) {
                e.vu.couleur = couleur;
                e.symbole.setStyle({fillColor: couleur});
            }
            if (e.groupe.hasLayer(e.couche)) {
                if (choisi) { e.couche.setStyle({color: "#000000", weight: 4}); }
                else if (e.couche.options.color !== couleur || e.couche.options.weight === 4) {
                    e.groupe.resetStyle(e.couche);
                    if (couleur !== e.couleur) { e.couche.setStyle({color: couleur, fillColor: couleur}); }
                }
            }
        });
        if (window.cartoPlacerNoms) { window.cartoPlacerNoms(); }  // names make room for the symbols
    };
    carte.on("zoomend", window.cartoAfficherQpv);
    window.cartoAfficherQpv();
};

// Place names that never cover a QPV symbol nor another name (PlaceLabels).
carto.noms = function (carte, lieux, options) {
    carte.createPane("etiquettes");
    carte.getPane("etiquettes").style.zIndex = 430;
    carte.getPane("etiquettes").style.pointerEvents = "none";
    var couche = L.layerGroup().addTo(carte);
    var mesure = document.createElement("canvas").getContext("2d");
    var polices = {
        dep: "italic 600 " + options.taille_dep + "px sans-serif",
        commune: "700 " + options.taille_commune + "px sans-serif"};
    function chevauche(a, b) {
        return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
    }
    function obstacles() {
        // The QPV symbols on screen: a name never hides one.
        var boites = [];
        (window.cartoQpv || []).forEach(function (e) {
            if (!e.symbole || !e.vu || !e.vu.symbole) { return; }  // only the symbols shown
            var p = carte.latLngToContainerPoint(e.symbole.getLatLng()), r = e.symbole.getRadius() + 2;
            boites.push({x1: p.x - r, y1: p.y - r, x2: p.x + r, y2: p.y + r});
        });
        return boites;
    }
    function placer() {
        couche.clearLayers();
        var zoom = carte.getZoom(), vue = carte.getSize(), places = [], symboles = obstacles();
        lieux.forEach(function (lieu) {
            if (zoom > lieu.zmax || zoom < (lieu.zmin || 0)) { return; }
            var texte = lieu.type === "dep" ? lieu.nom.toUpperCase() : lieu.nom;
            var trouve = chercher(lieu, [texte]);
            // A long department name that finds no room on one line tries two (at its middle hyphen).
            var coupe = lieu.type === "dep" ? deuxLignes(texte) : null;
            if (!trouve && coupe) { trouve = chercher(lieu, coupe); }
            if (trouve) {
                places.push(trouve.boite);
                var etiquette = document.createElement("span");
                etiquette.className = "carto-etiquette carto-etiquette-" + lieu.type;
                etiquette.textContent = trouve.lignes.join("\n");
                etiquette.style.whiteSpace = "pre";
                etiquette.style.width = trouve.l + "px";
                etiquette.style.height = trouve.h + "px";
                etiquette.style.lineHeight = (trouve.h / trouve.lignes.length) + "px";
                etiquette.style.font = polices[lieu.type];
                L.marker(trouve.position.at, {
                    icon: L.divIcon({html: etiquette, className: "carto-etiquette-boite",
                                     iconSize: [trouve.l, trouve.h],
                                     iconAnchor: [-trouve.position.dx, -trouve.position.dy]}),
                    pane: "etiquettes", interactive: false, keyboard: false
                }).addTo(couche);
            }
        });
        function deuxLignes(texte) {
            var tirets = [];
            for (var i = 1; i < texte.length - 1; i++) { if (texte[i] === "-") { tirets.push(i); } }
            if (!tirets.length) { return null; }
            var milieu = texte.length / 2;
            var i = tirets.reduce(function (a, b) {
                return Math.abs(b - milieu) < Math.abs(a - milieu) ? b : a;
            });
            return [texte.slice(0, i + 1), texte.slice(i + 1)];
        }
        function chercher(lieu, lignes) {
            mesure.font = polices[lieu.type];
            var largeurs = lignes.map(function (t) { return Math.ceil(mesure.measureText(t).width); });
            var l = Math.max.apply(null, largeurs) + 8;
            var ligne = Math.ceil((lieu.type === "dep" ? options.taille_dep : options.taille_commune) * 1.35);
            var h = ligne * lignes.length;
            // Each position: a point of the place (latitude, longitude) and the box's offset from it.
            var positions = [];
            if (lieu.type === "dep") {
                // Centred on one of its points inside the department, the nearest to its middle first.
                (lieu.points || [[lieu.lat, lieu.lon]]).forEach(function (at) {
                    [0, -0.25, 0.25].forEach(function (j) {
                        [0, -0.6, 0.6].forEach(function (k) {
                            positions.push({at: at, dx: -l / 2 + j * l, dy: -h / 2 + k * ligne});
                        });
                    });
                });
            } else {
                // Beside its point: right, left, above, below, the corners, then further out (round a group).
                var at = [lieu.lat, lieu.lon];
                [1, 2, 3, 4, 5, 6].forEach(function (k) {
                    var d = k * (options.marge_symbole + 2);
                    [[d, -h / 2], [-l - d, -h / 2], [-l / 2, -h - d], [-l / 2, d],
                     [d, -h - d / 2], [d, d / 2], [-l - d, -h - d / 2], [-l - d, d / 2]].forEach(function (o) {
                        positions.push({at: at, dx: o[0], dy: o[1]});
                    });
                });
            }
            // Never over a QPV symbol nor another name: a name that finds no room is left out at this zoom.
            for (var i = 0; i < positions.length; i++) {
                var point = carte.latLngToContainerPoint(positions[i].at);
                var boite = {x1: point.x + positions[i].dx, y1: point.y + positions[i].dy};
                boite.x2 = boite.x1 + l;
                boite.y2 = boite.y1 + h;
                if (boite.x1 < 0 || boite.y1 < 0 || boite.x2 > vue.x || boite.y2 > vue.y) { continue; }
                if (places.some(function (autre) { return chevauche(autre, boite); })) { continue; }
                if (symboles.some(function (autre) { return chevauche(autre, boite); })) { continue; }
                return {boite: boite, position: positions[i], l: l, h: h, lignes: lignes};
            }
            return null;
        }
    }
    window.cartoPlacerNoms = placer;
    carte.on("zoomend moveend resize", placer);
    carte.whenReady(placer);
};

// Re-send the frame's height to Streamlit and keep the view fitted (ResendHeight).
carto.hauteur = function (carte, emprise) {
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
                animate: false, maxZoom: 13, paddingTopLeft: [50, 40], paddingBottomRight: [40, 40]});
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
        // After the last automatic fit: what a test (or a screenshot) can wait for.
        setTimeout(function () { window.cartoPret = true; }, 1600);
    });
};

// List the features of a QPV layer so that a filter can show or hide them (RegisterQpv).
carto.inscrireQpv = function (groupe) {
    window.cartoQpv = window.cartoQpv || [];
    groupe.eachLayer(function (couche) {
        window.cartoQpv.push({code: couche.feature.properties.code_qp, couche: couche, groupe: groupe});
    });
};

// Show only the selected QPV, outline the chosen one, colour them, fit the map (QpvFilter).
carto.filtrerQpv = function (codes, choisi, cle, couleurs) {
    window.cartoFiltre = codes === null ? null : new Set(codes);
    window.cartoChoisi = choisi;
    // Colours by an indicator: one character per QPV, in the order of their sorted codes (a class, or « - »).
    window.cartoCouleurs = null;
    if (couleurs) {
        var tries = (window.cartoQpv || []).map(function (e) { return e.code; }).sort();
        window.cartoCouleurs = {};
        tries.forEach(function (code, i) {
            var k = couleurs.classes.charAt(i);
            window.cartoCouleurs[code] = k === "-" ? couleurs.manquant : couleurs.palette[Number(k)];
        });
    }
    var carte = window.cartoCarte, zoom = carte ? carte.getZoom() : null;
    var limites = null, cible = null;
    (window.cartoQpv || []).forEach(function (entree) {
        if (window.cartoFiltre && !window.cartoFiltre.has(entree.code)) { return; }
        var b = entree.limites || entree.couche.getBounds();
        limites = limites ? limites.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
        if (entree.code === choisi) { cible = b; }
    });
    limites = cible || limites;
    if (limites && window.cartoAjuster) {
        window.cartoAjuster(
            [[limites.getSouth(), limites.getWest()], [limites.getNorth(), limites.getEast()]],
            cle + (cible ? "|" + choisi : ""));
    }
    // A new zoom has redrawn them already (on « zoomend »); otherwise draw them now.
    if (window.cartoAfficherQpv && (!carte || carte.getZoom() === zoom)) { window.cartoAfficherQpv(); }
};

// Leaflet's scale bar in metres only, at most ``largeur`` pixels long (MetricScale).
carto.echelle = function (carte, largeur) {
    L.control.scale({imperial: false, metric: true, position: "bottomleft", maxWidth: largeur}).addTo(carte);
};

// Fit the map on a place (a chosen meeting or experience), once per key (FitOn).
carto.centrer = function (limites, cle) {
    if (window.cartoAjuster) { window.cartoAjuster(limites, cle); }
};

// A pane below the QPV: optional layers drawn there never hide a QPV from the mouse (UnderPane).
carto.panneauDessous = function (carte) {
    carte.createPane("dessous");
    carte.getPane("dessous").style.zIndex = 350;
};
