"""Start the app: ``python -m cartographie.demarrage app.py [options of streamlit run]``.

The same as ``streamlit run``, except that the libraries of the first page (pandas, pyarrow,
folium and the package's Streamlit-free modules) are imported once the server listens, while
the visitor's browser is still loading Streamlit's front end: the first page run then finds
them in memory (about 0.2 s less from server start to the map drawn, measured on this machine
with alternated starts). It also tells Streamlit, before the server starts, that ``pages/`` is
not a legacy multipage folder, skips a search for components the app does not use, and turns
off Nagle's algorithm on the server's connections (see :func:`_no_delay_on_connections`).

Only libraries that know nothing of Streamlit are imported here: a Streamlit component
(streamlit-folium) imported outside a session registers itself in the wrong place and its
frame stays empty.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time

#: Libraries the map page imports on its first run; none of them imports Streamlit.
PRELOADED = (
    "pandas",
    "pyarrow",
    "folium",
    "folium.plugins",
    "PIL.Image",
    "cartographie.rendu.carte",
    "cartographie.domaine.filtres",
    "cartographie.lecture.exports",
    "cartographie.domaine.indicateurs",
    "cartographie.domaine.rencontres",
)


def _preload_when_listening(timeout: float = 120.0) -> None:
    """Wait until the server accepts connections, then import the first page's libraries."""
    from streamlit import config as streamlit_config
    from streamlit import runtime

    deadline = time.monotonic() + timeout
    while not runtime.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    address = streamlit_config.get_option("server.address") or "127.0.0.1"
    port = int(streamlit_config.get_option("server.port"))
    while time.monotonic() < deadline:
        try:
            socket.create_connection((address, port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    for name in PRELOADED:
        with contextlib.suppress(ImportError):  # a missing library shows up when the page needs it
            __import__(name)


def _skip_component_scan() -> None:
    """Skip Streamlit's search for "v2" components at start-up.

    The app uses none (streamlit-folium is a v1 component; tests/test_demarrage.py checks that
    no installed distribution declares one), and the search reads the metadata of every
    installed distribution, about 0.15 s of each start on this machine.
    """
    from streamlit.components.v2 import manifest_scanner  # pinned Streamlit version

    manifest_scanner.scan_component_manifests = lambda *args, **kwargs: []


def _no_delay_on_connections() -> None:
    """Answer every HTTP request at once instead of 40 ms later.

    Streamlit (pinned 1.67) binds its listening socket itself with ``socket.socket(family)``,
    whose protocol number is 0; asyncio only sets ``TCP_NODELAY`` on accepted connections whose
    socket says ``IPPROTO_TCP``, so Nagle's algorithm stays on. Each response (headers, then
    body) then waits for the browser's delayed acknowledgement: measured here, 44 ms per request
    on a kept-alive connection, 0.9 s to serve the 128 files of Streamlit's front end six at a
    time, against 0.17 s with the option set. The socket is bound exactly as Streamlit binds it,
    then declared TCP (so that asyncio sets the option on every connection it accepts) and given
    the option itself (which Linux passes on to accepted connections).
    """
    from streamlit.web.server.starlette import starlette_server  # pinned Streamlit version

    bind = starlette_server._bind_socket

    def bind_without_delay(address: str, port: int, backlog: int) -> socket.socket:
        bound = bind(address, port, backlog)
        tcp = socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
        tcp.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        tcp.setblocking(False)
        return tcp

    starlette_server._bind_socket = bind_without_delay


def main(argv: list[str] | None = None) -> None:
    """Run ``streamlit run`` with the given arguments, preloading the libraries in the background."""
    from streamlit.runtime.pages_manager import PagesManager  # pinned Streamlit version
    from streamlit.web import cli

    # app.py declares its pages with st.navigation: the pages/ folder beside it is not a legacy
    # multipage app. Said before the server starts, the first visitor's page runs once instead of
    # twice (see ui._leave_legacy_multipage_mode, which still covers a plain `streamlit run`).
    PagesManager.uses_pages_directory = False
    _skip_component_scan()
    _no_delay_on_connections()
    threading.Thread(target=_preload_when_listening, name="prechargement", daemon=True).start()
    sys.argv = ["streamlit", "run", *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
