"""The one place where the English that Streamlit and Plotly write in the page is put into French.

Where Streamlit offers a parameter (placeholders, labels, toolbar), the pages use it; what it
writes by itself (skip link, menu, table and chart toolbars, screen-reader labels, input
instructions) is translated in the browser by :func:`script`: a small script that rewrites
text nodes and the ``aria-label``, ``title``, ``placeholder`` and ``data-title`` attributes as
they appear, and says the page is French (``lang="fr"``). It is put in the page by
:mod:`cartographie.ui.adaptateur.page`; the names the app gives Streamlit's regions are there
too, not here (a text missing from this dictionary leaves a word in English, never a region
without a name).
"""

from __future__ import annotations

#: Exact strings (whole text or attribute, spaces trimmed) → French.
FRENCH = {
    # Page and navigation
    "Skip to main content": "Aller au contenu",
    "Link to heading": "Lien vers ce titre",
    "Main menu": "Menu principal",
    "Sidebar": "Panneau latéral",
    "Collapse sidebar": "Replier le panneau latéral",
    "Expand sidebar": "Déplier le panneau latéral",
    # An unexpected error (details in the server's log only)
    "This app has encountered an error. The original error message is redacted to prevent data leaks. Full error "
    "details have been recorded in the logs (if you're on Streamlit Cloud, click on 'Manage app' in the lower "
    "right of your app).": "Une erreur inattendue est survenue. Ses détails sont inscrits dans le journal du "
    "serveur ; rechargez la page.",
    # Running state and connection
    "Running...": "Calcul en cours…",
    "Stop": "Arrêter",
    "Connecting": "Connexion…",
    "Please wait...": "Patientez…",
    "Connection error": "Connexion perdue",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:": (
        "Le serveur ne répond plus. Vérifiez votre connexion ; "
        "l'équipe qui héberge le tableau de bord peut le relancer."
    ),
    # Main menu
    "Print": "Imprimer",
    "Record screen": "Enregistrer l'écran",
    "Stop recording": "Arrêter l'enregistrement",
    "About": "À propos",
    "Settings": "Réglages",
    "Clear cache": "Vider le cache",
    "Rerun": "Relancer",
    "Copy version to clipboard": "Copier la version",
    "Made with Streamlit v": "Réalisé avec Streamlit v",
    "Made with Streamlit": "Réalisé avec Streamlit",
    "Close": "Fermer",
    # Widgets
    "Choose an option": "Choisissez une option",
    "Choose options": "Choisissez une ou plusieurs options",
    "Select all": "Tout sélectionner",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer",
    "Clear": "Effacer",
    "Open": "Ouvrir",
    "No results": "Aucun résultat",
    "No options to select": "Aucune option",
    "Press Enter to submit form": "Appuyez sur Entrée pour envoyer le formulaire",
    "Press Enter to apply": "Appuyez sur Entrée pour valider",
    "Press ⌘+Enter to apply": "Appuyez sur ⌘+Entrée pour valider",
    "Press Ctrl+Enter to apply": "Appuyez sur Ctrl+Entrée pour valider",
    "Press ⌘+Enter to submit form": "Appuyez sur ⌘+Entrée pour envoyer le formulaire",
    "Press Ctrl+Enter to submit form": "Appuyez sur Ctrl+Entrée pour envoyer le formulaire",
    "Show password": "Afficher le mot de passe",
    "Hide password": "Masquer le mot de passe",
    # The map's frame (streamlit-folium names it after itself)
    "streamlit_folium.st_folium": "Carte des quartiers prioritaires",
    "Increment": "Augmenter",
    "Decrement": "Diminuer",
    "Drag and drop file here": "Déposez un fichier ici",
    "Upload": "Téléverser",
    "File size is too small.": "Le fichier est vide.",
    "Add files": "Ajouter des fichiers",
    "Selected values": "Valeurs choisies",
    "Only one file is allowed.": "Un seul fichier à la fois.",
    "Unexpected error. Please try again.": "Erreur inattendue : réessayez.",
    "Error": "Erreur",
    # A page that does not exist (a mistyped address)
    "Page not found": "Page introuvable",
    "The page that you have requested does not seem to exist. Running the app's main page.": (
        "La page demandée n'existe pas : voici la page d'accueil."
    ),
    "file upload": "Choisir un fichier",
    "Delete": "Supprimer",
    # Tables
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Exit fullscreen": "Quitter le plein écran",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Add row": "Ajouter une ligne",
    "Delete row": "Supprimer la ligne",
    "Sort ascending": "Trier par ordre croissant",
    "Sort descending": "Trier par ordre décroissant",
    "Hide column": "Masquer la colonne",
    "Autosize": "Ajuster la largeur",
    "Pin column": "Épingler la colonne",
    "Unpin column": "Désépingler la colonne",
    "Format": "Format",
    # Charts (Plotly's toolbar; Vega's menu)
    "Download plot as a PNG": "Télécharger le graphique (PNG)",
    "Download plot": "Télécharger le graphique",
    "Zoom": "Zoomer",
    "Pan": "Déplacer",
    "Box Select": "Sélection rectangulaire",
    "Lasso Select": "Sélection au lasso",
    "Zoom in": "Zoom avant",
    "Zoom out": "Zoom arrière",
    "Autoscale": "Échelle automatique",
    "Reset axes": "Réinitialiser les axes",
    "Reset view": "Réinitialiser la vue",
    "Toggle Spike Lines": "Lignes de repère",
    "Show closest data on hover": "Valeur la plus proche au survol",
    "Compare data on hover": "Comparer au survol",
    "Produced with Plotly.js": "Réalisé avec Plotly.js",
}

#: Patterns (regular expressions, JavaScript syntax) → French replacement.
PATTERNS = [
    (r"^Help for (.+)$", "Aide : $1"),
    (r"^([\d,\u202f ]+) options? available\.?$", "$1 option(s) disponible(s)"),
    (r"^Made with Streamlit( v[\d.]+)?$", "Réalisé avec Streamlit$1"),
    (r"^option (.+), selected\.?$", "option $1, choisie"),
    (r"^Select (\d+) matches$", "Sélectionner les $1 résultats"),
    (
        r"^You can only select up to 1 option\. Remove an option first\.$",
        "Une seule réponse : retirez d'abord celle choisie.",
    ),
    (
        r"^You can only select up to (\d+) options\. Remove an option first\.$",
        "$1 réponses au plus : retirez-en une avant d'en choisir une autre.",
    ),
    (r"^Limit (\d+MB) per file(.*)$", "Limite : $1 par fichier$2"),
    (r"^(?:Error: )?File must be (\d+)(?:\.0)?MB or smaller\.$", "Fichier refusé : il doit peser au plus $1 Mo."),
    (r"^Remove (.+)$", "Retirer $1"),
    (r"^(\d+)\.(\d+)MB$", "$1,$2 Mo"),
    (r"^(.+), (\d+)\.(\d+)MB$", "$1, $2,$3 Mo"),
    (r"^(\d+)\.(\d+)KB$", "$1,$2 ko"),
    (r"^(\d+)\.(\d+)GB$", "$1,$2 Go"),
    (r"^(?:Error: )?File must be (.+) or smaller\.$", "Fichier refusé : il doit peser au plus $1."),
    (r"^(?:Error: )?(.+) files are not allowed\.$", "Fichier refusé : le type « $1 » n'est pas accepté ici."),
    (
        r"^You have requested page /(.*), but no corresponding file was found in the app's pages/ directory\. "
        r"Running the app's main page\.$",
        "La page « /$1 » n'existe pas : voici la page d'accueil.",
    ),
]

_SCRIPT = """<script>
(function () {
  const win = window, doc = win.document;
  doc.documentElement.lang = 'fr';
  if (doc.__cartoFrancais) return;
  doc.__cartoFrancais = true;
  const exact = __EXACT__;
  const patterns = __PATTERNS__.map(([p, r]) => [new RegExp(p), r]);
  const attributes = ['aria-label', 'title', 'placeholder', 'data-title', 'alt'];
  function french(value) {
    const text = value.trim();
    if (!text) return null;
    if (Object.prototype.hasOwnProperty.call(exact, text)) return value.replace(text, exact[text]);
    for (const [pattern, replacement] of patterns) {
      if (pattern.test(text)) return value.replace(text, text.replace(pattern, replacement));
    }
    // A toolbar button names what it acts on after a colon: « Fullscreen: Code QR… ».
    const colon = text.indexOf(': ');
    const head = colon > 0 ? text.slice(0, colon) : '';
    if (head && Object.prototype.hasOwnProperty.call(exact, head)) {
      return value.replace(text, exact[head] + ' : ' + text.slice(colon + 2));
    }
    return null;
  }
  function fix(node, deep = true) {
    if (node.nodeType === 3) {
      const value = french(node.nodeValue);
      if (value !== null && value !== node.nodeValue) node.nodeValue = value;
      return;
    }
    if (node.nodeType !== 1 || node.tagName === 'SCRIPT' || node.tagName === 'STYLE') return;
    for (const name of attributes) {
      const current = node.getAttribute(name);
      if (current) {
        const value = french(current);
        if (value !== null && value !== current) node.setAttribute(name, value);
      }
    }
    if (deep) for (const child of node.childNodes) fix(child);
  }
  fix(doc.documentElement);
  new win.MutationObserver(function (mutations) {
    for (const m of mutations) {
      if (m.type === 'childList') m.addedNodes.forEach((added) => fix(added));
      else fix(m.target, false);
    }
  }).observe(doc.documentElement, {subtree: true, childList: true, characterData: true,
                                   attributes: true, attributeFilter: attributes});
})();
</script>"""


def script() -> str:
    """The translating script (its dictionaries as JSON: nothing typed by a user goes into it)."""
    from cartographie.ui.adaptateur.page import js_value

    return _SCRIPT.replace("__EXACT__", js_value(FRENCH)).replace("__PATTERNS__", js_value(PATTERNS))
