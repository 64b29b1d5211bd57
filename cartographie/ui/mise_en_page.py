"""Page set-up shared by every page: title, settings, static assets, data errors, French helpers."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from cartographie import config
from cartographie.lecture.erreurs import MissingReferenceData, ReferenceDataError
from cartographie.ui import cache
from cartographie.ui.adaptateur import internes
from cartographie.ui.cache import reference

if TYPE_CHECKING:  # the heavy modules are imported where used, so that cached pages start light
    from cartographie.lecture.reference import ReferenceData
    from cartographie.lecture.sources import SourceFile


def show_data_error(error: ReferenceDataError, *, blocking: bool = True) -> None:
    """Explain in French what is wrong with the reference data and how to fix it.

    The server's folder is named to editors only. ``blocking``: the page stops (an error);
    otherwise it goes on without the data (a warning saying what is missing).
    """
    show = st.error if blocking else st.warning
    if isinstance(error, MissingReferenceData):
        show(
            "Les données de référence (QPV, contrats de ville, territoires) sont introuvables.",
            icon=":material/folder_off:",
        )
        where = f"- Dossier consulté : `{html.escape(str(error.dossier))}`\n" if is_editor() else ""
        st.markdown(
            f"{where}- Fichier(s) manquant(s) : {html.escape(', '.join(error.manquants))}\n\n"
            f"**Pour les obtenir**, sur une machine reliée à Internet : `{error.commande}`\n\n"
            f"**Hors ligne**, indiquez un dossier local contenant ces fichiers avec la variable "
            f"d'environnement `{error.variable}` (voir le README)."
        )
    else:
        show(f"Les données de référence sont inutilisables. {md_escape(error)}", icon=":material/error:")
        st.markdown(f"Remplacez le fichier en cause, ou relancez la mise à jour : `{config.UPDATE_COMMAND}`.")


#: Session keys: the address this session last wrote, and whether this run's address came from outside.
_WRITTEN_ADDRESS = "_adresse_ecrite"
_OUTSIDE_ADDRESS = "_adresse_exterieure"


def _note_address() -> None:
    """Whether this run's address came from outside: a link, the browser's back or forward button, a typed address.

    The pages keep their view in the address; an address holding a view that this session did
    not write must be shown as it says, over the widgets' state. (An address without any
    parameter, as the navigation's links give, keeps the session's view.)
    """
    address = st.query_params.to_dict()
    st.session_state[_OUTSIDE_ADDRESS] = bool(address) and address != st.session_state.get(_WRITTEN_ADDRESS)


def address_from_outside() -> bool:
    """Whether this run's address holds a view this session did not write (see :func:`_note_address`)."""
    return bool(st.session_state.get(_OUTSIDE_ADDRESS))


def remember_address() -> None:
    """Record the address the page has just written, so that the next run knows it as its own."""
    st.session_state[_WRITTEN_ADDRESS] = st.query_params.to_dict()


def configure_page() -> None:
    """Title, favicon and wide layout; called by the entry point and again by each page."""
    if internes.leave_legacy_multipage_mode():
        st.rerun()
    cache.refresh_data_key()
    _note_address()
    st.set_page_config(
        page_title="Cartographie des contrats de ville – Grand Est",
        # A local image: a Material icon here would make the browser fetch the favicon from Google.
        page_icon=str(config.STATIC_DIR / "favicon.png"),
        layout="wide",
        menu_items={"About": "Cartographie des coopérations, contrats de ville et QPV du Grand Est (logiciel libre)."},
    )


def reference_or_stop() -> ReferenceData:
    """Set up a screen without a title (the presentation) and return the reference data, or stop in French."""
    configure_page()
    ensure_leaflet_assets()
    return _reference_or_error()


#: The pages' own classes: the menu's section names, the survey's errors at their question (the styles
#: on Streamlit's own elements are in :mod:`cartographie.ui.adaptateur.page`).
OWN_CSS = """<style>
.menu-section { margin: .75rem 0 0 .5rem; font-size: .85rem; font-weight: 600; color: #3d4451; }
.enquete-erreur { color: #8b0000; background: #fdecea; border-left: 4px solid #b00020; padding: 6px 12px;
  margin: 0.75rem 0 -0.5rem 0; font-weight: 600; scroll-margin-top: 5rem; }
</style>"""


def menu(sections: dict) -> None:
    """The app's menu in the sidebar: section names, then a link to each page (the current one marked).

    Links and plain text only, so that screen readers hear a simple sequence of links (Streamlit's
    own menu nests lists in a way axe-core reports as serious).
    """
    with st.sidebar, st.container(key="menu"):
        for section, pages in sections.items():
            if section:
                st.html(f'<p class="menu-section">{html.escape(section)}</p>')
            for page in pages:
                st.page_link(page, label=page.title, icon=page.icon)


#: Session keys of the to-the-top script: its number, and whether a run that sent it has not ended yet.
_TOP_COUNT = "_vers_le_haut"
_TOP_PENDING = "_vers_le_haut_en_attente"


def _title(title: str) -> None:
    from cartographie.ui.adaptateur import page

    # A view opened from a link, the back button or a typed address starts at the top, where its sheet is.
    # Numbered in its text, so that the browser runs the script again each time (the same element would not be run
    # twice). Sent again by the next runs until one has ended: a run interrupted by a rerun may not have
    # delivered it, and the next run no longer sees the address as coming from outside (seen: the
    # meeting's sheet opened 2 433 px down, the contrat page's scroll, without the script).
    if address_from_outside():
        st.session_state[_TOP_COUNT] = st.session_state.get(_TOP_COUNT, 0) + 1
        st.session_state[_TOP_PENDING] = True
    page.every_page(
        OWN_CSS, from_outside=bool(st.session_state.get(_TOP_PENDING)), count=st.session_state.get(_TOP_COUNT, 0)
    )
    st.title(title)


def run_ended() -> None:
    """Called when a page's run has ended without being interrupted: the to-the-top script, if any, is delivered."""
    st.session_state[_TOP_PENDING] = False


def page(title: str) -> ReferenceData:
    """Set up a page (title, static assets) and return the reference data, or stop with a French message."""
    configure_page()
    ensure_leaflet_assets()
    _title(title)
    return _reference_or_error()


def page_with_optional_reference(title: str, *, uses: str = "") -> ReferenceData | None:
    """Set up a page that works without the reference data: the data if usable, else ``None`` and a warning.

    ``uses`` says what the page would take from the data (« la liste des départements… »).
    """
    configure_page()
    _title(title)
    try:
        return reference()
    except ReferenceDataError as error:
        show_data_error(error, blocking=False)
        st.info(
            "Cette page fonctionne sans les données de référence" + (f" ; seul manque {uses}" if uses else "") + ".",
            icon=":material/info:",
        )
        return None


def plain_page(title: str) -> None:
    """Set up a page that never needs the reference data (live keywords, moderation)."""
    configure_page()
    _title(title)


def _reference_or_error() -> ReferenceData:
    try:
        return reference()
    except ReferenceDataError as error:
        show_data_error(error)
        st.stop()
        raise  # unreachable: st.stop() ends the script run


def ensure_leaflet_assets(target: Path | None = None) -> Path:
    """Copy Leaflet from its PyPI package into the static folder the app serves (once)."""
    from xstatic.pkg import leaflet as xstatic_leaflet  # imported here: only needed on first copy

    source = Path(xstatic_leaflet.BASE_DIR)
    target = target or config.static_dir() / "leaflet"
    marker = target / "leaflet.js"
    if marker.is_file() and marker.stat().st_size == (source / "leaflet.js").stat().st_size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging, ignore=shutil.ignore_patterns("*.map", "*-src*"))
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def static_url(path: str) -> str:
    """Address of a file of the app's static folder (``server.baseUrlPath`` included)."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return f"{prefix}/app/static/{path}"


def leaflet_urls() -> tuple[str, str]:
    """Addresses of Leaflet's script and style sheet, served by this app."""
    return static_url("leaflet/leaflet.js"), static_url("leaflet/leaflet.css")


def source_caption(*sources: SourceFile, short: bool = False) -> None:
    """A caption naming the sources, with their producer and vintage, under a figure (``short``: on a slide)."""
    text = " ; ".join(s.mention if short else s.citation for s in sources)
    st.caption(f"Source{'s' if len(sources) > 1 else ''} : {md_escape(text)}")


def md_escape(text: object) -> str:
    """Text safe to place inside Streamlit markdown: shown as typed, never as markup nor as a link.

    Every markdown or HTML character is backslash-escaped (Streamlit does not render raw HTML in
    markdown; escaping ``<`` and ``>`` as well keeps a typed tag visible as text instead of
    vanishing). Streamlit's markdown also turns any ``http://…``, ``www.…`` or e-mail address of
    the text into a link, escapes or not: a word joiner (U+2060, invisible) after ``http``, ``www``
    and ``@`` keeps them text. For labels only (buttons, links' labels); a list's options show
    text as it is, unescaped.
    """
    return _AUTOLINK.sub("\\1\u2060", _escape_markup(text)).replace("@", "@\u2060")


def _escape_markup(text: object) -> str:
    """Every markdown or HTML character backslash-escaped."""
    return re.sub(r"([\\`*_{}\[\]<>()#+\-.!|~$&])", r"\\\1", str(text))


#: Where a word joiner keeps Streamlit's markdown from making a link (``http``, ``ftp``, ``www`` before ``:`` or ``.``).
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|www)(?=\\?[:.])")


def md_with_links(text: object) -> str:
    """Markdown of a field meant to hold web addresses: each address to a named host is a link showing that host.

    Everything else is text (:func:`md_escape`): an address to a bare number or a dotted IP is
    not linked. Linear: the text is cut at its spaces once.
    """
    from urllib.parse import quote

    from cartographie.domaine.texte import web_address

    parts = []
    for token in re.split(r"(\s+)", str(text)):
        found = web_address(token)
        if found is None:
            parts.append(md_escape(token) if token.strip() else token)
        else:
            address, host = found
            target = quote(address, safe=":/?#[]@!$&'*+,;=%~-._")
            parts.append(f"[{_escape_markup(host)}]({target.replace('(', '%28').replace(')', '%29')})")
    return "".join(parts)


def is_editor() -> bool:
    """Whether a person signed in this session may still edit, as the database says now (no form shown)."""
    from cartographie.ui.connexion import signed_in_now

    return signed_in_now() is not None


#: What a missing value shows in a table (Streamlit would write « None »).
EMPTY_CELL = "–"


def table(data, *, key: str, name: str, column_config: dict | None = None) -> None:
    """A table as every page shows it: full width, no index, missing values « – », a French accessible name.

    ``name`` says what the table holds (« Quartiers prioritaires du contrat »): screen readers
    announce it when they reach the grid. Text cells a spreadsheet would run as a formula are
    shown, and downloaded through the table's own « Télécharger en CSV », with a leading ``'``.
    """
    import pandas as pd

    from cartographie.lecture.exports import neutralise_formulas

    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    st.dataframe(
        neutralise_formulas(frame),
        hide_index=True,
        width="stretch",
        key=key,
        column_config=column_config,
        placeholder=EMPTY_CELL,
        alt=name,
    )


#: What an editor reads where a file field would be when the server refuses every upload.
UPLOADS_OFF = (
    "Le dépôt de fichiers est désactivé sur ce serveur : il n'a pas pu réserver les dépôts aux éditeurs "
    "connectés (version de Streamlit inattendue, voir le journal du serveur). Rien ne peut être importé "
    "ni restauré depuis cette page."
)


def file_field(label: str, *, types: list[str], key: str):
    """A file field for a signed-in editor, or a French message when the server refuses every upload."""
    from cartographie.ui.adaptateur import internes

    if not internes.uploads_guarded():
        st.error(UPLOADS_OFF, icon=":material/lock:")
        return None
    return st.file_uploader(label, type=types, key=key)
