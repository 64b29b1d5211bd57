"""The map in the browser: click → painted per filter, and page → every QPV painted, against another commit.

    python -m outils.bench_carte [--avant COMMIT] [--runs 12] [--donnees DOSSIER] [--sans-national]

Measured in Debian's Chromium, on a warm server (its disk cache filled by a first load, not
counted), at region scale (real data) and for a synthetic France (:mod:`outils.synthetique`):

* **page → every QPV painted**: from opening ``/carte`` in a new tab to every QPV of the
  territory drawn in the map's frame (as a polygon or a symbol);
* **click → painted**, per filter (a department, a contrat de ville, the status « Nouveau »):
  from the click on the option in the sidebar's list to the map showing exactly the QPV of that
  choice (counted through the app's own filter, :func:`cartographie.domaine.filtres.filter_qpv`).

With ``--avant COMMIT``, that commit is checked out in a temporary worktree and served beside
the working tree, each with its own cache and database; the two are measured in turn, round
by round, the order swapped at each round, so that the machine's drift touches both alike.
The table gives each median, and the median of the per-round ratios (after / before).
Targets (quiet machine): click → painted ≤ 300 ms, page → every QPV ≤ 2 s (region).
Timings are never asserted by the test suite; this script is run on demand.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from cartographie import config
from outils.bench import CHROMIUM_ARGS, MAP_FRAME, PRODUCT_QPV_SELECTOR
from outils.serveur_local import free_port, start_streamlit, stop, wait_until_healthy

#: JavaScript: whether the map's frame shows exactly ``a[2]`` QPV.
_COUNT = (
    "(a) => { const f = document.querySelector(a[0]); const d = f && f.contentDocument;"
    " return Boolean(d) && d.querySelectorAll(a[1]).length === a[2]; }"
)


@dataclass
class Choice:
    """One filter choice measured: the list's label, the option's text, the QPV then shown."""

    name: str
    field: str
    option: str
    expected: int


@dataclass
class Version:
    """A version of the app served during the run, and its samples (measure name → seconds)."""

    name: str
    root: Path
    process: subprocess.Popen | None = None
    url: str = ""
    samples: dict[str, list[float]] = field(default_factory=dict)


def choices_of(folder: Path) -> tuple[int, list[Choice]]:
    """The territory's QPV count and the choices measured: its largest department and contrat, the new QPV."""
    from cartographie.domaine.filtres import Selection, filter_index, filter_qpv
    from cartographie.lecture.reference import load_reference

    ref = load_reference(folder)
    qpv, links = ref.qpv, ref.qpv_communes
    labels = filter_index(qpv, links).labels
    dep = qpv["insee_dep"].value_counts().index[0]
    contrat = qpv["code_cv_2024"].value_counts().index[0]

    def count(**chosen) -> int:
        return len(filter_qpv(qpv, Selection(**chosen), links))

    contrat_label = labels["contrats"][contrat]
    return len(qpv), [
        Choice("département", "Département", labels["departements"][dep], count(departements=(dep,))),
        Choice("contrat de ville", "Contrat de ville 2024–2030", contrat_label, count(contrats=(contrat,))),
        Choice("statut « Nouveau »", "Statut par rapport à 2015", "Nouveau", count(statuts=("NOUVEAU",))),
    ]


def start(version: Version, folder: Path, workdir: Path, timeout: float) -> None:
    """Serve ``version`` on data ``folder``, with its own cache and database; load the map once (not counted)."""
    own = workdir / f"{version.name}-{folder.name}"
    own.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(version.root),
        config.REFERENCE_DIR_ENV: str(folder),
        config.CACHE_DIR_ENV: str(own / "cache"),
        config.SQLITE_PATH_ENV: str(own / "contributions.sqlite3"),
    }
    env.pop(config.STATIC_DIR_ENV, None)  # each version serves and writes its own ``static/``
    env.pop(config.DATABASE_URL_ENV, None)
    port = free_port()
    version.process = start_streamlit(version.root / "app.py", port, env, product=True)
    version.url = f"http://127.0.0.1:{port}"
    if not wait_until_healthy(version.url, version.process, timeout):
        raise RuntimeError(f"{version.name} : le serveur n'a pas démarré")


def page_to_painted(browser, version: Version, total: int, timeout: float) -> float:
    """Seconds from opening ``/carte`` in a new tab to ``total`` QPV drawn."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        begin = time.perf_counter()
        page.goto(f"{version.url}/carte", wait_until="commit")
        page.wait_for_function(_COUNT, arg=[MAP_FRAME, PRODUCT_QPV_SELECTOR, total], timeout=timeout * 1000)
        return time.perf_counter() - begin
    finally:
        context.close()


def clicks_to_painted(browser, version: Version, total: int, choices: list[Choice], timeout: float) -> dict[str, float]:
    """For each choice, seconds from the click on its option to the map showing its QPV (then undone)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    times = {}
    try:
        page = context.new_page()
        page.set_default_timeout(timeout * 1000)
        page.goto(f"{version.url}/carte")
        page.wait_for_function(_COUNT, arg=[MAP_FRAME, PRODUCT_QPV_SELECTOR, total])
        idle = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        for choice in choices:
            field_ = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')
            field_ = field_.filter(has_text=choice.field).locator("input").first
            field_.click()
            field_.fill(choice.option)
            option = page.get_by_role("option", name=choice.option, exact=True)
            option.wait_for()
            begin = time.perf_counter()
            option.click()
            page.wait_for_function(_COUNT, arg=[MAP_FRAME, PRODUCT_QPV_SELECTOR, choice.expected], polling="raf")
            times[choice.name] = time.perf_counter() - begin
            page.keyboard.press("Escape")
            page.wait_for_function(idle)
            field_.click()
            page.keyboard.press("Backspace")  # undo: every QPV again
            page.wait_for_function(_COUNT, arg=[MAP_FRAME, PRODUCT_QPV_SELECTOR, total])
            page.keyboard.press("Escape")
            page.wait_for_function(idle)
    finally:
        context.close()
    return times


def measure(browser, versions: list[Version], folder: Path, runs: int, timeout: float, workdir: Path) -> None:
    """Every measure of one territory, the versions alternated round by round."""
    total, choices = choices_of(folder)
    for version in versions:
        version.samples = {}
        start(version, folder, workdir, timeout)
    try:
        for version in versions:  # warm-up: disk cache, browser cache, first run of each page
            page_to_painted(browser, version, total, timeout)
        for round_ in range(runs):
            order = versions if round_ % 2 == 0 else versions[::-1]
            for version in order:
                version.samples.setdefault("page → tous les QPV dessinés", []).append(
                    page_to_painted(browser, version, total, timeout)
                )
                for name, seconds in clicks_to_painted(browser, version, total, choices, timeout).items():
                    version.samples.setdefault(f"clic → carte dessinée ({name})", []).append(seconds)
    finally:
        for version in versions:
            if version.process:
                stop(version.process)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def rows_of(territory: str, versions: list[Version]) -> list[list[str]]:
    """One row per measure: each version's median (n), and the median ratio of the rounds (after / before)."""
    rows = []
    for measure_name in versions[-1].samples:
        row = [territory, measure_name]
        for version in versions:
            values = version.samples[measure_name]
            row.append(f"{_ms(statistics.median(values))} (n={len(values)})")
        if len(versions) == 2:
            pairs = zip(versions[0].samples[measure_name], versions[1].samples[measure_name], strict=True)
            row.append(f"{statistics.median(after / before for before, after in pairs):.2f}×")
        rows.append(row)
    return rows


def print_table(rows: list[list[str]], versions: list[Version]) -> None:
    """The Markdown table and the targets."""
    header = ["territoire", "mesure", *[v.name for v in versions]] + (["après / avant"] if len(versions) == 2 else [])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print(f"\nCarte dans Chromium, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cœurs")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    print("\nCibles (machine au repos) : clic → carte dessinée ≤ 300 ms ; page → tous les QPV ≤ 2 s (région).")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m outils.bench_carte", description=__doc__.split("\n\n")[0])
    parser.add_argument("--avant", default=None, help="commit mesuré en alternance avec l'arbre de travail")
    parser.add_argument("--runs", type=int, default=12, help="tours de mesure (au moins 10)")
    parser.add_argument("--donnees", type=Path, default=None, help="dossier régional (défaut : celui de l'app)")
    parser.add_argument("--sans-national", action="store_true", help="sans la France synthétique")
    parser.add_argument("--timeout", type=float, default=120.0, help="délai maximal d'une mesure (s)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Serve the versions, measure each territory, print the table."""
    args = _arguments(argv)
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="cartographie-bench-carte-"))
    versions = [Version("après (arbre de travail)", config.PROJECT_DIR)]
    worktree = workdir / "avant"
    try:
        if args.avant:
            subprocess.run(
                ["git", "-C", str(config.PROJECT_DIR), "worktree", "add", "--detach", str(worktree), args.avant],
                check=True,
                capture_output=True,
            )
            versions.insert(0, Version(f"avant ({args.avant})", worktree))
        territories = [("région (données réelles)", Path(args.donnees) if args.donnees else config.reference_dir())]
        if not args.sans_national:
            from outils.synthetique import generate_france

            print("Génération de la France synthétique…", file=sys.stderr)
            territories.append(("France synthétique", generate_france(workdir / "france")))
        rows = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            for name, folder in territories:
                print(f"Mesures : {name}…", file=sys.stderr)
                measure(browser, versions, folder, args.runs, args.timeout, workdir)
                rows += rows_of(name, versions)
            browser.close()
    finally:
        if args.avant:
            subprocess.run(
                ["git", "-C", str(config.PROJECT_DIR), "worktree", "remove", "--force", str(worktree)],
                capture_output=True,
            )
        shutil.rmtree(workdir, ignore_errors=True)
    print_table(rows, versions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
