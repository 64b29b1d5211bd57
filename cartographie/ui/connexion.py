"""Editors sign in as themselves: their organisation's OpenID Connect provider, or a personal account.

The person is read again from the database at every run of an editors' page
(:func:`cartographie.stockage.comptes.current`): an account disabled, a role changed, an address
taken off the allowlist take effect at the next click, in every process. The identity lives in
``st.session_state["editeur"]`` (the upload guard reads that key); signing out ends it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from cartographie import config
from cartographie.ui.cache import login_throttle, store

if TYPE_CHECKING:
    from cartographie.domaine.comptes import Identity

#: The session key of the signed-in person (an :class:`~cartographie.domaine.comptes.Identity`).
SESSION_KEY = "editeur"


def editor_signed_in() -> Identity | None:
    """The signed-in person as the database says now, or ``None`` with the ways to sign in shown."""
    base = store()
    provider = oidc_provider()
    if provider is not None and st.user.get("is_logged_in"):
        return _provider_identity(base)
    identity = st.session_state.get(SESSION_KEY)
    if identity is not None:
        now = signed_in_now()
        if now is not None:
            st.session_state[SESSION_KEY] = now
            return now
        del st.session_state[SESSION_KEY]
        st.error(
            "Votre session d'éditeur a pris fin : votre compte a été désactivé ou retiré. Reconnectez-vous, ou "
            "demandez à un administrateur.",
            icon=":material/lock:",
        )
    _sign_in(base, provider)
    return None


def signed_in_now() -> Identity | None:
    """The person signed in this session, read again from the database (``None``: nobody, or no longer)."""
    from cartographie.domaine.comptes import Identity
    from cartographie.stockage import comptes

    identity = st.session_state.get(SESSION_KEY)
    return comptes.current(store(), identity) if isinstance(identity, Identity) else None


def signed_in_banner(identity: Identity) -> None:
    """Who is signed in, with which role, a notice for the shared account, and « Se déconnecter »."""
    from cartographie.domaine.comptes import ROLES
    from cartographie.ui.mise_en_page import md_escape

    st.success(f"Connecté : {md_escape(identity.label)} — rôle {ROLES[identity.role].lower()}.")
    if identity.methode == "commun":
        st.info(
            "Vous êtes connecté avec le **compte commun** (le mot de passe partagé) : le journal ne peut pas "
            "prouver qui a agi. Un administrateur peut créer un compte personnel pour chaque éditeur "
            "(onglet « Comptes », ou `python -m cartographie.auth creer`).",
            icon=":material/group:",
        )
    if st.button("Se déconnecter", key="editeur_deconnexion"):
        st.session_state.pop(SESSION_KEY, None)
        if identity.methode == "oidc":
            st.logout()  # ends the provider's cookie too and reloads the app (a rerun would cancel that)
        else:
            st.rerun()


def oidc_provider() -> str | None:
    """The configured OpenID Connect provider's name (``""``: the default one), or ``None`` when none is."""
    try:
        auth = st.secrets.get("auth")
    except Exception:  # no secrets file
        return None
    if not hasattr(auth, "get") or not auth.get("redirect_uri") or not auth.get("cookie_secret"):
        return None
    if auth.get("client_id") and auth.get("server_metadata_url"):
        return ""
    for name, section in auth.items():
        if hasattr(section, "get") and section.get("client_id") and section.get("server_metadata_url"):
            return str(name)
    return None


def _provider_identity(base) -> Identity | None:
    """The person the provider signed in, kept for the session once the allowlist accepts them."""
    from cartographie.stockage import comptes

    claims = st.user.to_dict()
    email = str(claims.get("email") or "").strip().lower()
    kept = st.session_state.get(SESSION_KEY)
    refused = "Votre accès d'éditeur a été retiré : demandez à un administrateur de vous ajouter à nouveau."
    if kept is not None and getattr(kept, "methode", "") == "oidc" and kept.identifiant == email:
        now = comptes.current(base, kept)
    else:
        found = comptes.oidc_identity(base, claims)
        now, refused = (None, found) if isinstance(found, str) else (found, refused)
    if now is None:
        st.session_state.pop(SESSION_KEY, None)
        st.error(refused, icon=":material/lock:")
        if st.button("Se déconnecter du fournisseur d'identité", key="oidc_deconnexion"):
            st.logout()
        return None
    st.session_state[SESSION_KEY] = now
    return now


def _sign_in(base, provider: str | None) -> None:
    """The ways to sign in this server offers, or how to open the editors' space."""
    from cartographie.stockage import comptes
    from cartographie.stockage.connexion import configured_hash

    shared = configured_hash(_secrets())
    local = comptes.has_local_accounts(base)
    if provider is not None:
        label = "ProConnect" if provider.lower() == "proconnect" else "le compte de votre organisation"
        if st.button(f"Se connecter avec {label}", key="oidc_connexion", type="primary"):
            _attempts().note(_browser_key())
            if provider:
                st.login(provider)
            else:
                st.login()
    if local or shared:
        _password_form(base, shared, with_provider=provider is not None)
    elif provider is None:
        st.warning(
            "L'espace des éditeurs est fermé : aucun compte d'éditeur ni fournisseur d'identité n'est configuré.",
            icon=":material/lock:",
        )
        st.markdown(
            "Pour l'ouvrir, sur le serveur : créez un compte administrateur avec "
            "`python -m cartographie.auth creer IDENTIFIANT --nom NOM --role administrateur`, ou configurez un "
            "fournisseur d'identité (section `[auth]` de `.streamlit/secrets.toml`, voir le README). Les "
            f"installations antérieures gardent le mot de passe partagé (`{config.EDITOR_HASH_ENV}`)."
        )


def _password_form(base, shared: str, *, with_provider: bool) -> None:
    """Identifier and password: a personal account, or (earlier installations) the shared password."""
    from cartographie.stockage import comptes

    if with_provider:
        st.markdown("Ou, avec un compte personnel de cette application :")
    with st.form("connexion_editeur"):
        identifiant = st.text_input(
            "Identifiant",
            key="editeur_identifiant",
            max_chars=254,
            help="Votre adresse électronique ou nom de connexion"
            + (" ; avec le mot de passe partagé, votre nom." if shared else "."),
        )
        mot_de_passe = st.text_input("Mot de passe", type="password", key="editeur_mdp", max_chars=200)
        envoye = st.form_submit_button("Se connecter", key="editeur_connexion")
    if not envoye:
        return
    if not identifiant.strip():
        st.error("Indiquez votre identifiant : il est inscrit au journal de chaque action.")
        return
    source = _source()
    verdict = login_throttle().attempt_with(
        source, lambda: comptes.authenticate(base, identifiant, mot_de_passe, shared) or False
    )
    if verdict:
        st.session_state[SESSION_KEY] = verdict
        st.rerun()
    elif verdict is None:
        attente = max(1, round(login_throttle().wait(source)))
        st.error(f"Trop d'essais de connexion : réessayez dans {attente} s.", icon=":material/timer:")
    else:
        st.error("Identifiant ou mot de passe incorrect. Après plusieurs échecs, les essais sont espacés.")


def provider_outcome() -> None:
    """On the page a browser comes back to from the provider: say in French that the sign-in failed, if it did.

    Streamlit exchanges the provider's code for a token and checks it (issuer, audience, expiry,
    nonce, state); when anything is wrong it writes no identity and sends the browser to the home
    page, saying nothing. The app remembers, for a few minutes, that this browser went to sign in
    (:class:`Attempts`): back without an identity, it was refused.
    """
    if oidc_provider() is None:
        return
    went = _attempts().take(_browser_key())
    if went and not st.user.get("is_logged_in"):
        st.error(
            "La connexion par le fournisseur d'identité n'a pas abouti : vous n'êtes pas connecté et rien n'a été "
            "enregistré. Le fournisseur a refusé, ou sa réponse n'a pas pu être vérifiée (émetteur, destinataire, "
            "jeton expiré ou retour modifié). Réessayez depuis la page « Contributions » ; si cela se répète, "
            "l'administrateur du serveur en trouvera la raison dans son journal.",
            icon=":material/lock:",
        )


class Attempts:
    """Browsers that left for the provider in the last minutes (by a hash of their XSRF token), in this process."""

    def __init__(self, keep: float = 600.0, most: int = 10_000) -> None:
        import threading

        self._lock = threading.Lock()
        self._left: dict[str, float] = {}
        self.keep, self.most = keep, most

    def note(self, key: str | None) -> None:
        """Remember that a browser leaves for the provider (at most ``most`` at once, the expired dropped first)."""
        import time

        if key is None:
            return
        with self._lock:
            now = time.monotonic()
            if len(self._left) >= self.most:
                self._left = {k: t for k, t in self._left.items() if now - t < self.keep}
            if len(self._left) < self.most:
                self._left[key] = now

    def take(self, key: str | None) -> bool:
        """Whether this browser left for the provider lately (forgotten once asked)."""
        import time

        if key is None:
            return False
        with self._lock:
            at = self._left.pop(key, None)
        return at is not None and time.monotonic() - at < self.keep


@st.cache_resource(show_spinner=False)
def _attempts() -> Attempts:
    return Attempts()


def _browser_key() -> str | None:
    """:func:`browser_key` of this browser's XSRF cookie (``None`` outside a browser)."""
    try:
        return browser_key(str(st.context.cookies.get("_streamlit_xsrf") or ""))
    except Exception:  # no browser context (tests)
        return None


def browser_key(cookie: str) -> str | None:
    """A hash of the XSRF token a cookie carries (the same across a browser's sessions), or ``None``.

    The cookie is Tornado's format 2, ``2|mask|masked token|time`` in hexadecimal, which Streamlit
    keeps: the token is the masked token XOR the mask, the mask changing at every page load.
    Anything else gives ``None`` (then no message is shown, and nothing else changes).
    """
    import hashlib

    raw = cookie.strip("\"'")
    parts = raw.split("|")
    if len(raw) > 300 or len(parts) != 4 or parts[0] != "2":
        return None
    try:
        mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
    except ValueError:
        return None
    if not mask or not masked:
        return None
    token = bytes(m ^ mask[i % len(mask)] for i, m in enumerate(masked))
    return hashlib.sha256(token + parts[3].encode()).hexdigest()


def _secrets() -> dict:
    try:
        return dict(st.secrets)
    except Exception:  # no secrets file
        return {}


def _source() -> str:
    """The network address a sign-in comes from (its budget of attempts), « local » when unknown."""
    try:
        return str(st.context.ip_address or "local")
    except Exception:  # no browser context (tests)
        return "local"


def allowed(identity: Identity | None, action: str) -> bool:
    """Whether ``identity``'s role allows ``action``; else the French refusal is shown and nothing else of it.

    The store refuses again when the action is written (its audit entry): a replayed widget message
    finds neither the widget nor a way around the role.
    """
    from cartographie.domaine.comptes import may, refusal

    if may(identity, action):
        return True
    st.info(refusal(identity, action), icon=":material/lock:")
    return False
