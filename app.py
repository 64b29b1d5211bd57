"""Entry point: `streamlit run app.py`. Declares the pages; each page is a thin script in pages/."""

import streamlit as st

from cartographie import ui

with ui.entry_point():
    ui.configure_page()
    navigation = st.navigation(
        [
            st.Page("pages/accueil.py", title="Accueil", icon=":material/home:", default=True),
            st.Page("pages/carte.py", title="Carte des QPV", icon=":material/map:", url_path="carte"),
            st.Page("pages/contrats.py", title="Contrats de ville", icon=":material/handshake:", url_path="contrats"),
            st.Page("pages/rencontres.py", title="Rencontres", icon=":material/event:", url_path="rencontres"),
            st.Page("pages/cooperations.py", title="Coopérations", icon=":material/hub:", url_path="cooperations"),
            st.Page("pages/enquete.py", title="Répondre à l'enquête", icon=":material/edit_note:", url_path="enquete"),
            st.Page(
                "pages/resultats.py", title="Résultats de l'enquête", icon=":material/bar_chart:", url_path="resultats"
            ),
            st.Page("pages/direct.py", title="Mots-clés en direct", icon=":material/forum:", url_path="direct"),
            st.Page(
                "pages/importer.py", title="Importer des réponses", icon=":material/upload_file:", url_path="importer"
            ),
            st.Page(
                "pages/presentation.py",
                title="Écran de présentation",
                icon=":material/slideshow:",
                url_path="presentation",
            ),
            st.Page("pages/moderation.py", title="Contributions", icon=":material/rate_review:", url_path="moderation"),
        ]
    )
    navigation.run()
