"""Live keywords for a room: participants type one keyword from their phone; the chart refreshes by itself."""

import streamlit as st

from cartographie.ui import enquete, mise_en_page

mise_en_page.page_with_no_reference("Un mot-clé qui rend la coopération possible")
session = enquete.keyword_session()
adresse = enquete.keyword_page_url(session)

saisie, qr = st.columns([2, 1], gap="large")
with saisie:
    st.markdown(
        "En un mot ou une courte expression : **qu'est-ce qui rend la coopération possible ?** "
        "Votre mot s'affiche à l'écran, sans votre nom."
    )
    with st.form("mot_cle", clear_on_submit=True):
        mot = st.text_input("Votre mot-clé", max_chars=60, key="mot_cle_saisie")
        envoye = st.form_submit_button("Envoyer", key="mot_cle_envoyer", type="primary")
    if envoye:
        enquete.submit_keyword(session, mot)
with qr:
    enquete.qr_code(adresse, caption="Pour participer depuis un téléphone")

enquete.live_keywords(session)
st.caption(
    f"Session « {session} » (à choisir dans l'adresse : ?session=…). L'équipe éditoriale peut masquer un mot "
    "déplacé depuis l'espace « Contributions »."
)
