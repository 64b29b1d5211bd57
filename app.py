"""Entry point: `streamlit run app.py`. Declares the pages; each page is a thin script in pages/."""

import streamlit as st

st.set_page_config(
    page_title="Cartographie des contrats de ville – Grand Est",
    page_icon=":material/map:",
    layout="wide",
    menu_items={"About": "Cartographie des coopérations, contrats de ville et QPV du Grand Est (logiciel libre)."},
)

navigation = st.navigation(
    [
        st.Page("pages/accueil.py", title="Accueil", icon=":material/home:", default=True),
        st.Page("pages/carte.py", title="Carte des QPV", icon=":material/map:", url_path="carte"),
    ]
)
navigation.run()
