"""Every private entry point of Streamlit the app relies on, in one place, each failing soft.

Streamlit is pinned (``requirements.txt``); these names are not its public API and may move
with any upgrade. Each one is used for a measured reason, written beside it. If one has moved,
the app still starts and works — slower, or as a plain ``streamlit run`` would — and the
server's log says which and why. ``tests/ui/test_internes.py`` checks each of them against the
installed version and fails with a message naming what moved and where to look.

streamlit-folium's private entry points are gathered the same way in
:mod:`cartographie.ui.composant_carte`.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading

#: The versions these entry points were checked against.
PINNED = {"streamlit": "1.67.0", "streamlit-folium": "0.27.4"}

log = logging.getLogger("cartographie")


@contextlib.contextmanager
def fail_soft(what: str, consequence: str):
    """Run a patch; if the private name it needs has moved, log it in French and go on."""
    try:
        yield
    except Exception as exc:  # any change of a private API must not stop the app
        log.warning("%s : impossible (%s : %s). %s", what, type(exc).__name__, exc, consequence)


# --------------------------------------------------------------------------- before the server starts


def declare_pages_not_legacy() -> None:
    """Tell Streamlit that ``pages/`` beside ``app.py`` is not a legacy multipage folder.

    app.py declares its pages with ``st.navigation``. Without this, a fresh server treats
    ``pages/`` as a legacy multipage app until ``st.navigation`` has run once, and the first
    visitor's page runs twice (see :func:`leave_legacy_multipage_mode`).
    """
    with fail_soft("Déclaration du dossier pages/", "La première page vue s'exécutera deux fois."):
        from streamlit.runtime.pages_manager import PagesManager

        _check_attribute(PagesManager, "uses_pages_directory")
        PagesManager.uses_pages_directory = False


def skip_component_scan() -> None:
    """Skip Streamlit's search for "v2" components at start-up.

    The app uses none (streamlit-folium is a v1 component; a test checks that no installed
    distribution declares one); the search reads the metadata of every installed distribution,
    about 0.15 s of each start on this machine.
    """
    with fail_soft("Recherche des composants v2 évitée", "Le démarrage prendra 0,15 s de plus."):
        from streamlit.components.v2 import manifest_scanner

        _check_attribute(manifest_scanner, "scan_component_manifests")
        manifest_scanner.scan_component_manifests = lambda *args, **kwargs: []


def no_delay_on_connections() -> None:
    """Answer every HTTP request at once instead of 40 ms later.

    Streamlit binds its listening socket itself with ``socket.socket(family)``, whose protocol
    number is 0; asyncio only sets ``TCP_NODELAY`` on accepted connections whose socket says
    ``IPPROTO_TCP``, so Nagle's algorithm stays on and each response waits for the browser's
    delayed acknowledgement: measured here, 44 ms per request, 0.9 s to serve the 128 files of
    Streamlit's front end against 0.17 s with the option. The socket is bound exactly as
    Streamlit binds it, then declared TCP and given the option (Linux passes it on to accepted
    connections).
    """
    with fail_soft("Option TCP_NODELAY", "Chaque réponse du serveur attendra environ 40 ms de plus."):
        from streamlit.web.server.starlette import starlette_server

        bind = _check_attribute(starlette_server, "_bind_socket")

        def bind_without_delay(address: str, port: int, backlog: int) -> socket.socket:
            bound = bind(address, port, backlog)
            tcp = socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
            tcp.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            tcp.setblocking(False)
            return tcp

        starlette_server._bind_socket = bind_without_delay


def no_external_ip_lookup() -> None:
    """Never ask an outside host for this machine's public address.

    Streamlit looks it up (``checkip.amazonaws.com``, 1 s then 1 s more over HTTPS) to print an
    "External URL" at start-up and, for a WebSocket whose origin is not this host, to compare
    origins; in a venue without Internet each lookup fails after its timeouts and is tried again
    next time. The app has no use for it: the public address is configured
    (``CARTOGRAPHIE_ADRESSE_PUBLIQUE``), and same-origin connections are accepted without it.
    """
    with fail_soft("Adresse publique non recherchée", "Le serveur interrogera checkip.amazonaws.com."):
        from streamlit import net_util

        _check_attribute(net_util, "_external_ip")
        net_util._external_ip = ""  # "known, none": get_external_ip() returns it without a request


#: Most bytes of uploaded files one session may hold at once (an import or a backup, with room for a retry).
SESSION_UPLOAD_BYTES = 2 * 20 * 1024 * 1024


def uploads_for_editors_only() -> bool:
    """Accept uploaded files only from sessions where an editor is signed in, up to a total per session.

    Streamlit's upload endpoint takes files for any open session, whatever its page: any visitor
    of /direct could fill the server's memory. Only the editors' pages (import, restore) ask for
    files, and only once an editor has signed in (``st.session_state["editeur"]``).

    Applied by app.py at each run (:func:`entry_point`) however the server was started (the
    launcher, ``streamlit run app.py``, a test), and by the launcher before the server starts;
    idempotent. Fails closed: a session that cannot be checked is refused; when the upload manager
    cannot be wrapped, uploads are switched off (``server.maxUploadSize`` = 0) and ``False`` is
    returned, so that the editors' pages offer no file field either.
    """
    try:
        from starlette.exceptions import HTTPException
        from streamlit.runtime import Runtime
        from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

        original = _check_attribute(MemoryUploadedFileManager, "add_file")
        if getattr(original, "_editeurs_seulement", False):
            return True

        def editor_state(session_id):
            """The session's state when an editor is signed in there, else ``None`` (unknown: ``None``)."""
            try:
                info = Runtime.instance()._session_mgr.get_active_session_info(session_id)
                state = info.session.session_state if info is not None else None
                return state if state is not None and "editeur" in state and state["editeur"] else None
            except Exception:  # a private name moved: nobody can be checked, nobody uploads
                log.warning("Dépôt refusé : la session %s n'a pas pu être vérifiée.", session_id[:8])
                return None

        def add_file(self, session_id, file):
            if editor_state(session_id) is None:
                raise HTTPException(status_code=403, detail="Dépôt réservé aux éditeurs connectés.")
            held = sum(len(f.data) for f in self.file_storage.get(session_id, {}).values())
            if held + len(file.data) > SESSION_UPLOAD_BYTES:
                raise HTTPException(status_code=413, detail="Trop de fichiers déposés pour cette session.")
            return original(self, session_id, file)

        add_file._editeurs_seulement = True
        MemoryUploadedFileManager.add_file = add_file
        return True
    except Exception as exc:  # fails closed: no uploads at all
        log.error("Dépôts de fichiers réservés aux éditeurs : impossible (%s : %s).", type(exc).__name__, exc)
        _no_uploads()
        return False


def _no_uploads() -> None:
    """Switch Streamlit's upload endpoint off (every upload refused: 0 Mo allowed), if that can be done."""
    try:
        from streamlit import config as streamlit_config

        streamlit_config.set_option("server.maxUploadSize", 0)
        log.error("Dépôts de fichiers désactivés (server.maxUploadSize = 0) : l'import et la restauration attendent.")
    except Exception as exc:
        log.error("Dépôts de fichiers : impossible de les désactiver (%s : %s).", type(exc).__name__, exc)


def uploads_guarded() -> bool:
    """Whether files may be asked for on this server: the guard is in place (else the pages show no file field)."""
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

    return bool(getattr(getattr(MemoryUploadedFileManager, "add_file", None), "_editeurs_seulement", False))


def prepare_server() -> None:
    """Every patch the launcher applies before ``streamlit run``."""
    declare_pages_not_legacy()
    skip_component_scan()
    no_delay_on_connections()
    no_external_ip_lookup()
    uploads_for_editors_only()


#: Downloads served once, to the session that asked for them, then gone: the full backup (every survey
#: answer, pending proposals, the audit log). Their file names start with this.
ONE_TIME_DOWNLOAD = "sauvegarde-contributions"


#: Reads of a one-time download by the media route before it is deleted: Streamlit's page fetches the
#: file once to check it, then the browser downloads it.
ONE_TIME_READS = 2


#: Seconds a one-time download stays after its first read, whatever happens next.
ONE_TIME_SECONDS = 30.0


def backups_served_once() -> bool:
    """Serve a backup to the editor's browser, then drop it from the server's memory; ``False`` if not ensured.

    Streamlit keeps a generated download in memory and serves it at ``/media/<id>.zip`` to anyone
    who asks, until its session has long gone (still there 60 s after the editor's browser was
    closed). The storage's ``get_file`` is wrapped: a file named :data:`ONE_TIME_DOWNLOAD`… is
    deleted once the media route (which asks for ``<id>.<extension>``; Streamlit itself asks for
    the bare id when it makes the URL) has read it :data:`ONE_TIME_READS` times (the page's check,
    then the download), or :data:`ONE_TIME_SECONDS` after its first read. Applied by the page that
    offers the backup, at each run, idempotent, however the server was started. Fails closed: the
    caller offers no backup download when this returns ``False``.
    """
    try:
        from streamlit.runtime import Runtime

        if not Runtime.exists():
            return False
        serve_once(_check_attribute(_check_attribute(Runtime.instance(), "media_file_mgr"), "_storage"))
        return True
    except Exception as exc:  # fails closed: no backup download without it
        log.warning("Sauvegardes servies une seule fois : impossible (%s : %s).", type(exc).__name__, exc)
        return False


def serve_once(storage) -> None:
    """Wrap a media storage's ``get_file`` as :func:`backups_served_once` says (idempotent)."""
    from streamlit.runtime.media_file_storage import MediaFileKind

    original, delete = _check_attribute(storage, "get_file"), _check_attribute(storage, "delete_file")
    if getattr(original, "_une_fois", False):
        return
    reads: dict[str, int] = {}
    lock = threading.Lock()

    def forget(file_id: str) -> None:
        with lock:
            reads.pop(file_id, None)
            delete(file_id)

    def get_file(filename: str):
        found = original(filename)
        named = str(getattr(found, "filename", "") or "")
        if "." in filename and found.kind == MediaFileKind.DOWNLOADABLE and named.startswith(ONE_TIME_DOWNLOAD):
            file_id = filename.rsplit(".", 1)[0]
            with lock:
                reads[file_id] = reads.get(file_id, 0) + 1
                first, last = reads[file_id] == 1, reads[file_id] >= ONE_TIME_READS
            if last:
                forget(file_id)
            elif first:
                timer = threading.Timer(ONE_TIME_SECONDS, forget, args=(file_id,))
                timer.daemon = True
                timer.start()
        return found

    get_file._une_fois = True
    storage.get_file = get_file


# --------------------------------------------------------------------------- at each script run

_run = threading.local()


@contextlib.contextmanager
def entry_point():
    """Mark this script run as started by app.py (its navigation decides which page runs).

    An unexpected error of a page is logged with its details on the server and shown to the
    visitor as a French message, without a traceback (``client.showErrorDetails = "none"`` does
    the same for the fragments that refresh alone).
    """
    _run.entry = True
    uploads_for_editors_only()  # however the server was started (idempotent, fails closed)
    try:
        yield
    except Exception:
        log.exception("Erreur inattendue pendant l'affichage d'une page")
        import streamlit as st

        st.error(UNEXPECTED_ERROR, icon=":material/error:")
    finally:
        _run.entry = False


#: What a visitor reads when a page fails unexpectedly (details go to the server's log only).
UNEXPECTED_ERROR = (
    "Une erreur inattendue a interrompu cette page. Ses détails sont inscrits dans le journal du serveur ; "
    "rechargez la page, ou signalez-la à l'équipe qui héberge le tableau de bord si elle revient."
)


def leave_legacy_multipage_mode() -> bool:
    """Make sure the app's own navigation (``st.navigation`` in app.py) is in charge; ``True`` to rerun.

    A fresh server started by a plain ``streamlit run`` (without the launcher) treats ``pages/``
    as a legacy multipage app until ``st.navigation`` has run once: the first visitor of
    ``/carte`` would get ``pages/carte.py`` alone, without the app's navigation and page
    settings. A page run that way switches the process to the ``st.navigation`` mode, and the
    caller reruns so that app.py handles the request.
    """
    uploads_for_editors_only()  # a page run alone is the first run of a plain ``streamlit run``: guard now
    if getattr(_run, "entry", False):
        return False
    with fail_soft("Sortie du mode « pages » historique", "La première page vue peut manquer de navigation."):
        from streamlit.runtime.pages_manager import PagesManager

        if _check_attribute(PagesManager, "uses_pages_directory"):
            PagesManager.uses_pages_directory = False
            return True
    return False


def _check_attribute(owner, name: str):
    """The attribute, or an AttributeError naming the pinned version it was checked against."""
    if not hasattr(owner, name):
        raise AttributeError(
            f"{getattr(owner, '__name__', owner)}.{name} n'existe plus (vérifié avec streamlit {PINNED['streamlit']})"
        )
    return getattr(owner, name)
