"""Start the app: ``python -m cartographie.demarrage app.py [options of streamlit run]``.

The same as ``streamlit run``, except that the libraries of the first page (pandas, pyarrow,
folium and the package's Streamlit-free modules) are imported once the server listens, while
the visitor's browser is still loading Streamlit's front end: the first page run then finds
them in memory (about 0.2 s less from server start to the map drawn, measured on this machine
with alternated starts). Before the server starts, it also applies the few patches of
:mod:`cartographie.ui.adaptateur.internes` (``pages/`` is not a legacy multipage folder, no search for
components the app does not use, no Nagle delay on connections, no lookup of a public address
on the Internet); each fails soft.

Only libraries that know nothing of Streamlit are imported here: a Streamlit component
(streamlit-folium) imported outside a session registers itself in the wrong place and its
frame stays empty.
"""

from __future__ import annotations

import contextlib
import logging
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


def main(argv: list[str] | None = None) -> None:
    """Run ``streamlit run`` with the given arguments, preloading the libraries in the background."""
    from streamlit.web import cli

    from cartographie.ui.adaptateur.internes import prepare_server

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s : %(message)s")
    prepare_server()  # each patch fails soft: the app starts anyway, and the log says what is slower
    threading.Thread(target=_preload_when_listening, name="prechargement", daemon=True).start()
    sys.argv = ["streamlit", "run", *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
