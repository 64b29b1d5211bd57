"""Streamlit's private entry points, checked against the installed version; each patch fails soft."""

from __future__ import annotations

import logging
import socket
from importlib.metadata import version

import pytest

from cartographie.ui.adaptateur import internes


def test_the_installed_streamlit_is_the_one_the_private_entry_points_were_checked_against():
    for package, pinned in internes.PINNED.items():
        assert version(package) == pinned, (
            f"{package} {version(package)} est installé ; les entrées privées de "
            "cartographie/ui/adaptateur/internes.py et "
            f"cartographie/ui/composant_carte.py ont été vérifiées avec {pinned} : relisez-les, puis mettez "
            "PINNED à jour."
        )


def test_every_private_name_used_still_exists():
    from streamlit import net_util
    from streamlit.components.v2 import manifest_scanner
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.server.starlette import starlette_server

    for owner, name in (
        (PagesManager, "uses_pages_directory"),
        (manifest_scanner, "scan_component_manifests"),
        (starlette_server, "_bind_socket"),
        (net_util, "_external_ip"),
        (net_util, "get_external_ip"),
    ):
        assert hasattr(owner, name), f"{owner.__name__}.{name} a disparu : voir cartographie/ui/adaptateur/internes.py"


@pytest.fixture
def restored(monkeypatch):
    """Patches applied by a test are undone after it."""
    from streamlit import net_util
    from streamlit.components.v2 import manifest_scanner
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.server.starlette import starlette_server

    monkeypatch.setattr(PagesManager, "uses_pages_directory", PagesManager.uses_pages_directory)
    monkeypatch.setattr(manifest_scanner, "scan_component_manifests", manifest_scanner.scan_component_manifests)
    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)
    monkeypatch.setattr(net_util, "_external_ip", net_util._external_ip)
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

    monkeypatch.setattr(MemoryUploadedFileManager, "add_file", MemoryUploadedFileManager.add_file)
    return monkeypatch


def test_every_patch_applies_without_a_warning(restored, caplog):
    with caplog.at_level(logging.WARNING, logger="cartographie"):
        internes.prepare_server()
    assert caplog.records == []


def test_a_moved_entry_point_is_logged_and_the_app_starts_anyway(restored, caplog):
    from streamlit.web.server.starlette import starlette_server

    restored.delattr(starlette_server, "_bind_socket")
    with caplog.at_level(logging.WARNING, logger="cartographie"):
        internes.prepare_server()  # no exception
    assert any("TCP_NODELAY" in r.getMessage() and "_bind_socket" in r.getMessage() for r in caplog.records)


def test_server_connections_answer_without_nagle_delay(restored):
    # Streamlit binds its socket with protocol number 0, so asyncio leaves Nagle's algorithm on
    # and every response waits 40 ms for the browser's delayed acknowledgement.
    from streamlit.web.server.starlette import starlette_server

    internes.no_delay_on_connections()
    listening = starlette_server._bind_socket("127.0.0.1", 0, 8)
    try:
        assert listening.proto == socket.IPPROTO_TCP and not listening.getblocking()
        client = socket.create_connection(listening.getsockname()[:2], timeout=5)
        listening.setblocking(True)
        accepted, _ = listening.accept()
        with client, accepted:
            assert accepted.proto == socket.IPPROTO_TCP
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        listening.close()


def test_the_server_never_asks_the_internet_for_its_address(restored):
    from streamlit import net_util

    def refuse(*args, **kwargs):
        raise AssertionError("requête vers l'extérieur")

    restored.setattr(net_util, "_make_blocking_http_get", refuse)
    internes.no_external_ip_lookup()
    assert net_util.get_external_ip() == ""


def test_a_page_run_alone_hands_over_to_the_app_navigation(restored):
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = True
    assert internes.leave_legacy_multipage_mode() is True and PagesManager.uses_pages_directory is False
    with internes.entry_point():
        PagesManager.uses_pages_directory = True
        assert internes.leave_legacy_multipage_mode() is False  # app.py is in charge


def test_only_a_signed_in_editor_s_session_may_upload_and_within_a_total(restored, monkeypatch):
    from starlette.exceptions import HTTPException
    from streamlit.runtime import Runtime
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec

    internes.uploads_for_editors_only()
    states = {"visiteur": {}, "editeur": {"editeur": "Camille"}}

    class Info:
        def __init__(self, state):
            self.session = type("Session", (), {"session_state": state})()

    class Sessions:
        def get_active_session_info(self, session_id):
            return Info(states[session_id]) if session_id in states else None

    monkeypatch.setattr(Runtime, "instance", classmethod(lambda cls: type("R", (), {"_session_mgr": Sessions()})()))
    manager = MemoryUploadedFileManager("/_stcore/upload_file")
    small = UploadedFileRec("f1", "r.csv", "text/csv", b"a;b\n")
    for session in ("visiteur", "inconnue"):
        with pytest.raises(HTTPException) as refused:
            manager.add_file(session, small)
        assert refused.value.status_code == 403
    manager.add_file("editeur", small)
    big = UploadedFileRec("f2", "r.csv", "text/csv", b"x" * internes.SESSION_UPLOAD_BYTES)
    with pytest.raises(HTTPException) as refused:
        manager.add_file("editeur", big)
    assert refused.value.status_code == 413


def test_an_unexpected_error_is_logged_and_shown_in_french_without_traceback(caplog):
    import tomllib

    from cartographie import config

    with caplog.at_level(logging.ERROR, logger="cartographie"), internes.entry_point():
        raise RuntimeError("/srv/secret.py SELECT * FROM journal")
    assert "RuntimeError" in caplog.text  # the details stay on the server
    settings = tomllib.loads((config.PROJECT_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["client"]["showErrorDetails"] == "none" and settings["server"]["maxUploadSize"] == 20


def test_a_backup_is_served_to_the_editor_s_browser_then_deleted_from_the_real_media_storage():
    """On Streamlit's own in-memory storage: the page's check and the download read it, then it is gone."""
    from streamlit.runtime.media_file_storage import MediaFileKind, MediaFileStorageError
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    storage = MemoryMediaFileStorage("/media")
    internes.serve_once(storage)
    internes.serve_once(storage)  # idempotent: wrapped once
    backup = storage.load_and_get_id(
        b"zip", "application/zip", MediaFileKind.DOWNLOADABLE, "sauvegarde-contributions.zip"
    )
    other = storage.load_and_get_id(b"csv", "text/csv", MediaFileKind.DOWNLOADABLE, "export.csv")
    url = storage.get_url(backup)  # Streamlit asks by the bare id when it makes the URL: not a read
    assert url.endswith(".zip")
    for _ in range(internes.ONE_TIME_READS):
        assert storage.get_file(f"{backup}.zip").content == b"zip"  # the page's check, then the download
    with pytest.raises(MediaFileStorageError):
        storage.get_file(f"{backup}.zip")
    for _ in range(3):  # other downloads are served as usual
        assert storage.get_file(f"{other}.csv").content == b"csv"


def test_without_streamlit_s_runtime_the_backup_is_not_offered():
    """Fails closed: when the guard cannot be installed, no backup download."""
    assert internes.backups_served_once() is False  # no running server here


def test_a_session_that_cannot_be_checked_may_not_upload(restored, monkeypatch):
    """Fails closed: when Streamlit's session manager cannot be reached, nobody uploads."""
    from starlette.exceptions import HTTPException
    from streamlit.runtime import Runtime
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec

    assert internes.uploads_for_editors_only() is True
    monkeypatch.setattr(Runtime, "instance", classmethod(lambda cls: type("R", (), {})()))  # no _session_mgr
    manager = MemoryUploadedFileManager("/_stcore/upload_file")
    with pytest.raises(HTTPException) as refused:
        manager.add_file("editeur", UploadedFileRec("f1", "r.csv", "text/csv", b"a;b\n"))
    assert refused.value.status_code == 403


def test_when_the_guard_cannot_be_installed_uploads_are_switched_off_and_no_page_asks_for_a_file(
    restored, monkeypatch, caplog
):
    from streamlit import config as streamlit_config
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

    monkeypatch.setattr(MemoryUploadedFileManager, "add_file", MemoryUploadedFileManager.add_file)
    restored.setattr(streamlit_config, "_config_options", streamlit_config._config_options)
    before = streamlit_config.get_option("server.maxUploadSize")
    monkeypatch.delattr(MemoryUploadedFileManager, "add_file")  # as if Streamlit had renamed it
    try:
        with caplog.at_level(logging.ERROR, logger="cartographie"):
            assert internes.uploads_for_editors_only() is False
        assert streamlit_config.get_option("server.maxUploadSize") == 0
        assert not internes.uploads_guarded()
        assert any("désactivés" in r.getMessage() for r in caplog.records)
    finally:
        streamlit_config.set_option("server.maxUploadSize", before)
