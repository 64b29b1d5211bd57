"""Presentation screen for a room: large slides built from the live data, self-advancing, offline."""

import streamlit as st

from cartographie import ui

if st.query_params.get("ecran") == "1":
    ref = ui.reference_or_stop()
    ui.slideshow(ref, ui.presentation_settings(ref))
else:
    ref = ui.page("Écran de présentation")
    st.markdown(
        "Pour une salle : des diapositives en grands caractères, construites à partir des données du tableau de "
        "bord, qui défilent seules. Choisissez les diapositives, leur ordre et le territoire, puis lancez."
    )
    ui.presentation_setup(ref, ui.presentation_settings(ref))
