"""The launcher: it preloads only Streamlit-free libraries, and may skip the search for v2 components."""

from __future__ import annotations

import subprocess
import sys

from cartographie import config
from cartographie.demarrage import PRELOADED


def test_preloaded_modules_do_not_import_streamlit():
    code = (
        "import sys\n"
        f"for name in {PRELOADED!r}:\n"
        "    __import__(name)\n"
        "print(sorted(m for m in sys.modules if m == 'streamlit' or m.startswith(('streamlit.', 'streamlit_'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=config.PROJECT_DIR, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_no_installed_distribution_declares_a_v2_component():
    # The launcher skips this search at start-up; the day a dependency brings a v2 component,
    # this test says so (and the skip must go).
    from streamlit.components.v2.manifest_scanner import scan_component_manifests

    assert scan_component_manifests() == []


def test_server_connections_answer_without_nagle_delay(monkeypatch):
    # Streamlit binds its socket with protocol number 0, so asyncio leaves Nagle's algorithm on
    # and every response waits 40 ms for the browser's delayed acknowledgement.
    import socket

    from streamlit.web.server.starlette import starlette_server

    from cartographie import demarrage

    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)
    demarrage._no_delay_on_connections()
    listening = starlette_server._bind_socket("127.0.0.1", 0, 8)
    try:
        assert listening.proto == socket.IPPROTO_TCP
        assert not listening.getblocking()
        client = socket.create_connection(listening.getsockname()[:2], timeout=5)
        listening.setblocking(True)
        accepted, _ = listening.accept()
        with client, accepted:
            # asyncio sets TCP_NODELAY on accepted sockets that say IPPROTO_TCP (and Linux passes
            # the listening socket's option on to them anyway).
            assert accepted.proto == socket.IPPROTO_TCP
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        listening.close()
