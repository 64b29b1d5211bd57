"""Scheduled backups: ``python -m cartographie.sauvegarde`` writes the editors' ZIP and keeps the most recent ones."""

from __future__ import annotations

import datetime as dt
import zipfile

from cartographie.sauvegarde import backup, main
from cartographie.stockage.store import open_store


def test_a_scheduled_backup_restores_into_an_empty_store(tmp_path, monkeypatch):
    source = tmp_path / "source.sqlite3"
    store = open_store(f"sqlite:///{source}")
    store.add_keyword("journee", "Confiance")
    store.engine.dispose()
    monkeypatch.delenv("CARTOGRAPHIE_BASE", raising=False)
    monkeypatch.setenv("CARTOGRAPHIE_BASE_SQLITE", str(source))
    assert main(["--dossier", str(tmp_path / "sauvegardes")]) == 0
    [written] = (tmp_path / "sauvegardes").glob("contributions-*.zip")
    assert "sauvegarde.json" in zipfile.ZipFile(written).namelist()
    empty = open_store(f"sqlite:///{tmp_path / 'vide.sqlite3'}")
    empty.restore_backup(written.read_bytes(), "tests")
    assert [k["mot"] for k in empty.keywords("journee")] == ["Confiance"]


def test_only_the_most_recent_backups_are_kept(tmp_path):
    url = f"sqlite:///{tmp_path / 'base.sqlite3'}"
    start = dt.datetime(2026, 12, 1, 2, 30)
    for day in range(5):
        backup(tmp_path / "sauvegardes", 3, now=start + dt.timedelta(days=day), url=url)
    kept = sorted(p.name for p in (tmp_path / "sauvegardes").glob("*.zip"))
    assert len(kept) == 3 and kept[-1] == "contributions-2026-12-05-023000.zip"


def test_a_failed_backup_says_so_in_french_and_exits_non_zero(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CARTOGRAPHIE_BASE", "postgresql+psycopg://personne@127.0.0.1:1/rien")
    assert main(["--dossier", str(tmp_path)]) == 1
    assert "Échec de la sauvegarde" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.zip"))
