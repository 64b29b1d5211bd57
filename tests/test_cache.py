from __future__ import annotations

from cartographie.cache import CACHE_DIR_ENV, cached


def test_results_are_reused_from_disk_and_keyed(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    calls: list[int] = []

    def compute(value: int) -> dict:
        calls.append(value)
        return {"valeur": value}

    assert cached("essai", ("a", 1), lambda: compute(1)) == {"valeur": 1}
    assert cached("essai", ("a", 1), lambda: compute(2)) == {"valeur": 1}  # from disk
    assert cached("essai", ("a", 2), lambda: compute(3)) == {"valeur": 3}  # another key
    assert calls == [1, 3]
    assert not list((tmp_path / "cache").glob("*.tmp"))


def test_a_broken_entry_is_recomputed(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    cached("essai", "k", lambda: 1)
    for entry in tmp_path.glob("essai-*.pickle"):
        entry.write_bytes(b"pas un pickle")
    assert cached("essai", "k", lambda: 2) == 2


def test_an_unwritable_cache_only_costs_speed(tmp_path, monkeypatch):
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    monkeypatch.setenv(CACHE_DIR_ENV, str(blocker / "sous-dossier"))
    assert cached("essai", "k", lambda: 5) == 5
