"""Real-browser fixtures: the real Streamlit server on a free port, Debian's Chromium driven by Playwright.

No test here touches the internet: the browser is started with background networking off,
and every request it makes is recorded so that the tests can assert none left 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from cartographie import config
from outils.bench import CHROMIUM_ARGS
from outils.serveur_local import free_port, prepare_site, site_environment, start_streamlit, stop, wait_until_healthy
from tests.aides.navigateur import ARTIFACTS, EDITOR_PASSWORD, XSS_TITLE

CHROMIUM = Path(os.environ.get("CARTOGRAPHIE_CHROMIUM", "/usr/bin/chromium"))

#: The process of each running test server, by its address (to watch its memory).
SERVER_PROCESSES: dict[str, int] = {}


def _require_browser() -> None:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Chromium ({CHROMIUM}, paquet Debian « chromium »)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("le paquet Python playwright")
    if missing:
        message = "Tests navigateur impossibles : " + ", ".join(missing) + " introuvable(s)."
        if os.environ.get("CI"):
            pytest.fail(message + " En CI, .ci/run doit les installer.")
        pytest.skip(message + " Lancez les tests avec scripts/tests.sh, qui les installe.")


def _seed_contributions(path: Path) -> None:
    """A contribution store holding one approved experience whose title is an HTML injection attempt."""
    from cartographie.stockage.store import open_store

    store = open_store(f"sqlite:///{path}")
    experience_id = store.propose_experience(
        {
            "titre": XSS_TITLE,
            "resume": "Essai d'injection : ce texte doit s'afficher tel quel, http://3232235777/x et www.exemple.fr "
            "aussi (Saint-Dié, a_b, 1.5).",
            "sources": "Compte rendu : https://www.exemple.fr/compte-rendu(1) ; http://3232235777/piege",
            "territoires": [{"type": "commune", "code": "88160"}],
            "statut": "en_cours",
            "acteurs": [{"nom": "<b>Association</b>", "type": "association", "role": "porteur"}],
        }
    )
    store.approve_experience(experience_id, "tests")
    store.engine.dispose()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The app served from a temporary folder (its own static files); returns its app.py."""
    return prepare_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def server_environment(site: Path, real_folder: Path, tmp_path_factory) -> dict:
    """What every test server runs with: real reference data, temporary cache, an editor password."""
    from cartographie.stockage.connexion import hash_password

    environment = site_environment(site, dict(os.environ))
    environment.pop(config.DATABASE_URL_ENV, None)
    environment.pop(config.PUBLIC_ADDRESS_ENV, None)  # the QR codes take the address the browser used
    return {
        **environment,
        config.REFERENCE_DIR_ENV: str(real_folder),
        config.CACHE_DIR_ENV: str(tmp_path_factory.mktemp("cache-serveur")),
        config.EDITOR_HASH_ENV: hash_password(EDITOR_PASSWORD),
    }


@contextlib.contextmanager
def _serve(site: Path, environment: dict, folder: Path, log_name: str, *, product: bool = True, port: int = 0):
    """The app on ``port`` (a free one by default) with its own contribution store in ``folder``; stopped on exit.

    ``product``: started as the launcher starts it; else with a plain ``streamlit run app.py``.
    """
    _require_browser()
    database = folder / "contributions.sqlite3"
    _seed_contributions(database)
    port = port or free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # each test process writes its servers' logs apart
    if worker:
        log_name = f"{Path(log_name).stem}-{worker}{Path(log_name).suffix}"
    log = open(ARTIFACTS / log_name, "w")  # noqa: SIM115 - closed in finally
    env = {**environment, "CARTOGRAPHIE_BASE_SQLITE": str(database)}
    process = start_streamlit(site, port, env, stdout=log, product=product)
    url = f"http://127.0.0.1:{port}"
    SERVER_PROCESSES[url] = process.pid
    try:
        if not wait_until_healthy(url, process, timeout=60):
            raise RuntimeError(f"Le serveur Streamlit n'a pas démarré (voir {log.name}).")
        yield url
    finally:
        stop(process)
        log.close()
        SERVER_PROCESSES.pop(url, None)


@pytest.fixture(scope="session")
def server_url(site: Path, server_environment: dict, tmp_path_factory) -> str:
    """Start the app on a free port; wait on /_stcore/health; stop it afterwards."""
    with _serve(site, server_environment, tmp_path_factory.mktemp("contributions"), "streamlit-server.log") as url:
        yield url


@pytest.fixture(scope="module")
def writing_server_url(site: Path, server_environment: dict, tmp_path_factory) -> str:
    """A server of its own for the tests that write (answers, proposals): the shared one keeps its demo results."""
    folder = tmp_path_factory.mktemp("contributions-ecriture")
    with _serve(site, server_environment, folder, "streamlit-server-ecriture.log") as url:
        yield url


@pytest.fixture(scope="module")
def plain_server_url(site: Path, server_environment: dict, tmp_path_factory) -> str:
    """The app started with a plain ``streamlit run app.py`` (no launcher): its guards must hold all the same."""
    folder = tmp_path_factory.mktemp("contributions-simple")
    with _serve(site, server_environment, folder, "streamlit-server-simple.log", product=False) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_server_url(site: Path, server_environment: dict, tmp_path_factory) -> str:
    """A server of its own for hostile files: they must not slow the other tests' server."""
    with _serve(site, server_environment, tmp_path_factory.mktemp("hostile"), "streamlit-server-hostile.log") as url:
        yield url


@pytest.fixture(scope="module")
def oidc(server_environment: dict, tmp_path_factory):
    """A local OpenID Connect provider, and the app configured to sign editors in through it (no other way).

    Yields the provider, the app's address and its contribution store (to allow addresses, read the log).
    """
    import secrets

    from cartographie.stockage.store import Store
    from tests.aides.fournisseur_oidc import OidcProvider

    with OidcProvider() as provider:
        site = prepare_site(tmp_path_factory.mktemp("site-oidc"))
        port = free_port()
        (site.parent / ".streamlit" / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            'client_id = "cartographie-tests"\n'
            'client_secret = "secret-des-tests"\n'
            f'server_metadata_url = "{provider.url}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        environment = site_environment(site, server_environment)
        environment.pop(config.EDITOR_HASH_ENV, None)
        folder = tmp_path_factory.mktemp("contributions-oidc")
        with _serve(site, environment, folder, "streamlit-server-oidc.log", port=port) as url:
            store = Store(f"sqlite:///{folder / 'contributions.sqlite3'}")
            yield provider, url, store
            store.engine.dispose()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, to inject into the pages walked (installed by ``scripts/tests.sh``)."""
    from tests.aides.parcours import AXE

    if not AXE.is_file():
        message = "axe-core absent : lancez ./scripts/tests.sh (npm ci dans tests/navigateur/js)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def server_pid():
    """The process of a running test server, from its address (to watch its memory)."""
    return SERVER_PROCESSES.__getitem__


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, through Playwright."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser, request):
    """A fresh 1440×900 page that records every request; screenshot kept when a test fails."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda req: tab.requests.append(req.url))
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        tab.screenshot(path=str(ARTIFACTS / f"echec-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
