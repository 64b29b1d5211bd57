"""Room-load benchmark: a room of phones on ``/direct`` and a projector, against one app process.

Participants are protocol-level clients: each opens Streamlit's WebSocket as a browser does, asks
for ``/direct``, submits the keyword form as the browser does, and reads the server's answers.
They cost almost nothing, so the measure is the server's. A projector session shows
``/direct?ecran=1`` and replays its chart's automatic refresh, as the browser's timer would.

Reported: page ready and send → « Merci » times (median, 95th percentile), keywords stored, the
projector chart's staleness (from the last stored keyword to the chart counting it), server
memory and CPU. Usage::

    python -m outils.bench_salle              # 150 participants within 60 s
    python -m outils.bench_salle --n 10 --sur 5
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from cartographie import config
from outils.serveur_local import free_port, start_streamlit, stop, wait_until_healthy

#: What the projector's chart title says (see ``ui.presentation.keywords_screen``: « 8 contributions »),
#: in the chart's JSON, where it is the title's text.
_TITLE_COUNT = re.compile(r'"text":\s*"(\d+) contributions?"')


@dataclass
class Participant:
    """One phone's times (seconds), or what went wrong."""

    ready: float | None = None
    acknowledged: float | None = None
    acknowledged_at: float | None = None  # perf_counter() when « Merci » arrived
    error: str = ""


@dataclass
class Projector:
    """What the projector's chart counted, and when."""

    counts: list[tuple[float, int]] = field(default_factory=list)  # (time, count shown)
    error: str = ""


def _back_msg(query: str, page: str, widgets=None, fragment: str = "", auto: bool = False) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
    from streamlit.proto.WidgetStates_pb2 import WidgetStates

    state = ClientState(
        query_string=query,
        page_name=page,
        widget_states=WidgetStates(widgets=widgets or []),
        fragment_id=fragment,
        is_auto_rerun=auto,
        context_info=ContextInfo(timezone="Europe/Paris", timezone_offset=-60, locale="fr-FR"),
    )
    return BackMsg(rerun_script=state).SerializeToString()


class _Session:
    """One Streamlit session over the WebSocket, read as the browser would."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.page_hash = ""
        self.elements: list = []
        self.auto_rerun: tuple[float, str] | None = None

    async def run_until_finished(self, timeout: float) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.elements = []
        deadline = time.perf_counter() + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError("pas de fin d'exécution")
            message = ForwardMsg()
            message.ParseFromString(await asyncio.wait_for(self.ws.recv(), remaining))
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = message.new_session.page_script_hash
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                self.elements.append(message.delta.new_element)
            elif kind == "auto_rerun":
                self.auto_rerun = (message.auto_rerun.interval, message.auto_rerun.fragment_id)
            elif kind == "script_finished":
                return

    def widget(self, kind: str, label: str):
        for element in self.elements:
            if element.WhichOneof("type") == kind and getattr(element, kind).label == label:
                return getattr(element, kind)
        raise LookupError(f"{kind} « {label} » absent")

    def texts(self) -> str:
        parts = []
        for element in self.elements:
            kind = element.WhichOneof("type")
            if kind == "alert":
                parts.append(element.alert.body)
            elif kind == "plotly_chart":
                parts.append(element.plotly_chart.spec)
        return "\n".join(parts)


def _connect(url: str, timeout: float):
    """Streamlit's WebSocket, opened as a browser of ``url`` opens it (same Origin, ``streamlit`` subprotocol)."""
    import websockets

    return websockets.connect(
        url.replace("http", "ws", 1) + "/_stcore/stream",
        subprotocols=["streamlit"],
        additional_headers={"Origin": url},
        max_size=None,
        open_timeout=timeout,
    )


#: Seconds a phone's person reads the question and types before sending (the app refuses a word sent
#: sooner: :data:`cartographie.domaine.salle.MIN_DWELL`).
TYPING_SECONDS = 2.5


async def participant(url: str, session: str, word: str, delay: float, timeout: float) -> Participant:
    """One phone: wait ``delay``, open ``/direct``, type for a moment, send ``word``; times from the first byte sent."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    result = Participant()
    await asyncio.sleep(delay)
    query = f"session={quote(session)}"
    start = time.perf_counter()
    try:
        async with _connect(url, timeout) as ws:
            s = _Session(ws)
            await ws.send(_back_msg(query, "direct"))
            await s.run_until_finished(timeout)
            result.ready = time.perf_counter() - start
            field_ = s.widget("text_input", "Votre mot-clé")
            button = s.widget("button", "Envoyer")
            await asyncio.sleep(TYPING_SECONDS)
            sent = time.perf_counter()
            await ws.send(
                _back_msg(
                    query,
                    "direct",
                    [WidgetState(id=field_.id, string_value=word), WidgetState(id=button.id, trigger_value=True)],
                )
            )
            await s.run_until_finished(timeout)
            if "Merci" not in s.texts():
                result.error = "pas de « Merci » : " + s.texts()[:120]
            else:
                result.acknowledged_at = time.perf_counter()
                result.acknowledged = result.acknowledged_at - sent
    except Exception as error:  # a failed participant is a result
        result.error = f"{type(error).__name__}: {error}"
    return result


async def projector(url: str, session: str, stop_event: asyncio.Event, timeout: float) -> Projector:
    """The projector's ``/direct?ecran=1``, its chart refreshed as the browser's timer does."""
    result = Projector()
    query = f"session={quote(session)}&ecran=1"
    try:
        async with _connect(url, timeout) as ws:
            s = _Session(ws)
            await ws.send(_back_msg(query, "direct"))
            await s.run_until_finished(timeout)
            while not stop_event.is_set():
                found = _TITLE_COUNT.findall(s.texts())
                shown = int(found[-1]) if found else 0
                result.counts.append((time.perf_counter(), shown))
                _projector_counts[session] = shown
                interval, fragment = s.auto_rerun or (5.0, "")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop_event.wait(), interval)
                if stop_event.is_set():
                    break
                await ws.send(_back_msg(query, "direct", fragment=fragment, auto=True))
                await s.run_until_finished(timeout)
    except Exception as error:
        result.error = f"{type(error).__name__}: {error}"
    return result


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _run(coroutine):
    """Run a coroutine on a fresh event loop in its own thread (the caller may already have a loop running)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def measure(n: int, within: float, timeout: float = 120.0) -> dict:
    """Start one app process, run the room, and return the figures (also the raw participants)."""
    folder = Path(os.environ.get(config.REFERENCE_DIR_ENV, "") or config.DEFAULT_REFERENCE_DIR)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            config.REFERENCE_DIR_ENV: str(folder),
            "CARTOGRAPHIE_BASE_SQLITE": f"{tmp}/salle.sqlite3",
            config.CACHE_DIR_ENV: os.environ.get(config.CACHE_DIR_ENV, f"{tmp}/cache"),
        }
        env.pop(config.DATABASE_URL_ENV, None)
        port = free_port()
        process = start_streamlit(config.PROJECT_DIR / "app.py", port, env, product=True)
        url = f"http://127.0.0.1:{port}"
        try:
            if not wait_until_healthy(url, process, 120):
                raise RuntimeError("le serveur n'a pas démarré")
            session = f"banc-salle-{int(time.time())}"
            # Warm the page once (the first run imports the modules), as a room's organiser would.
            _run(participant(url, "echauffement", "Echauffement", 0, timeout))
            cpu0, t0 = _cpu_seconds(process.pid), time.perf_counter()
            participants, watch, last_ack = _run(_room_with_projector(url, n, within, timeout, session))
            cpu = _cpu_seconds(process.pid) - cpu0
            wall = time.perf_counter() - t0
            rss = _rss_mb(process.pid)
            stored = _stored(env["CARTOGRAPHIE_BASE_SQLITE"], session)
        finally:
            stop(process)
    ready = [p.ready for p in participants if p.ready is not None]
    acks = [p.acknowledged for p in participants if p.acknowledged is not None]
    caught_up = next((t for t, count in watch.counts if count >= stored), None)
    return {
        "n": n,
        "within": within,
        "stored": stored,
        "ready": ready,
        "acks": acks,
        "errors": [p.error for p in participants if p.error] + ([watch.error] if watch.error else []),
        "projector": [count for _, count in watch.counts][-5:],
        "staleness": max(0.0, caught_up - last_ack) if caught_up is not None else float("inf"),
        "cpu": cpu,
        "wall": wall,
        "rss": rss,
    }


async def _room_with_projector(url: str, n: int, within: float, timeout: float, session: str):
    stop_event = asyncio.Event()
    watch_task = asyncio.create_task(projector(url, session, stop_event, timeout))
    await asyncio.sleep(1.0)
    participants = await asyncio.gather(
        *(participant(url, session, f"Mot{i:03d} confiance", i * within / max(n, 1), timeout) for i in range(n))
    )
    last_ack = max((p.acknowledged_at for p in participants if p.acknowledged_at), default=time.perf_counter())
    expected = sum(p.acknowledged is not None for p in participants)
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline and not watch_task.done():
        await asyncio.sleep(0.25)
        counts = _projector_counts.get(session)
        if counts and counts >= expected:
            break
    stop_event.set()
    watch = await watch_task
    return participants, watch, last_ack


_projector_counts: dict[str, int] = {}


def _stored(sqlite_path: str, session: str) -> int:
    import sqlite3

    with sqlite3.connect(sqlite_path) as db:
        return db.execute("SELECT count(*) FROM mots_cles WHERE session = ?", (session,)).fetchone()[0]


def report(figures: dict) -> str:
    """The result as a Markdown table, with the targets."""
    n, ready, acks = figures["n"], figures["ready"], figures["acks"]

    def pair(values: list[float]) -> str:
        return f"{statistics.median(values):.2f} / {_p95(values):.2f} s" if values else "–"

    lines = [
        f"Salle : {n} participants en {figures['within']:.0f} s, un processus, "
        f"{os.cpu_count()} cœurs ; un écran de projection rafraîchi toutes les 5 s",
        "",
        "| participants | enregistrés | page prête p50 / p95 | envoi → « Merci » p50 / p95 "
        "| retard de l'écran | CPU serveur | mémoire serveur |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| {n} | {figures['stored']}/{n} | {pair(ready)} | {pair(acks)} | {figures['staleness']:.1f} s "
        f"| {figures['cpu']:.1f} s sur {figures['wall']:.0f} s | {figures['rss']:.0f} Mo |",
        "",
        "Cibles : tous enregistrés, page prête p95 ≤ 3 s, envoi → « Merci » p95 ≤ 1 s, écran en retard d'au plus "
        "un intervalle (5 s).",
    ]
    if figures["errors"]:
        lines.append(f"Erreurs ({len(figures['errors'])}) : " + " ; ".join(sorted(set(figures["errors"]))[:5]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the room once and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=150, help="participants (150 par défaut)")
    parser.add_argument("--sur", type=float, default=60.0, help="secondes pendant lesquelles ils arrivent")
    parser.add_argument("--json", action="store_true", help="les mesures brutes en JSON")
    args = parser.parse_args(argv)
    figures = measure(args.n, args.sur)
    print(json.dumps(figures, default=float) if args.json else report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
