"""A real Streamlit server on 127.0.0.1, for the browser tests and the benchmark (one way to start it)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def prepare_site(folder: Path) -> Path:
    """A folder to serve the app from without writing into the repository; returns its ``app.py``.

    Streamlit serves ``static/`` beside the main script, and the app writes there the files it
    generates (Leaflet, the maps' data). The site holds a copy of ``app.py`` and of
    ``.streamlit/``, a link to ``pages/`` and its own ``static/``; start the server with
    ``CARTOGRAPHIE_STATIQUE`` set to that folder (see :func:`site_environment`).
    """
    import shutil

    from cartographie import config

    folder = Path(folder)
    (folder / "static").mkdir(parents=True, exist_ok=True)
    shutil.copy(config.PROJECT_DIR / "app.py", folder / "app.py")
    shutil.copytree(config.PROJECT_DIR / ".streamlit", folder / ".streamlit", dirs_exist_ok=True)
    shutil.copy(config.STATIC_DIR / "favicon.png", folder / "static" / "favicon.png")
    if not (folder / "pages").exists():
        (folder / "pages").symlink_to(config.PROJECT_DIR / "pages", target_is_directory=True)
    return folder / "app.py"


def site_environment(site_app: Path, env: dict) -> dict:
    """``env`` for a server started from a :func:`prepare_site` site: the package found, its own static folder."""
    from cartographie import config

    paths = [str(config.PROJECT_DIR), *filter(None, env.get("PYTHONPATH", "").split(":"))]
    return {**env, "PYTHONPATH": ":".join(paths), config.STATIC_DIR_ENV: str(Path(site_app).parent / "static")}


def free_port() -> int:
    """A TCP port free on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_streamlit(
    script: Path, port: int, env: dict, *, stdout=subprocess.DEVNULL, product: bool = True
) -> subprocess.Popen:
    """Start ``script`` on 127.0.0.1:``port``, headless, without usage statistics.

    The product starts as ``scripts/lancer.sh`` starts it (``python -m cartographie.demarrage``);
    any other script (the benchmark's naive page) with a plain ``streamlit run``.
    """
    launcher = ["-m", "cartographie.demarrage"] if product else ["-m", "streamlit", "run"]
    return subprocess.Popen(
        [
            sys.executable,
            *launcher,
            script.name,
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=script.parent,
        env=env,
        stdout=stdout,
        stderr=subprocess.STDOUT,
    )


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float) -> bool:
    """Poll ``/_stcore/health`` until it answers (``False`` if the server died or ``timeout`` passed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.05)
    return False


def stop(process: subprocess.Popen) -> None:
    """Terminate the server, killing it if it does not stop within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
