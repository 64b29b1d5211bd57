"""Entry point: `streamlit run app.py`. Declares the pages; each page is a thin script in pages/."""

import streamlit as st

from cartographie.ui import connexion, mise_en_page
from cartographie.ui.adaptateur import internes

with internes.entry_point():
    mise_en_page.configure_page()
    page = st.Page
    sections = {
        "": [page("pages/accueil.py", title="Accueil", icon=":material/home:", default=True)],
        "Territoires": [
            page("pages/carte.py", title="Carte des QPV", icon=":material/map:", url_path="carte"),
            page("pages/contrats.py", title="Contrats de ville", icon=":material/handshake:", url_path="contrats"),
        ],
        "Coopération": [
            page("pages/rencontres.py", title="Rencontres", icon=":material/event:", url_path="rencontres"),
            page("pages/cooperations.py", title="Coopérations", icon=":material/hub:", url_path="cooperations"),
        ],
        "Enquête": [
            page("pages/enquete.py", title="Répondre à l'enquête", icon=":material/edit_note:", url_path="enquete"),
            page("pages/resultats.py", title="Résultats", icon=":material/bar_chart:", url_path="resultats"),
        ],
        "En salle": [
            page("pages/direct.py", title="Mots-clés en direct", icon=":material/forum:", url_path="direct"),
            page(
                "pages/presentation.py",
                title="Écran de présentation",
                icon=":material/slideshow:",
                url_path="presentation",
            ),
        ],
        "Éditeurs": [
            page(
                "pages/importer.py",
                title="Importer des réponses",
                icon=":material/upload_file:",
                url_path="importer",
            ),
            page("pages/moderation.py", title="Contributions", icon=":material/rate_review:", url_path="moderation"),
        ],
    }
    # Streamlit's own menu nests its items in a way screen readers misread (a list holding
    # headings and lists): the app draws its menu itself, with the same pages (mise_en_page.menu).
    navigation = st.navigation(sections, position="hidden")
    # A phone in the room (/direct, not the projector's ?ecran=1) gets its form alone, without the sidebar:
    # fewer elements to send and draw for each of a room's phones (a link on the page leads to the rest).
    if navigation.url_path != "direct" or st.query_params.get("ecran") == "1":
        mise_en_page.menu(sections)
    connexion.provider_outcome()  # back from the identity provider without an identity: say so
    navigation.run()
    mise_en_page.run_ended()
