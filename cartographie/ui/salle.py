"""A room on the day, in Streamlit: the public address and its QR codes, and the live keywords.

Participants (phones) get a light page that sends; the chart that refreshes by itself belongs on
the projector (``/direct?ecran=1`` or the presentation's keywords slide). The counts are computed
once per interval for every viewer, and the keyword limits (``domaine.salle``) are counted in the database
(``stockage.limites``), the same for every process.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
import socket

import streamlit as st

from cartographie import config
from cartographie.ui import mise_en_page
from cartographie.ui.cache import qr_png, store

#: Seconds between two refreshes of the projector's chart; the shared counts live half as long.
REFRESH_SECONDS = 5
#: The cookie that remembers a participant's browser (a random token, nothing else) for the limits.
PARTICIPANT_COOKIE = "carto_participant"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


# --- The address phones open ------------------------------------------------------------------


def public_address() -> str:
    """The address QR codes and links open: the configured one, else the one this browser used."""
    from cartographie.domaine.salle import address_from_headers

    configured = config.configured_public_address()
    if configured:
        return configured
    try:
        headers = dict(st.context.headers)
    except Exception:
        headers = {}
    return address_from_headers(headers) or config.DEFAULT_PUBLIC_ADDRESS


def _network_addresses() -> list[str]:
    """The addresses of this machine on its networks (no packet is sent: a UDP socket only picks a route)."""
    found: list[str] = []
    for target in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect((target, 1))
                ip = probe.getsockname()[0]
        except OSError:
            continue
        if ip and not ip.startswith("127.") and ip not in found:
            found.append(ip)
    return found


def loopback_warning(address: str) -> None:
    """Say plainly when phones in the room cannot open ``address``, and how to fix it."""
    from urllib.parse import urlsplit

    from cartographie.domaine.salle import is_loopback

    if not is_loopback(address):
        return
    port = urlsplit(address).port
    suggestions = [f"http://{ip}:{port}" if port else f"http://{ip}" for ip in _network_addresses()]
    hint = (
        f" Depuis le réseau de la salle, cet ordinateur répond peut-être à {', '.join(suggestions)} : "
        "ouvrez cette page à cette adresse (le serveur doit écouter sur le réseau, "
        "`./scripts/lancer.sh --server.address 0.0.0.0`)"
        if suggestions
        else " Lancez le serveur sur le réseau de la salle (`./scripts/lancer.sh --server.address 0.0.0.0`) et "
        "ouvrez cette page à l'adresse de l'ordinateur sur ce réseau"
    )
    message = (
        f"Les codes QR ouvrent {address}, une adresse que seul cet ordinateur peut ouvrir : "
        f"les téléphones de la salle ne pourront pas s'y connecter.{hint}, ou donnez l'adresse publique "
        "dans la variable CARTOGRAPHIE_ADRESSE_PUBLIQUE."
    )
    st.warning(message, icon=":material/wifi_off:")


def qr_code(url: str, *, caption: str | None, width: int = 220) -> None:
    """A QR code opening ``url`` (drawn here, offline, once per address), with the address below it.

    Sent as PNG: Streamlit's default JPEG would blur the modules' edges.
    """
    png = qr_png(url, width)
    from PIL import Image

    native = Image.open(io.BytesIO(png)).width  # drawn at its own size: Streamlit would resample a larger one
    st.image(png, width=native, output_format="PNG", alt=f"Code QR qui ouvre l'adresse {url}")
    if caption:  # the address as code: legible, not turned into a pale link
        st.markdown(f"{caption} : `{url}`")


# --- Live keywords ----------------------------------------------------------------------------


def keyword_session() -> str:
    """The live-keyword session of the URL (``?session=``), else today's date; kept in the URL.

    A name that is not one (brackets, a link, control characters, over 60 characters) is replaced
    by today's date, and the visitor is told.
    """
    from cartographie.domaine.salle import SESSION_MAX, session_name

    asked = st.query_params.get("session", "")
    session = session_name(asked)
    if session is None:
        if str(asked).strip():
            st.warning(
                f"Nom de session non valable dans l'adresse : lettres, chiffres, espaces et « - _ . ' » "
                f"seulement, {SESSION_MAX} caractères au plus. La session du jour est ouverte à la place.",
                icon=":material/warning:",
            )
        session = dt.date.today().isoformat()
    st.query_params["session"] = session
    return session


def keywords_allowance() -> str:
    """How many keywords a participant may send, said to them."""
    from cartographie.domaine.salle import KEYWORDS_PER_PARTICIPANT

    return f"{KEYWORDS_PER_PARTICIPANT} mots-clés au plus par personne"


def keyword_page_url(session: str) -> str:
    """Public address of the page where participants type their keyword."""
    from urllib.parse import quote

    return f"{public_address()}/direct?session={quote(session)}"


def participant_token() -> str:
    """The random participant token of this browser: from its cookie, else a new one that a cookie keeps.

    A reload or a new tab sends the cookie back, so the limit holds; nothing identifies the
    person (the token is random, and the database keeps only a hash of it beside the keyword).
    """
    try:
        cookie = str(st.context.cookies.get(PARTICIPANT_COOKIE, ""))
    except Exception:
        cookie = ""
    if _TOKEN.match(cookie):
        return cookie
    token = st.session_state.setdefault("participant_jeton", secrets.token_urlsafe(18))
    from cartographie.ui.adaptateur import page

    page.set_cookie(PARTICIPANT_COOKIE, token, max_age_s=30 * 24 * 3600)
    return token


def _network() -> str:
    try:
        return str(st.context.ip_address or "local")
    except Exception:
        return "local"


def refused_words() -> tuple[str, ...]:
    """The refused words: the authored list and those the organisers added.

    The organisers' list is read again every 5 seconds at most (once per keyword sent, it was a tenth
    of a process's time in a room); this process forgets it at once when an editor saves it here.
    """
    return (*_authored_refused_words(), *_organisers_refused_words(config.database_url()))


@st.cache_data(ttl=REFRESH_SECONDS, max_entries=8, show_spinner=False)
def _organisers_refused_words(database: str) -> tuple[str, ...]:
    from cartographie.domaine.salle import REFUSED_WORDS_SETTING

    return tuple(store().setting(REFUSED_WORDS_SETTING, []))


def forget_refused_words() -> None:
    """Read the organisers' refused words again at the next keyword (after an editor saved them)."""
    _organisers_refused_words.clear()


@st.cache_resource(show_spinner=False)
def _authored_refused_words() -> tuple[str, ...]:
    from cartographie.lecture.mots_refuses import load_refused_words

    return load_refused_words()


def page_opened():
    """When this participant's page was opened (UTC): a person reads and types before sending."""
    import datetime as dt

    return st.session_state.setdefault("salle_ouverte", dt.datetime.now(dt.UTC))


def submit_keyword(session: str, mot: str, token: str) -> bool:
    """Store one participant's keyword within the limits; says the outcome in French, every refusal with its reason."""
    from cartographie.domaine.contributions import ValidationError, validate_keyword
    from cartographie.domaine.salle import KEYWORDS_PER_PARTICIPANT, network_key, participant_key, refused_word
    from cartographie.stockage.limites import add_keyword_within

    participant, network = participant_key(token, session), _network()
    try:
        value = validate_keyword(mot)
    except ValidationError as error:
        st.error(" ".join(error.messages))
        return False
    if refused_word(value, refused_words()):
        st.error("Ce mot n'est pas accepté sur l'écran de la salle : proposez-en un autre.")
        return False
    base = store()
    reseau = network_key(network, session, base.network_key())
    verdict = add_keyword_within(base, session, value, participant=participant, reseau=reseau, opened=page_opened())
    if not verdict.accepted:
        st.warning(verdict.message, icon=":material/hourglass_top:")
        return False
    forget_counts()  # the sender and the projector see the new keyword at once
    restant = KEYWORDS_PER_PARTICIPANT - verdict.sent
    suite = (
        (f" Vous pouvez en proposer encore {restant}." if restant > 1 else " Vous pouvez en proposer encore un.")
        if restant
        else ""
    )
    st.success(f"Merci ! Votre mot est ajouté au nuage de la salle.{suite}", icon=":material/check_circle:")
    return True


@st.cache_data(ttl=REFRESH_SECONDS / 2, max_entries=64, show_spinner=False)
def _keyword_counts(database: str, session: str):
    from cartographie.domaine.enquete.mots_cles import keyword_frequencies

    mots = [k["mot"] for k in store().keywords(session)]
    return keyword_frequencies(mots), len(mots)


def forget_counts() -> None:
    """Drop the shared counts (after a keyword is stored or hidden): the next viewer recomputes them."""
    _keyword_counts.clear()


def session_keywords(session: str):
    """The visible keywords of a live session, counted once folded (and how many were sent).

    Shared by every viewer: computed at most once per half refresh interval, whatever the number
    of screens and phones looking at it.
    """
    return _keyword_counts(config.database_url(), session)


def keywords_title(session: str, n: int) -> str:
    """The chart's title: the session and how many keywords it received."""
    return f"Mots-clés de la session « {session} » ({n} contribution{'s' if n > 1 else ''})"


def keywords_view(session: str, *, top: int = 15, font_size: int = 13, key: str = "direct") -> None:
    """The keywords of a live session as they are now (chart and table)."""
    from cartographie.rendu.graphiques import keyword_figure

    table, n = session_keywords(session)
    if table.empty:
        st.info("Aucun mot-clé pour l'instant : scannez le code QR et proposez le vôtre.", icon=":material/forum:")
        return
    graphique, tableau = st.tabs(["Graphique", "Tableau"])
    with graphique:
        st.plotly_chart(
            keyword_figure(table, keywords_title(session, n), top=top, font_size=font_size),
            width="stretch",
            key=f"{key}_graphique",
            config={"displayModeBar": False},
        )
    with tableau:
        mise_en_page.table(table.drop(columns="Forme comparée"), key=f"{key}_tableau", name=keywords_title(session, n))


def projector_page(session: str) -> None:
    """The room's screen: the QR code to join, and the chart refreshing by itself, built like a slide."""
    from cartographie.ui.presentation import keywords_projector

    keywords_projector(session, REFRESH_SECONDS)


def participant_page(session: str) -> None:
    """A phone's light page: the form, the room's keywords on demand, the organiser's tools behind a toggle."""
    from urllib.parse import quote

    jeton = participant_token()
    page_opened()
    st.markdown(
        "En un mot ou une courte expression : **qu'est-ce qui rend la coopération possible ?** "
        f"Votre mot s'affiche à l'écran de la salle, sans votre nom ({keywords_allowance()})."
    )
    with st.form("mot_cle", clear_on_submit=True):
        mot = st.text_input("Votre mot-clé", max_chars=60, key="mot_cle_saisie")
        envoye = st.form_submit_button("Envoyer", key="mot_cle_envoyer", type="primary", width="stretch")
    if envoye:
        submit_keyword(session, mot, jeton)
    if st.toggle("Voir les mots de la salle", key="direct_voir"):
        keywords_view(session)
        st.button("Actualiser", key="direct_actualiser", icon=":material/refresh:")
    # A toggle rather than an expander: the QR code is not even sent to the phones that do not ask for it.
    if st.toggle("Animer la salle : code QR et écran en direct", key="direct_animer"):
        adresse = keyword_page_url(session)
        loopback_warning(adresse)
        qr_code(adresse, caption="Pour participer depuis un téléphone")
        st.markdown(
            f"[Ouvrir l'écran de la salle : code QR et mots en direct](direct?session={quote(session)}&ecran=1)"
        )
    st.markdown("[Découvrir le tableau de bord : carte des quartiers, contrats de ville, rencontres](./)")
