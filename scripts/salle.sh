#!/usr/bin/env bash
# A room's deployment in one command: nginx (Debian) in front of several app processes on one database.
# Usage: ./scripts/salle.sh [--processus 2] [--port 8080] [--adresse-publique http://192.168.1.20:8080]
# (python -m cartographie.mandataire --help lists the options). Ctrl+C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/_python.sh
use_project_python requirements.txt

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    echo "nginx introuvable : sudo apt install nginx libnginx-mod-http-brotli-static" >&2
    exit 1
fi
if ! "$PYTHON" -m cartographie.donnees verifier >/dev/null 2>&1; then
    echo "Aucun dossier de données de référence utilisable : téléchargement des fichiers officiels…"
    "$PYTHON" -m cartographie.donnees mettre-a-jour || true
fi
exec "$PYTHON" -m cartographie.mandataire "$@"
