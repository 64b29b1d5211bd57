"""Room-load benchmark: a room of phones on ``/direct`` and a projector, against one app process or the proxy.

Participants are protocol-level clients that do what a phone's browser does: the page's GET, then
every file a real Chromium fetched on its first visit to ``/direct`` (listed once at the start,
fetched six at a time, compressed as the browser accepts: gzip, brotli), cookies kept (the proxy's
route, Streamlit's XSRF token, the participant's own), Streamlit's WebSocket opened with the same
subprotocols, and the keyword form submitted with the four widget states the browser sends. The
projector shows ``/direct?ecran=1`` and reruns its chart every 5 s on a fixed timer, as the
browser's does. With ``--revisite``, the phones come back: each makes only the requests of Chromium's
second visit (its cache answers the rest; a file it asks again goes with its revalidation header).

Reported: page ready and send → « Merci » times (median, 95th percentile), keywords stored, every
keyword's delay until the projector counts it (p50, p95, max), bytes received per phone, server
CPU and memory. Usage::

    python -m outils.bench_salle                          # 150 participants within 60 s, one process
    python -m outils.bench_salle --n 300 --sur 20 --mandataire 2   # nginx and 2 processes
    python -m outils.bench_salle --n 300 --sur 20 --mandataire 2 --revisite   # phones that come back
    python -m outils.bench_salle --n 10 --sur 5
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
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
    bytes_http: int = 0  # the page and its files, as received (compressed)
    bytes_ws: int = 0  # the WebSocket, as received (its handshake, its frames compressed if negotiated)
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
            raw = await asyncio.wait_for(self.ws.recv(), remaining)
            message.ParseFromString(raw)
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


def _connect(url: str, timeout: float, cookies: dict[str, str] | None = None):
    """Streamlit's WebSocket, opened as a browser of ``url`` opens it.

    Same Origin, its cookies, and the subprotocols ``streamlit`` and the XSRF token (from the cookie
    the page's GET set).
    """
    import websockets

    cookies = cookies or {}
    protocols = ["streamlit"] + ([cookies["_streamlit_xsrf"]] if "_streamlit_xsrf" in cookies else [])
    headers = {"Origin": url}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return websockets.connect(
        url.replace("http", "ws", 1) + "/_stcore/stream",
        subprotocols=protocols,
        additional_headers=headers,
        max_size=None,
        open_timeout=timeout,
        create_connection=_counted_connection(),
    )


@functools.cache
def _counted_connection():
    """A WebSocket connection that counts the bytes it receives as they arrive (``wire``).

    Compressed when the server agreed to compress its messages (permessage-deflate, as a browser asks).
    """
    from websockets.asyncio.client import ClientConnection

    class Counted(ClientConnection):
        wire = 0

        def data_received(self, data: bytes) -> None:
            self.wire += len(data)
            super().data_received(data)

    return Counted


#: Seconds a phone's person reads the question and types before sending (the app refuses a word sent
#: sooner: :data:`cartographie.domaine.salle.MIN_DWELL`).
TYPING_SECONDS = 2.5
#: Connections a browser opens to one host (HTTP/1.1).
BROWSER_CONNECTIONS = 6


#: One request of a visit: its path, and the headers that make it conditional (``If-None-Match: …``), if any.
Fetch = tuple[str, tuple[str, ...]]
#: The headers a browser adds to ask again for a file it keeps in its cache.
_CONDITIONAL = ("if-none-match", "if-modified-since")


def browser_visits(url: str, session: str = "inventaire", *, again: bool = True) -> tuple[list[Fetch], list[Fetch]]:
    """What a real Chromium fetches on its first visit to ``/direct``, then on a second one (``again``), in order.

    The second visit is a new tab of the same browser (its cache kept): only what the cache cannot
    answer, with the headers of a revalidation when it asks again for a file it keeps. The page's
    own GET and the WebSocket are left out (the participants make them themselves). Run on a thread
    of its own: Playwright's synchronous API refuses a thread where an event loop runs (a test
    process that drives a browser already).
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_browser_visits, url, session, again).result()


def _browser_visits(url: str, session: str, again: bool) -> tuple[list[Fetch], list[Fetch]]:
    from playwright.sync_api import sync_playwright

    from outils.bench import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = os.environ.get("CARTOGRAPHIE_CHROMIUM", "/usr/bin/chromium")
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 412, "height": 915})
            first = _one_visit(context, url, session)
            second = _one_visit(context, url, session) if again else []
        finally:
            browser.close()
    return first, second


def _from_cache(response: dict) -> bool:
    """Whether the browser's cache answered (a revalidation that the server answered 304 is not)."""
    return bool(response.get("fromDiskCache") or response.get("fromMemoryCache") or response.get("fromPrefetchCache"))


def _one_visit(context, url: str, session: str) -> list[Fetch]:
    """The requests of one visit in a new tab of ``context`` that reached the network (not the cache)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    sent: dict[str, str] = {}
    headers: dict[str, dict] = {}
    cached: set[str] = set()
    cdp.on("Network.requestWillBeSent", lambda e: sent.setdefault(e["requestId"], e["request"]["url"]))
    cdp.on("Network.requestWillBeSentExtraInfo", lambda e: headers.setdefault(e["requestId"], e["headers"]))
    cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
    cdp.on("Network.responseReceived", lambda e: cached.add(e["requestId"]) if _from_cache(e["response"]) else None)
    page.goto(f"{url}/direct?session={quote(session)}", wait_until="domcontentloaded")
    page.get_by_label("Votre mot-clé").wait_for(timeout=120_000)
    page.close()
    fetches: dict[str, tuple[str, ...]] = {}
    for request, address in sent.items():
        if request in cached or not address.startswith(url) or "/_stcore/stream" in address or "/direct?" in address:
            continue
        asked = {k.lower(): v for k, v in headers.get(request, {}).items()}
        fetches.setdefault(address[len(url) :], tuple(f"{k}: {asked[k]}" for k in _CONDITIONAL if k in asked))
    return list(fetches.items())


async def _curl(*args: str) -> str:
    """Run curl and return its output.

    The files are fetched by curl, in C, so that the benchmark's own Python does not become the
    room's bottleneck (300 phones × 93 files in 20 s are 1 400 requests a second).
    """
    process = await asyncio.create_subprocess_exec(
        "curl", "--silent", "--show-error", "--no-progress-meter", "--max-time", "120", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    if process.returncode:
        raise RuntimeError(f"curl : {err.decode(errors='replace')[:120]}")
    return out.decode()


async def _visit(url: str, query: str, files: list[Fetch], jar: Path, result: Participant) -> dict[str, str]:
    """The page's GET, then its files, six at a time; returns the cookies the browser would keep.

    A file asked again with a revalidation's header is asked on its own, with it. Bytes are counted
    as received, headers included (compressed: a phone's own processor decompresses them).
    """
    accept = ["-H", "Accept-Encoding: gzip, deflate, br", "-b", str(jar), "-c", str(jar)]
    accept += ["-w", "%{size_download} %{size_header}\\n"]
    received = sum(map(int, (await _curl("--fail", *accept, "-o", "/dev/null", f"{url}/direct?{query}")).split()))
    targets: list[str] = []
    for path, conditional in files:
        if not conditional:
            targets += ["-o", "/dev/null", f"{url}{path}"]
    asked = [_curl(*accept, *(a for h in c for a in ("-H", h)), "-o", "/dev/null", f"{url}{p}") for p, c in files if c]
    if targets:
        # (as the browser, whatever their status: Streamlit's page probes a few addresses that answer 404)
        asked.append(_curl("--parallel", "--parallel-max", str(BROWSER_CONNECTIONS), *accept, *targets))
    for sizes in await asyncio.gather(*asked):
        received += sum(int(n) for n in sizes.split())
    result.bytes_http = received
    cookies = {}
    for line in jar.read_text().splitlines():
        fields = line.split("\t")
        if len(fields) == 7:  # Netscape's format; « #HttpOnly_ » marks the lines of HttpOnly cookies
            cookies[fields[5]] = fields[6]
    return cookies


async def participant(
    url: str, session: str, word: str, delay: float, timeout: float, files: list[Fetch] | None = None
) -> Participant:
    """One phone: wait ``delay``, load ``/direct`` as a browser does, type for a moment, send ``word``.

    Times count from the page's GET (from the WebSocket when ``files`` is ``None``: the protocol alone).
    """
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    result = Participant()
    await asyncio.sleep(delay)
    query = f"session={quote(session)}"
    start = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory() as own:
            jar = Path(own) / "cookies.txt"
            jar.touch()
            cookies = await _visit(url, query, files, jar, result) if files is not None else {}
            async with _connect(url, timeout, cookies) as ws:
                s = _Session(ws)
                await ws.send(_back_msg(query, "direct"))
                await s.run_until_finished(timeout)
                result.ready = time.perf_counter() - start
                field_ = s.widget("text_input", "Votre mot-clé")
                button = s.widget("button", "Envoyer")
                toggles = [s.widget("checkbox", label) for label in TOGGLES]
                await asyncio.sleep(TYPING_SECONDS)
                sent = time.perf_counter()
                states = [WidgetState(id=field_.id, string_value=word), WidgetState(id=button.id, trigger_value=True)]
                states += [WidgetState(id=t.id, bool_value=False) for t in toggles]  # as the browser sends them
                await ws.send(_back_msg(query, "direct", states))
                await s.run_until_finished(timeout)
                result.bytes_ws = ws.wire
                if "Merci" not in s.texts():
                    result.error = "pas de « Merci » : " + s.texts()[:120]
                else:
                    result.acknowledged_at = time.perf_counter()
                    result.acknowledged = result.acknowledged_at - sent
    except Exception as error:  # a failed participant is a result
        result.error = f"{type(error).__name__}: {error}"
    return result


#: The phone page's toggles (the browser sends their state with every rerun).
TOGGLES = ("Voir les mots de la salle", "Animer la salle : code QR et écran en direct")


async def projector(url: str, session: str, stop_event: asyncio.Event, timeout: float) -> Projector:
    """The projector's ``/direct?ecran=1``, its chart rerun on a fixed 5-s timer (as the browser's ``setInterval``)."""
    result = Projector()
    query = f"session={quote(session)}&ecran=1"
    try:
        async with _connect(url, timeout) as ws:
            s = _Session(ws)
            await ws.send(_back_msg(query, "direct"))
            await s.run_until_finished(timeout)
            started, tick = time.perf_counter(), 0
            while not stop_event.is_set():
                found = _TITLE_COUNT.findall(s.texts())
                shown = int(found[-1]) if found else 0
                result.counts.append((time.perf_counter(), shown))
                _projector_counts[session] = shown
                interval, fragment = s.auto_rerun or (5.0, "")
                tick += 1
                with contextlib.suppress(TimeoutError):  # the next tick of the timer, whatever the run took
                    await asyncio.wait_for(stop_event.wait(), max(0.0, started + tick * interval - time.perf_counter()))
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


def run_apart(coroutine):
    """Run a coroutine on a fresh event loop in its own thread (the caller may already have a loop running)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_run_here, coroutine).result()


def _run_here(coroutine):
    return asyncio.run(_with_child_watcher(coroutine))


async def _with_child_watcher(coroutine):
    # Python 3.11 waits for each child process (the phones' curl) on a thread of its own: 300 threads
    # fighting for the interpreter's lock. Linux's process descriptors let the event loop wait for them.
    # The watcher is the process's: the one before is put back, else the next event loop of the process
    # (Playwright's, in a test) would find one tied to this closed loop and could start no process.
    if sys.version_info >= (3, 12) or not hasattr(asyncio, "PidfdChildWatcher"):
        return await coroutine
    import warnings

    policy = asyncio.get_event_loop_policy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        previous = policy.get_child_watcher()
        watcher = asyncio.PidfdChildWatcher()
        watcher.attach_loop(asyncio.get_running_loop())
        policy.set_child_watcher(watcher)
    try:
        return await coroutine
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            policy.set_child_watcher(previous)


@contextlib.contextmanager
def _servers(tmp: str, processes: int, database: str | None):
    """One bare app process (``processes`` = 0), or nginx in front of ``processes``; yields (address, pids, db)."""
    folder = Path(os.environ.get(config.REFERENCE_DIR_ENV, "") or config.DEFAULT_REFERENCE_DIR)
    database = database or f"sqlite:///{tmp}/salle.sqlite3"
    env = {
        **os.environ,
        config.REFERENCE_DIR_ENV: str(folder),
        config.DATABASE_URL_ENV: database,
        config.CACHE_DIR_ENV: os.environ.get(config.CACHE_DIR_ENV, f"{tmp}/cache"),
    }
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app_ports = [free_port() for _ in range(processes)]  # not port + 1…: another server may hold those
    if processes:
        from cartographie import mandataire

        started = mandataire.start(processes=processes, port=port, folder=Path(tmp) / "mandataire", public=None,
                                   env=env, app_ports=app_ports)  # fmt: skip
        apps, waited = started[:-1], started[-1]
    else:
        started = apps = [start_streamlit(config.PROJECT_DIR / "app.py", port, env, product=True)]
        waited = apps[0]
    own = [f"http://127.0.0.1:{p}" for p in app_ports] if processes else [url]
    try:
        for address, app in zip(own, apps, strict=True):
            if not wait_until_healthy(address, app, 120):
                raise RuntimeError("le serveur n'a pas démarré")
        if not wait_until_healthy(url, waited, 60):
            raise RuntimeError("le mandataire n'a pas démarré")
        yield url, own, [a.pid for a in apps], database, (None if not processes else started[-1].pid)
    finally:
        if processes:
            from cartographie import mandataire

            mandataire.stop(started)
        else:
            stop(apps[0])


def measure(n: int, within: float, timeout: float = 120.0, *, processes: int = 0, database: str | None = None,
            browser_files: bool = True, revisit: bool = False) -> dict:  # fmt: skip
    """Run the room against one app process (``processes`` = 0) or the proxy; returns the figures and raw times.

    ``revisit``: the phones come back (their browser keeps the interface in its cache): each makes
    the requests of Chromium's second visit instead of its first.
    """
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp).chmod(0o755)  # nginx's workers read the proxy's folder
        with _servers(tmp, processes, database) as (url, apps, pids, database, nginx):
            session = f"banc-salle-{int(time.time())}"
            files = browser_visits(url, again=revisit)[1 if revisit else 0] if browser_files else None
            # Warm each process, on its own port (the first runs import the modules), as a room's organiser
            # trying the page would.
            for app in apps:
                for _ in range(2):
                    run_apart(participant(app, "echauffement", "Echauffement", 0, timeout))
            proxies = _children(nginx) if nginx else []  # nginx's workers
            cpu0, t0, own0 = sum(map(_cpu_seconds, pids)), time.perf_counter(), _own_cpu()
            proxy0 = sum(map(_cpu_seconds, proxies))
            participants, watch = run_apart(_room_with_projector(url, n, within, timeout, session, files))
            cpu = sum(map(_cpu_seconds, pids)) - cpu0
            proxy_cpu = sum(map(_cpu_seconds, proxies)) - proxy0
            client_cpu = _own_cpu() - own0
            wall = time.perf_counter() - t0
            rss = sum(map(_rss_mb, pids))
            stored = _stored(database, session)
    ready = [p.ready for p in participants if p.ready is not None]
    acks = [p.acknowledged for p in participants if p.acknowledged is not None]
    return {
        "n": n,
        "within": within,
        "processes": processes,
        "files": len(files or []),
        "revisit": revisit,
        "stored": stored,
        "ready": ready,
        "acks": acks,
        "errors": [p.error for p in participants if p.error] + ([watch.error] if watch.error else []),
        "projector": [count for _, count in watch.counts][-5:],
        "delays": keyword_delays(participants, watch),
        "bytes": [p.bytes_http + p.bytes_ws for p in participants if p.ready is not None],
        "bytes_ws": [p.bytes_ws for p in participants if p.ready is not None],
        "cpu": cpu,
        "proxy_cpu": proxy_cpu,
        "client_cpu": client_cpu,
        "wall": wall,
        "rss": rss,
    }


def _own_cpu() -> float:
    """The benchmark's processor time: its own, and its curl processes' (ended children)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started (nginx's workers)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(status.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(status.parent.name))
    return found


def keyword_delays(participants: list[Participant], watch: Projector) -> list[float]:
    """For every stored keyword, in the order they were acknowledged: seconds until the projector counted it.

    0 when the screen counted it already when its « Merci » reached the phone (a busy server can
    send the screen's run before the phone's); infinite when the screen never counted it.
    """
    acknowledged = sorted(p.acknowledged_at for p in participants if p.acknowledged_at is not None)
    delays = []
    for rank, at in enumerate(acknowledged, start=1):
        shown = [count for t, count in watch.counts if t <= at]
        if shown and shown[-1] >= rank:
            delays.append(0.0)
            continue
        seen = next((t for t, count in watch.counts if t >= at and count >= rank), None)
        delays.append(float("inf") if seen is None else seen - at)
    return delays


async def _room_with_projector(url: str, n: int, within: float, timeout: float, session: str, files):
    stop_event = asyncio.Event()
    watch_task = asyncio.create_task(projector(url, session, stop_event, timeout))
    await asyncio.sleep(1.0)
    participants = await asyncio.gather(
        *(participant(url, session, f"Mot{i:03d} confiance", i * within / max(n, 1), timeout, files) for i in range(n))
    )
    expected = sum(p.acknowledged is not None for p in participants)
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline and not watch_task.done():
        await asyncio.sleep(0.25)
        counts = _projector_counts.get(session)
        if counts and counts >= expected:
            break
    await asyncio.sleep(0.1)
    stop_event.set()
    watch = await watch_task
    return participants, watch


_projector_counts: dict[str, int] = {}


def _stored(database: str, session: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(database)
    try:
        with engine.connect() as conn:
            query = sa.text("SELECT count(*) FROM mots_cles WHERE session = :session")
            return int(conn.execute(query, {"session": session}).scalar_one())
    finally:
        engine.dispose()


def report(figures: dict) -> str:
    """The result as a Markdown table, with the targets."""
    n, ready, acks, delays = figures["n"], figures["ready"], figures["acks"], figures["delays"]

    def pair(values: list[float]) -> str:
        return f"{statistics.median(values):.2f} / {_p95(values):.2f} s" if values else "–"

    where = f"nginx et {figures['processes']} processus" if figures["processes"] else "un processus seul"
    per_phone = statistics.median(figures["bytes"]) / 1000 if figures["bytes"] else 0  # 1 Ko = 1 000 octets
    per_phone_ws = statistics.median(figures["bytes_ws"]) / 1000 if figures["bytes_ws"] else 0
    lines = [
        f"Salle : {n} participants en {figures['within']:.0f} s, {where}, {os.cpu_count()} cœurs ; "
        f"chaque téléphone charge la page et ses {figures['files']} fichiers"
        + (" (il revient : le reste est dans le cache de son navigateur)" if figures.get("revisit") else "")
        + " ; un écran de projection rafraîchi "
        "toutes les 5 s",
        "",
        "| participants | enregistrés | page prête p50 / p95 | envoi → « Merci » p50 / p95 "
        "| mot → écran p50 / p95 / max | reçu par téléphone | CPU serveur | mémoire serveur |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| {n} | {figures['stored']}/{n} | {pair(ready)} | {pair(acks)} "
        f"| {_delays(delays)} | {per_phone:.0f} Ko (WebSocket {per_phone_ws:.0f}) "
        f"| {figures['cpu']:.1f} s sur {figures['wall']:.0f} s "
        f"| {figures['rss']:.0f} Mo |",
        "",
        "Cibles : tous enregistrés, page prête p95 ≤ 3 s, envoi → « Merci » p95 ≤ 1 s, chaque mot à l'écran en "
        "un intervalle + 1 s (6 s), ≤ 1 Mo reçu par téléphone à sa première visite (en-têtes compris ; 1 Mo = "
        "10⁶ octets).",
        f"Processeur du banc lui-même (les {n} téléphones simulés, sur la même machine) : "
        f"{figures['client_cpu']:.1f} s ; de nginx : {figures['proxy_cpu']:.1f} s.",
    ]
    if figures["errors"]:
        lines.append(f"Erreurs ({len(figures['errors'])}) : " + " ; ".join(sorted(set(figures["errors"]))[:5]))
    return "\n".join(lines)


def _delays(delays: list[float]) -> str:
    if not delays:
        return "–"
    return f"{statistics.median(delays):.1f} / {_p95(delays):.1f} / {max(delays):.1f} s"


def main(argv: list[str] | None = None) -> int:
    """Run the room once and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=150, help="participants (150 par défaut)")
    parser.add_argument("--sur", type=float, default=60.0, help="secondes pendant lesquelles ils arrivent")
    parser.add_argument("--mandataire", type=int, default=0, metavar="N",
                        help="nginx devant N processus (0 : un processus seul, sans mandataire)")  # fmt: skip
    parser.add_argument("--base", help="adresse SQLAlchemy de la base (PostgreSQL) ; SQLite temporaire sinon")
    parser.add_argument("--protocole-seul", action="store_true", help="sans la page ni ses fichiers (ancien banc)")
    parser.add_argument("--revisite", action="store_true",
                        help="des téléphones qui reviennent : l'interface dans le cache du navigateur")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="les mesures brutes en JSON")
    args = parser.parse_args(argv)
    figures = measure(args.n, args.sur, processes=args.mandataire, database=args.base,
                      browser_files=not args.protocole_seul, revisit=args.revisite)  # fmt: skip
    print(json.dumps(figures, default=float) if args.json else report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
