"""Presentation screen for a room: large slides built from the live data, self-advancing, offline."""

import streamlit as st

from cartographie.ui import mise_en_page, presentation

if st.query_params.get("ecran") == "1":
    ref = mise_en_page.reference_or_stop()
    presentation.slideshow(ref, presentation.presentation_settings(ref))
else:
    ref = mise_en_page.page("Écran de présentation")
    st.markdown(
        "Pour une salle : des diapositives en grands caractères, construites à partir des données du tableau de "
        "bord, qui défilent seules. Choisissez les diapositives, leur ordre et le territoire, puis lancez."
    )
    presentation.presentation_setup(ref, presentation.presentation_settings(ref))
