"""The room-load benchmark runs end to end with a small room (CI); N = 150 is run on demand.

Times are printed, never checked: what is checked is that every participant got its page and its
« Merci », every keyword was stored, and the projector ended up counting them all.
"""

from __future__ import annotations

from cartographie import config


def test_a_small_room_is_served_completely(real_folder, tmp_path, monkeypatch):
    from outils.bench_salle import measure, report

    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    monkeypatch.setenv(config.CACHE_DIR_ENV, str(tmp_path / "cache"))
    figures = measure(n=8, within=4.0, timeout=60.0)
    print(report(figures))
    assert figures["errors"] == []
    assert figures["stored"] == 8 and len(figures["ready"]) == 8 and len(figures["acks"]) == 8
    assert figures["staleness"] != float("inf"), figures["projector"]
