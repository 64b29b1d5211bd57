"""Command line for scheduled backups of the contribution store.

    python -m cartographie.sauvegarde --dossier /var/backups/cartographie [--garder 30]

Writes the same ZIP as the editors' « Télécharger une sauvegarde » button (``sauvegarde.json``
and one CSV per table) into ``--dossier``, named after the date and time, atomically (a backup
is never half written), then keeps the ``--garder`` most recent ones. The store is the one the
app uses (``CARTOGRAPHIE_BASE``, else the SQLite file). Answers in French; exits with a
non-zero code on failure, so that a timer or cron job reports it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from cartographie.domaine.comptes import server_console

PREFIX = "contributions-"


def backup(folder: Path, keep: int, *, now: dt.datetime | None = None, url: str | None = None) -> Path:
    """Write one backup into ``folder`` and prune the oldest beyond ``keep``; returns the file written."""
    from cartographie.lecture.cache import write_atomically
    from cartographie.stockage.store import open_store

    now = now or dt.datetime.now()
    store = open_store(url)
    try:
        data = store.export_backup(server_console())
    finally:
        store.engine.dispose()
    target = Path(folder) / f"{PREFIX}{now:%Y-%m-%d-%H%M%S}.zip"
    write_atomically(target, data)
    # Names carry the date and time, so that they sort in the order they were written.
    for old in sorted(Path(folder).glob(f"{PREFIX}*.zip"))[:-keep]:
        old.unlink(missing_ok=True)
    return target


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m cartographie.sauvegarde``."""
    parser = argparse.ArgumentParser(
        prog="python -m cartographie.sauvegarde", description="Sauvegarde des contributions."
    )
    parser.add_argument("--dossier", type=Path, required=True, help="dossier où écrire les sauvegardes")
    parser.add_argument("--garder", type=int, default=30, help="nombre de sauvegardes conservées (30 par défaut)")
    args = parser.parse_args(argv)
    if args.garder < 1:
        print("« --garder » doit valoir au moins 1.", file=sys.stderr)
        return 2
    try:
        written = backup(args.dossier, args.garder)
    except Exception as exc:  # any failure must reach the timer's log, in French
        print(f"Échec de la sauvegarde : {type(exc).__name__} : {exc}", file=sys.stderr)
        return 1
    print(f"Sauvegarde écrite : {written} ({written.stat().st_size} octets).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
