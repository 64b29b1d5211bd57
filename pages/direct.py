"""Live keywords for a room: participants send one keyword from their phone; the projector shows them live.

``/direct`` is the participant's light page (the form; the room's keywords on demand);
``/direct?ecran=1`` is the projector's (the QR code and the chart refreshing by itself).
"""

import streamlit as st

from cartographie.ui import mise_en_page, salle

mise_en_page.plain_page("Un mot-clé qui rend la coopération possible")
session = salle.keyword_session()
if st.query_params.get("ecran") == "1":
    salle.projector_page(session)
else:
    salle.participant_page(session)
