"""The room-load benchmark runs end to end with a small room through the proxy (CI); N = 300 is run on demand.

Times are printed, never checked: what is checked is that every participant loaded the page and its
files, got its « Merci », every keyword was stored, and the projector ended up counting them all.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cartographie import config
from cartographie.mandataire import nginx_binary


def test_a_small_room_is_served_completely_through_the_proxy(real_folder, tmp_path, monkeypatch):
    from outils.bench_salle import measure, report

    chromium = Path(os.environ.get("CARTOGRAPHIE_CHROMIUM", "/usr/bin/chromium"))
    if nginx_binary() is None or not chromium.exists() or shutil.which("curl") is None:
        if os.environ.get("CI"):
            pytest.fail("nginx, Chromium ou curl absent : ./scripts/tests.sh les installe.")
        pytest.skip("nginx, Chromium ou curl absent : ./scripts/tests.sh les installe.")
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    monkeypatch.setenv(config.CACHE_DIR_ENV, str(tmp_path / "cache"))
    figures = measure(n=8, within=4.0, timeout=60.0, processes=2)
    print(report(figures))
    assert figures["errors"] == []
    assert figures["files"] > 10  # the page's scripts, styles and fonts, as Chromium fetched them
    assert figures["stored"] == 8 and len(figures["ready"]) == 8 and len(figures["acks"]) == 8
    assert len(figures["delays"]) == 8 and max(figures["delays"]) != float("inf"), figures["projector"]
    assert all(received > 100_000 for received in figures["bytes"])  # each phone fetched the files itself


def test_a_keyword_is_late_from_its_thanks_until_the_screen_counts_it():
    from outils.bench_salle import Participant, Projector, keyword_delays

    phones = [Participant(acknowledged_at=t) for t in (10.0, 11.0, 30.0)] + [Participant()]  # one not thanked
    screen = Projector(counts=[(9.0, 0), (14.0, 1), (19.0, 3), (24.0, 3)])
    # the first at 14 s; the second at 19 s; the third counted (19 s) before its thanks reached the phone (30 s)
    assert keyword_delays(phones, screen) == [4.0, 8.0, 0.0]
    assert keyword_delays(phones, Projector(counts=[(9.0, 0), (14.0, 1)])) == [4.0, float("inf"), float("inf")]


def test_the_benchmark_leaves_the_process_able_to_start_processes_from_another_event_loop():
    import asyncio
    import sys
    from concurrent.futures import ThreadPoolExecutor

    from outils.bench_salle import run_apart

    async def echo() -> bytes:
        python = await asyncio.create_subprocess_exec(sys.executable, "-c", "print(1)", stdout=asyncio.subprocess.PIPE)
        return (await python.communicate())[0]

    assert run_apart(echo()).strip() == b"1"  # on the benchmark's loop, with its watcher
    with ThreadPoolExecutor(max_workers=1) as pool:  # then on a loop of another thread (Playwright's, in a test)
        assert pool.submit(asyncio.run, echo()).result().strip() == b"1"
