"""Live keywords for a room: participants send one keyword from their phone; the projector shows them live.

``/direct`` is the participant's light page (the form; the room's keywords on demand);
``/direct?ecran=1`` is the projector's (the QR code and the chart refreshing by itself).
"""

from urllib.parse import quote

import streamlit as st

from cartographie.ui import mise_en_page, salle

mise_en_page.page_with_no_reference("Un mot-clé qui rend la coopération possible")
session = salle.keyword_session()
adresse = salle.keyword_page_url(session)

if st.query_params.get("ecran") == "1":
    salle.loopback_warning(adresse)
    graphique, qr = st.columns([3, 1], gap="large")
    with qr:
        st.markdown("**Votre mot-clé, depuis un téléphone :**")
        salle.qr_code(adresse, caption="Ou tapez l'adresse", width=300)
    with graphique:
        salle.live_keywords(session, top=15, font_size=18)
else:
    jeton = salle.participant_token()
    st.markdown(
        "En un mot ou une courte expression : **qu'est-ce qui rend la coopération possible ?** "
        f"Votre mot s'affiche à l'écran de la salle, sans votre nom ({salle.keywords_allowance()})."
    )
    with st.form("mot_cle", clear_on_submit=True):
        mot = st.text_input("Votre mot-clé", max_chars=60, key="mot_cle_saisie")
        envoye = st.form_submit_button("Envoyer", key="mot_cle_envoyer", type="primary", width="stretch")
    if envoye:
        salle.submit_keyword(session, mot, jeton)
    if st.toggle("Voir les mots de la salle", key="direct_voir"):
        salle.keywords_view(session)
        st.button("Actualiser", key="direct_actualiser", icon=":material/refresh:")
    # A toggle rather than an expander: the QR code is not even sent to the phones that do not ask for it.
    if st.toggle("Animer la salle : code QR et écran en direct", key="direct_animer"):
        salle.loopback_warning(adresse)
        salle.qr_code(adresse, caption="Pour participer depuis un téléphone")
        st.markdown(
            f"[Ouvrir l'écran de la salle : code QR et mots en direct](direct?session={quote(session)}&ecran=1)"
        )
