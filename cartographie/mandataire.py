"""A room's deployment in one command: nginx (Debian's package) in front of several app processes on one database.

    python -m cartographie.mandataire --processus 2 --port 8080 --adresse-publique http://192.168.1.20:8080

* nginx serves Streamlit's own interface files (``/static/…``, named after their content) itself,
  compressed once in advance (brotli with Debian's module ``libnginx-mod-http-brotli-static``,
  else gzip) and cached for a year by the browsers: a phone's first visit weighs a fraction of the
  uncompressed bundle, and the app processes never see them. Its icon font is cut down to the icons
  the interface and the app can show (:mod:`cartographie.icones`: 67 KB instead of 375 KB);
* everything else goes to the app processes (``127.0.0.1``, the ports after ``--port``), with the
  WebSocket upgrade, each browser kept on its process by a cookie (``cartographie_route``, not its
  address: a whole room shares one), the page compressed on the fly, and the public address given
  to every process so that the QR codes carry it;
* the processes share the database (``CARTOGRAPHIE_BASE``, PostgreSQL for a real deployment):
  contributions, keyword limits and sign-in budgets are counted there.

Everything it writes (nginx's configuration, its temporary files, the compressed copy of the
interface) goes into ``--dossier`` (a temporary folder by default). Ctrl+C stops it all.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from cartographie import config, icones

#: The files nginx compresses (on the fly for the app's answers; in advance for Streamlit's interface).
COMPRESSED_TYPES = "text/css application/javascript application/json image/svg+xml text/plain"  # and text/html, always
#: The cookie that keeps a browser on its app process.
ROUTE_COOKIE = "cartographie_route"


def streamlit_static() -> Path:
    """The folder of Streamlit's interface files (``index.html`` and ``static/``) in the installed package."""
    from importlib.util import find_spec

    return Path(find_spec("streamlit").origin).parent / "static"  # found, not imported


def precompressed_static(folder: Path, source: Path | None = None, icons: set[str] | None = None) -> Path:
    """A copy of Streamlit's ``static/static`` (or ``source``) with ``.gz`` and ``.br`` beside each text file.

    Its icon font keeps only the icons named in ``icons`` (by default, every name the interface and
    the app can show: :mod:`cartographie.icones`). Made once per Streamlit version and set of icons
    in ``folder`` (a second call reuses it). The files are compressed on every core, the largest
    first (brotli 11 is slow: 15 s of processor for Streamlit 1.67's 23 MB of scripts; brotli and
    zlib release Python's lock while they compress).
    """
    from concurrent.futures import ThreadPoolExecutor
    from importlib.metadata import version

    icons = icones.names_in_use() if icons is None else icons
    target = Path(folder) / f"streamlit-{version('streamlit')}-icones-{icones.digest(icons)}"
    done = target / ".complet"
    if done.exists():
        return target
    source = source or streamlit_static() / "static"
    Path(folder).mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix="statique-", dir=folder))
    texts: list[tuple[Path, Path]] = []
    for path in source.rglob("*"):
        if path.is_dir():
            continue
        copy = partial / path.relative_to(source)
        copy.parent.mkdir(parents=True, exist_ok=True)
        if path.match(icones.FONT_GLOB):
            copy.write_bytes(icones.subset(path, icons)[0])
            continue
        shutil.copy2(path, copy)
        if path.suffix in (".js", ".css", ".json", ".svg", ".map", ".txt", ".html"):
            texts.append((path, copy))
    texts.sort(key=lambda pair: -pair[0].stat().st_size)
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        list(pool.map(_compress, texts))  # (list: an error in a thread is raised here)
    partial.chmod(0o755)  # nginx's workers (another user when started as root) read it
    (partial / ".complet").touch()
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target


#: Debian's brotli module for nginx (package libnginx-mod-http-brotli-static): brotli files served when present.
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def _compress(pair: tuple[Path, Path]) -> None:
    """Write ``copy.gz`` and ``copy.br`` beside ``copy``, from the file ``source`` (``pair``)."""
    import brotli

    source, copy = pair
    data = source.read_bytes()
    Path(f"{copy}.gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    # The most compact for the files a first visit loads (Streamlit's protobuf: 861 KB, 71 KB in
    # brotli 11, 79 KB in brotli 9); quicker for the few larger ones (plotly's, deck.gl's…).
    Path(f"{copy}.br").write_bytes(brotli.compress(data, quality=11 if len(data) <= 1_000_000 else 9))


def nginx_config(*, listen: str, ports: list[int], static: Path, folder: Path, brotli: bool | None = None) -> str:
    """The proxy's nginx configuration: ``listen`` (``127.0.0.1:8080``), the app processes' ports.

    Streamlit's interface is served brotli-compressed to the browsers that accept it when Debian's
    brotli module is installed (``brotli``: whether to use it; found by default), gzip-compressed else.
    """
    brotli = BROTLI_MODULE.exists() if brotli is None else brotli
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=0;" for port in ports)  # never marked down
    temp = "\n".join(
        f"    {name}_temp_path {folder / ('tmp-' + name)};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""# Written by python -m cartographie.mandataire; do not edit (it is written again at each start).
{f"load_module {BROTLI_MODULE};" if brotli else "# (brotli: module absent, gzip only)"}
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "erreurs.log"} warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
{temp}
    sendfile on;
    tcp_nodelay on;
    keepalive_timeout 65;
    gzip on;
    gzip_comp_level 5;
    gzip_min_length 1024;
    gzip_proxied any;
    gzip_vary on;
    gzip_types {COMPRESSED_TYPES};
    map $cookie_{ROUTE_COOKIE} $cartographie_route {{
        ""      $request_id;
        default $cookie_{ROUTE_COOKIE};
    }}
    upstream cartographie {{
        hash $cartographie_route consistent;
{servers}
    }}
    server {{
        listen {listen};
        client_max_body_size 25m;
        # Streamlit's interface, named after its content: served here, compressed in advance, kept a year.
        location /static/ {{
            alias {static}/;
            gzip_static on;{chr(10) + "            brotli_static on;" if brotli else ""}
            add_header Cache-Control "public, max-age=31536000, immutable";
        }}
        # The icon font, cut down to the icons the app shows (cartographie.icones): under Streamlit's name
        # for the whole font, so asked again at each visit (a 304 when unchanged), never kept stale.
        location /static/media/MaterialSymbols- {{
            alias {static}/media/MaterialSymbols-;
            add_header Cache-Control "no-cache";
        }}
        location / {{
            add_header Set-Cookie "{ROUTE_COOKIE}=$cartographie_route; Path=/; HttpOnly; SameSite=Lax";
            add_header X-Cartographie-Processus $upstream_addr;
            proxy_pass http://cartographie;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 86400;
        }}
    }}
}}
"""


def nginx_binary() -> str | None:
    """Debian's nginx, or ``None`` when it is not installed."""
    return shutil.which("nginx") or (str(Path("/usr/sbin/nginx")) if Path("/usr/sbin/nginx").exists() else None)


def start(
    *,
    processes: int,
    port: int,
    folder: Path,
    public: str | None,
    address: str = "127.0.0.1",
    env: dict | None = None,
    site: Path = config.PROJECT_DIR,
    app_ports: list[int] | None = None,
) -> list[subprocess.Popen]:
    """Start the app processes (ports ``port + 1`` …, or ``app_ports``; from ``site``) and nginx on ``address:port``.

    Returns the processes, nginx last.

    Started as root, nginx's workers run as another user (``nobody``): ``folder`` is made readable by
    all (it holds the configuration and Streamlit's public files), and its parents must be too.
    """
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    nginx = nginx_binary()
    if nginx is None:
        raise SystemExit("nginx introuvable : installez le paquet Debian « nginx » (ou « nginx-light »).")
    environment = dict(os.environ if env is None else env)
    if public:
        environment[config.PUBLIC_ADDRESS_ENV] = public
    ports = app_ports or [port + 1 + n for n in range(processes)]
    command = [sys.executable, "-m", "cartographie.demarrage", "app.py", "--server.address", "127.0.0.1"]
    started = [
        subprocess.Popen([*command, "--server.port", str(p), "--server.headless", "true"], cwd=site, env=environment)
        for p in ports
    ]
    try:  # while the app processes load their data
        static = precompressed_static(folder, icons=icones.names_in_use(app_dirs=icones.app_code(site)))
        conf = folder / "nginx.conf"
        conf.write_text(nginx_config(listen=f"{address}:{port}", ports=ports, static=static, folder=folder), "utf-8")
        started.append(subprocess.Popen([nginx, "-c", str(conf), "-p", str(folder), "-g", "daemon off;"]))
    except BaseException:
        stop(started)
        raise
    return started


def stop(processes: list[subprocess.Popen]) -> None:
    """Stop nginx and the app processes (killed if they do not stop within 10 s)."""
    for process in reversed(processes):
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _interrupted(*_) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Start everything, wait for Ctrl+C (or for one of them to stop), stop everything."""
    parser = argparse.ArgumentParser(prog="python -m cartographie.mandataire", description=__doc__.split("\n")[0])
    parser.add_argument("--processus", type=int, default=2, help="nombre de processus de l'application (2)")
    parser.add_argument("--port", type=int, default=8080, help="port du mandataire (8080) ; les processus suivent")
    parser.add_argument("--ecoute", default="0.0.0.0", help="adresse d'écoute du mandataire (0.0.0.0 : le réseau)")
    parser.add_argument("--adresse-publique", help="adresse que les téléphones ouvrent (codes QR)")
    parser.add_argument("--dossier", type=Path, help="dossier de travail (un dossier temporaire par défaut)")
    args = parser.parse_args(argv)
    if not 1 <= args.processus <= 16:
        parser.error("--processus : de 1 à 16.")
    if not os.environ.get(config.DATABASE_URL_ENV):
        print("Attention : CARTOGRAPHIE_BASE est vide, les processus partagent le fichier SQLite.", file=sys.stderr)
    folder = args.dossier or Path(tempfile.mkdtemp(prefix="cartographie-mandataire-"))
    processes = start(processes=args.processus, port=args.port, folder=folder, public=args.adresse_publique,
                      address=args.ecoute)  # fmt: skip
    print(f"Mandataire sur {args.ecoute}:{args.port}, {args.processus} processus ; Ctrl+C pour arrêter.")
    signal.signal(signal.SIGTERM, _interrupted)  # systemd's stop: the same as Ctrl+C
    try:
        processes[-1].wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop(processes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
