"""Two app processes on one PostgreSQL database: what is written through one is seen through the other.

This is how a regional installation grows beyond one process (see the deployment guide in the
README). Each process keeps its own caches; these tests prove that none of them hides a write
made by the other process: a live keyword, an approved experience, a survey answer.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from cartographie import config
from outils.serveur_local import free_port, start_streamlit, stop, wait_until_healthy
from tests.aides.navigateur import ARTIFACTS, CHART_WRITES, click_at_rest, send_keyword, sign_in_editor, wait_for_app

EXPERIENCE_TITLE = "Coopération vue par deux processus"
SESSION = "deux-processus"


def _postgres() -> str:
    url = os.environ.get("CARTOGRAPHIE_TEST_POSTGRES", "")
    if not url:
        message = 'PostgreSQL absent : eval "$(./scripts/postgresql.sh start)" avant les tests.'
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture(scope="module")
def shared_database():
    """A new PostgreSQL database for both processes, seeded with 10 answers and one pending experience."""
    server = _postgres()
    name = f"cartographie_deux_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = server.rsplit("/", 1)[0] + f"/{name}"
    from cartographie.domaine.enquete.demo import demo_answers
    from cartographie.lecture.questionnaire import load_questionnaire
    from cartographie.stockage.store import open_store

    store = open_store(url)
    questionnaire = load_questionnaire().with_departements({"57": "Moselle", "67": "Bas-Rhin"})
    store.add_survey_answers("2026", demo_answers(questionnaire, "2026", 10, seed=5), origine="import")
    store.propose_experience(
        {
            "titre": EXPERIENCE_TITLE,
            "resume": "Proposée avant le démarrage des deux serveurs.",
            "territoires": [{"type": "commune", "code": "57463"}],
            "statut": "en_cours",
            "acteurs": [{"nom": "Ville de Metz", "type": "commune", "role": "porteur"}],
        }
    )
    store.engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def two_servers(shared_database, site: Path, server_environment: dict):
    """Two app processes on two ports, one database."""
    env = {**server_environment, config.DATABASE_URL_ENV: shared_database}
    ARTIFACTS.mkdir(exist_ok=True)
    processes, urls, logs = [], [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = open(ARTIFACTS / f"serveur-{name}.log", "w")  # noqa: SIM115 - closed in finally
            logs.append(log)
            processes.append(start_streamlit(site, port, env, stdout=log))
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            assert wait_until_healthy(url, process, timeout=90), f"serveur {url} non démarré"
        yield urls
    finally:
        for process in processes:
            stop(process)
        for log in logs:
            log.close()


def _shows(page, text: str) -> None:
    """Wait until ``text`` is part of what the page shows (select boxes included)."""
    page.wait_for_function("(text) => document.body.innerText.includes(text)", arg=text, timeout=30_000)


def _ready(page) -> None:
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def test_a_keyword_sent_through_one_process_reaches_the_other_live_chart(browser, two_servers):
    first, second = two_servers
    watcher = browser.new_page(viewport={"width": 1440, "height": 900})
    watcher.goto(f"{second}/direct?session={SESSION}&ecran=1", wait_until="domcontentloaded")
    _ready(watcher)
    sender = browser.new_page(viewport={"width": 412, "height": 915})
    sender.goto(f"{first}/direct?session={SESSION}", wait_until="domcontentloaded")
    _ready(sender)
    send_keyword(sender, "Réciprocité")
    # The other process's chart refreshes every 5 s, without any reload: allow one interval and some slack.
    watcher.wait_for_function(CHART_WRITES, arg="Réciprocité", timeout=12_000)
    watcher.close()
    sender.close()


def test_an_experience_approved_in_one_process_is_public_in_the_other(browser, two_servers):
    first, second = two_servers
    visitor = browser.new_page(viewport={"width": 1440, "height": 900})
    visitor.goto(f"{second}/cooperations", wait_until="domcontentloaded")
    _ready(visitor)
    visitor.get_by_text("Le réseau des acteurs").first.wait_for(timeout=30_000)
    assert EXPERIENCE_TITLE not in visitor.evaluate("document.body.textContent")  # still pending

    editor = browser.new_page(viewport={"width": 1440, "height": 900})
    editor.goto(f"{first}/moderation", wait_until="domcontentloaded")
    _ready(editor)
    sign_in_editor(editor)
    editor.get_by_text(EXPERIENCE_TITLE).first.click()  # the pending item's expander
    editor.get_by_role("button", name="Approuver").first.click()
    editor.get_by_text("0 expérience(s) en attente").wait_for(timeout=30_000)

    visitor.reload(wait_until="domcontentloaded")  # a new visit of the other process, not a restart
    _ready(visitor)
    # In the registry's table (a canvas grid whose cells are in the document) and the network.
    visitor.wait_for_function("(t) => document.body.textContent.includes(t)", arg=EXPERIENCE_TITLE, timeout=30_000)
    visitor.close()
    editor.close()


def _choose(page, key: str, option: str) -> None:
    """Tick a radio option of the question ``key``."""
    page.locator(f".st-key-{key}").get_by_text(option, exact=True).click()
    wait_for_app(page)  # each answer reruns the page, which redraws the next questions


def _pick(page, key: str, options: list[str]) -> None:
    """Choose in a select box or a multiselect of the question ``key``."""
    box = page.locator(f".st-key-{key}").get_by_role("combobox")
    for option in options:
        click_at_rest(page, box)  # opens the list, as a person does before typing
        page.get_by_role("listbox").first.wait_for(timeout=30_000)
        box.press_sequentially(option)  # typing filters the list to the matching option
        page.get_by_role("option", name=option, exact=True).click()
    if page.get_by_role("listbox").count():  # a multiselect stays open (Escape would undo a select box)
        box.press("Escape")
        page.get_by_role("listbox").first.wait_for(state="detached", timeout=30_000)
    wait_for_app(page)


def test_a_survey_answer_sent_through_one_process_is_counted_by_the_other(browser, two_servers):
    first, second = two_servers
    reader = browser.new_page(viewport={"width": 1440, "height": 900})
    reader.goto(f"{second}/resultats", wait_until="domcontentloaded")
    _ready(reader)
    _shows(reader, "2026 (10 réponses)")  # the chart title: edition and number of answers

    form = browser.new_page(viewport={"width": 1440, "height": 2400})
    form.goto(f"{first}/enquete", wait_until="domcontentloaded")
    _ready(form)
    form.get_by_role("button", name="Envoyer mes réponses").wait_for(timeout=30_000)
    _choose(form, "q_type_acteur", "Association")
    _pick(form, "q_departement", ["Moselle"])
    _choose(form, "q_niveau_territoire", "La commune")
    _choose(form, "q_role", "Direction")
    _pick(form, "q_partenaires", ["Communes"])
    _choose(form, "q_frequence", "Chaque mois")
    _choose(form, "q_formalisation", "Une convention signée")
    _pick(form, "q_leviers", ["Un objectif partagé"])
    _pick(form, "q_contraintes", ["Le manque de temps"])
    for key in ("volonte", "but_commun", "meme_territoire", "confiance", "temps", "financement"):
        _choose(form, f"q_accord_{key}", "Plutôt d'accord")
    form.get_by_role("button", name="Envoyer mes réponses").click()
    try:
        form.get_by_text("Votre réponse est enregistrée").wait_for(timeout=30_000)
    finally:
        form.screenshot(path=str(ARTIFACTS / "deux-processus-formulaire.png"), full_page=True)

    reader.reload(wait_until="domcontentloaded")
    _ready(reader)
    _shows(reader, "2026 (11 réponses)")
    reader.screenshot(path=str(ARTIFACTS / "deux-processus-resultats.png"))
    reader.close()
    form.close()
