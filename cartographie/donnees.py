"""Command line for the reference data.

    python -m cartographie.donnees mettre-a-jour [--region 44] [--dest DOSSIER]
    python -m cartographie.donnees verifier [--dossier DOSSIER]
    python -m cartographie.donnees indicateurs FICHIER.csv [--dossier DOSSIER]

``mettre-a-jour`` downloads the official files and rebuilds the folder (the previous one is
kept if anything fails); ``verifier`` loads a folder through the normal loaders and says
whether the app can use it; ``indicateurs`` checks a local file of INSEE's QPV indicators (INSEE's
column names) and writes the region's rows into a folder written by ``mettre-a-jour``, with its
entry in the folder's manifest. Each answers in French and exits with a non-zero code on failure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cartographie import config
from cartographie.lecture.erreurs import ReferenceDataError


def _verify(folder: Path) -> int:
    from cartographie.lecture.reference import load_reference

    try:
        ref = load_reference(folder)
    except ReferenceDataError as exc:
        print(f"Données de référence inutilisables : {exc}", file=sys.stderr)
        return 1
    print(
        f"Données de référence valides ({ref.region_info.nom}) dans {folder} : {len(ref.qpv)} QPV, "
        f"{len(ref.contrats_2024)} contrats de ville, {len(ref.epci)} EPCI, {len(ref.communes)} communes."
    )
    quality = ref.credits_qualite
    if quality is not None:
        print(f"\nCrédits adultes-relais et FONJEP : {quality.summary()}")
        alerts = quality.of(niveau="alerte")
        notes = quality.of(niveau="note")
        if alerts:
            print(f"Alertes ({len(alerts)}) : années signalées « données douteuses » à l'écran et dans les exports.")
            for finding in alerts:
                print(f"  ⚠ {finding.texte}")
        if notes:
            print(f"Notes ({len(notes)}) :")
            for finding in notes:
                print(f"  - {finding.texte}")
        if quality.annees:
            print(f"Année affichée par défaut (la plus récente sans alerte) : {quality.default_year()}.")
    return 0


def _update(folder: Path, region: str, timeout: float) -> int:
    from cartographie.mise_a_jour import UpdateError, update

    print(f"Mise à jour des données de référence (région {region}) dans {folder}…", file=sys.stderr)
    try:
        report = update(folder, region, timeout=timeout)
    except UpdateError as exc:
        print(f"\nÉchec de la mise à jour : {exc}", file=sys.stderr)
        print("Les données précédentes (s'il y en avait) sont intactes.", file=sys.stderr)
        print(
            f"Sans accès à Internet, indiquez un dossier local de données avec la variable "
            f"{config.REFERENCE_DIR_ENV} (voir le README).",
            file=sys.stderr,
        )
        return 1
    print(f"Mise à jour terminée : {len(report.fichiers)} fichiers écrits dans {report.dossier}.")
    return 0


def _indicators(source: Path, folder: Path) -> int:
    """Check a local file of INSEE's QPV indicators against the folder's QPV and write the region's rows into it."""
    import datetime as dt
    import hashlib
    import json

    from cartographie.lecture.cache import write_atomically
    from cartographie.lecture.indicateurs import COLUMNS, load_qpv_indicators
    from cartographie.lecture.reference import load_reference
    from cartographie.lecture.sources import FOLDER_MANIFEST, load_manifest, region_suffix

    recorded = folder / FOLDER_MANIFEST
    if not recorded.is_file():
        print(
            f"Rien n'est écrit : {folder} n'a pas de {FOLDER_MANIFEST} (ce n'est pas un dossier écrit par "
            "« mettre-a-jour » ; un miroir ne se modifie pas à la main).",
            file=sys.stderr,
        )
        return 1
    try:
        ref = load_reference(folder)
        frame = load_qpv_indicators(source, ref.qpv, ref.communes, ref.qpv_communes)
    except (ReferenceDataError, OSError) as exc:
        print(f"Fichier d'indicateurs refusé, rien n'est écrit : {exc}", file=sys.stderr)
        return 1
    names = dict(zip(ref.qpv["code_qp"], ref.qpv["lib_qp"], strict=True))
    out = frame.rename(columns={ours: insee for insee, ours in COLUMNS.items()})  # INSEE's names back
    out.insert(1, "lib_qp", out["codeQPV"].map(names))
    entry = load_manifest().fichiers["qpv_indicateurs"]
    target = folder / entry.filename(region_suffix(folder))
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    manifest = json.loads(recorded.read_text(encoding="utf-8"))
    manifest.setdefault("sources", {})["qpv_indicateurs"] = {
        "titre": entry.titre,
        "producteur": "INSEE (fichier local importé)",
        "millesime": "millésime non précisé par la source",
        "licence": "Licence Ouverte 2.0 (données de l'INSEE)",
        "adresse": "",
        "note": entry.note,
        "canal": f"fichier local {source.name} (SHA-256 {digest[:16]}…) importé le {dt.date.today():%d/%m/%Y}",
    }
    manifest.setdefault("fichiers", {})[target.name] = len(out)
    write_atomically(target, out.to_csv(index=False).encode("utf-8"))
    write_atomically(recorded, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    print(f"Indicateurs de {len(out)} QPV écrits dans {target} (source inscrite dans {FOLDER_MANIFEST}).")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m cartographie.donnees``."""
    parser = argparse.ArgumentParser(prog="python -m cartographie.donnees", description="Données de référence.")
    commands = parser.add_subparsers(dest="commande", required=True)
    maj = commands.add_parser("mettre-a-jour", help="télécharger les fichiers officiels et reconstruire le dossier")
    maj.add_argument("--region", default=config.DEFAULT_REGION, help="code INSEE de la région (44 : Grand Est)")
    maj.add_argument("--dest", type=Path, default=None, help="dossier à reconstruire (défaut : celui de l'application)")
    maj.add_argument("--delai", type=float, default=60.0, help="délai d'attente par téléchargement, en secondes")
    ver = commands.add_parser("verifier", help="vérifier qu'un dossier de données est utilisable")
    ver.add_argument("--dossier", type=Path, default=None, help="dossier à vérifier (défaut : celui de l'application)")
    ind = commands.add_parser("indicateurs", help="importer un fichier local des indicateurs des QPV de l'INSEE")
    ind.add_argument("fichier", type=Path, help="CSV aux colonnes de l'INSEE (codeQPV, popMuniQPV, indiceJeunesse…)")
    ind.add_argument("--dossier", type=Path, default=None, help="dossier de données (défaut : celui de l'application)")
    args = parser.parse_args(argv)
    if args.commande == "indicateurs":
        return _indicators(args.fichier, args.dossier or config.reference_dir())
    if args.commande == "verifier":
        return _verify(args.dossier or config.reference_dir())
    return _update(args.dest or config.reference_dir(), args.region, args.delai)


if __name__ == "__main__":
    sys.exit(main())
