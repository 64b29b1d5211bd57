"""Hostile files sent to the real server: refused at once, in French, while the server keeps answering.

Each file comes through the real upload widget of a signed-in editor (import of survey answers,
restore of a backup), as a file received from someone else would. While it is processed a probe
asks ``/_stcore/health`` every 100 ms and reads the server's memory: health must answer within
1 s every time, and the server must not grow by more than 400 MB.
"""

from __future__ import annotations

import io
import threading
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.aides.navigateur import sign_in_editor, wait_for_app

#: Longest wait for /_stcore/health while a hostile file is processed, and most memory the server may gain.
HEALTH_LIMIT = 1.0
MEMORY_LIMIT = 400 * 2**20


def _rss(pid: int) -> int:
    """Resident memory of a process, in bytes (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class Probe:
    """Asks for the server's health every 100 ms and reads its memory, in a thread, until stopped."""

    def __init__(self, url: str, pid: int) -> None:
        self.url, self.pid = url, pid
        self.idle = _rss(self.pid)
        self.slowest = 0.0
        self.failures = 0
        self.peak = self.idle
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=5) as response:
                    response.read()
            except OSError:
                self.failures += 1
            self.slowest = max(self.slowest, time.monotonic() - started)
            self.peak = max(self.peak, _rss(self.pid))
            self._stop.wait(0.1)

    def __enter__(self) -> Probe:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def check(self, what: str) -> None:
        grown = self.peak - self.idle
        print(f"{what} : santé la plus lente {self.slowest:.2f} s, {self.failures} échec(s), +{grown / 2**20:.0f} Mo")
        assert self.failures == 0 and self.slowest < HEALTH_LIMIT, (what, self.slowest, self.failures)
        assert grown < MEMORY_LIMIT, (what, grown)


def _upload(page, name: str, raw: bytes, mime: str) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": raw}]
    )


def _zip(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sauvegarde.json", text)
    return buffer.getvalue()


def test_a_survey_file_of_a_million_columns_is_refused_at_once(page, hostile_server_url, server_pid):
    page.goto(f"{hostile_server_url}/importer", wait_until="domcontentloaded")
    wait_for_app(page)
    sign_in_editor(page)
    page.get_by_text("Fichier de réponses").wait_for(timeout=30_000)
    for columns in (20_000, 1_000_000):
        raw = ";".join(f"c{i}" for i in range(columns)) + "\n" + ";".join("x" * 5 for _ in range(columns)) + "\n"
        with Probe(hostile_server_url, server_pid(hostile_server_url)) as probe:
            started = time.monotonic()
            _upload(page, f"colonnes-{columns}.csv", raw.encode(), "text/csv")
            page.get_by_text("Fichier refusé, rien n'a été écrit").wait_for(timeout=60_000)
            elapsed = time.monotonic() - started
        message = page.locator('[data-testid="stAlert"]').filter(has_text="Fichier refusé").first.inner_text()
        assert "300" in message and ("colonnes" in message or "caractères" in message), message
        print(f"{columns} colonnes ({len(raw) / 2**20:.1f} Mo) : refusé en {elapsed:.1f} s")
        probe.check(f"CSV de {columns} colonnes")


def _restore(page, name: str, raw: bytes, saying: str) -> str:
    """Restore ``raw`` and wait for the refusal that says ``saying`` (not the previous file's, still shown).

    The button is pressed once the uploader shows this file and the page has run with it: pressed while
    the file was still being sent, it restored the previous file again (seen in a full run: its refusal,
    then none, and a 60 s wait for this one).
    """
    _upload(page, name, raw, "application/zip")
    page.locator('[data-testid="stFileUploader"]').get_by_text(name).first.wait_for(timeout=30_000)
    wait_for_app(page)
    page.get_by_role("button", name="Restaurer cette sauvegarde").click()
    refusal = page.locator('[data-testid="stAlert"]').filter(has_text="Restauration refusée").filter(has_text=saying)
    refusal.first.wait_for(timeout=60_000)
    return refusal.first.inner_text()


def test_hostile_backups_are_refused_while_the_server_keeps_answering(page, hostile_server_url, server_pid):
    page.goto(f"{hostile_server_url}/moderation", wait_until="domcontentloaded")
    wait_for_app(page)
    sign_in_editor(page)
    page.get_by_role("tab", name="Sauvegarde").click()
    page.get_by_text("Restaurer").first.wait_for(timeout=30_000)
    # 1 MB of escaped quotes (208 bytes once compressed): a string-stripping regex went quadratic on it.
    quotes = _zip('"' + '\\"' * 500_000)
    with Probe(hostile_server_url, server_pid(hostile_server_url)) as probe:
        message = _restore(page, "guillemets.zip", quotes, "JSON valide")
    assert "JSON valide" in message, message
    probe.check("sauvegarde de guillemets échappés")
    # Ten million empty rows in 29 KB: 32 MB of JSON that would have become ten million dictionaries.
    rows = _zip(
        '{"format":"cartographie-sauvegarde","version":1,"tables":{"journal":[' + ",".join(["{}"] * 10_000_000) + "]}}"
    )
    with Probe(hostile_server_url, server_pid(hostile_server_url)) as probe:
        message = _restore(page, "lignes.zip", rows, "objets")
    assert "objets" in message and "200" in message, message
    probe.check("sauvegarde de dix millions de lignes vides")


def test_a_backup_is_served_once_to_the_editor_then_gone(page, hostile_server_url):
    """The full backup (every survey answer, the audit log) stayed at an open /media address after the download."""
    import urllib.error

    page.goto(f"{hostile_server_url}/moderation", wait_until="domcontentloaded")
    wait_for_app(page)
    sign_in_editor(page)
    page.get_by_role("tab", name="Sauvegarde").click()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Télécharger une sauvegarde complète").click()
    saved = download.value
    assert zipfile.ZipFile(saved.path()).namelist()[0] == "sauvegarde.json"
    assert "/media/" in saved.url
    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(saved.url, timeout=10)
    assert gone.value.code == 404
