from __future__ import annotations

from cartographie import config
from cartographie.lecture.cache import cached


def test_results_are_reused_from_disk_and_keyed(tmp_path, monkeypatch):
    monkeypatch.setenv(config.CACHE_DIR_ENV, str(tmp_path / "cache"))
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
    monkeypatch.setenv(config.CACHE_DIR_ENV, str(tmp_path))
    cached("essai", "k", lambda: 1)
    for entry in tmp_path.glob("essai-*.pickle"):
        entry.write_bytes(b"pas un pickle")
    assert cached("essai", "k", lambda: 2) == 2


def test_an_unwritable_cache_only_costs_speed(tmp_path, monkeypatch):
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    monkeypatch.setenv(config.CACHE_DIR_ENV, str(blocker / "sous-dossier"))
    assert cached("essai", "k", lambda: 5) == 5


def test_only_the_most_recently_used_entries_of_a_name_are_kept(tmp_path, monkeypatch):
    import os

    from cartographie.lecture import cache

    monkeypatch.setenv(config.CACHE_DIR_ENV, str(tmp_path))
    other = cached("essai-pages", "k", lambda: "autre nom")  # its name starts like the other one's
    for number in range(cache.KEEP_PER_NAME):
        cached("essai", number, lambda number=number: number)
    for age, entry in enumerate(sorted(tmp_path.glob("essai-*.pickle"))):
        os.utime(entry, (1_000_000 + age, 1_000_000 + age))  # old, in a known order
    assert cached("essai", 0, lambda: "recalculé") == 0  # read: used now
    cached("essai", "nouveau", lambda: "nouveau")  # one too many: the least recently used goes
    own = [e for e in tmp_path.glob("essai-*.pickle") if not e.name.startswith("essai-pages-")]
    assert len(own) == cache.KEEP_PER_NAME
    assert cached("essai", 0, lambda: "recalculé") == 0
    assert cached("essai-pages", "k", lambda: "recalculé") == other


def test_a_temporary_file_left_by_an_interrupted_write_goes_away(tmp_path, monkeypatch):
    import os

    monkeypatch.setenv(config.CACHE_DIR_ENV, str(tmp_path))
    left = tmp_path / "interrompu.tmp"
    left.write_bytes(b"x")
    os.utime(left, (1_000_000, 1_000_000))
    fresh = tmp_path / "en-cours.tmp"  # another server writing right now
    fresh.write_bytes(b"x")
    cached("essai", "k", lambda: 1)
    assert not left.exists() and fresh.exists()


def test_the_key_follows_the_code_and_the_library_versions(tmp_path, monkeypatch):
    import importlib.metadata

    from cartographie.lecture import cache

    monkeypatch.setenv(config.CACHE_DIR_ENV, str(tmp_path))
    cache._code_version.cache_clear()
    assert cached("essai", "k", lambda: "avant") == "avant"
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "99.0" if name == "geopandas" else real(name))
    cache._code_version.cache_clear()
    assert cached("essai", "k", lambda: "après une mise à jour de geopandas") == "après une mise à jour de geopandas"
    monkeypatch.setattr(cache, "_PRODUCERS", ("domaine",))
    cache._code_version.cache_clear()
    assert cached("essai", "k", lambda: "autre code") == "autre code"
    cache._code_version.cache_clear()
