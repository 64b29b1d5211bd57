#!/usr/bin/env bash
# Install the app's dependencies (in .venv), fetch the reference data if none is found, run the app.
# Usage: ./scripts/lancer.sh [options de streamlit run]
set -euo pipefail
cd "$(dirname "$0")/.."

# The project's virtual environment (.venv, created on first use; see scripts/_python.sh).
. scripts/_python.sh
use_project_python requirements.txt

if ! "$PYTHON" -m cartographie.donnees verifier >/dev/null 2>&1; then
    echo "Aucun dossier de données de référence utilisable : téléchargement des fichiers officiels…"
    if ! "$PYTHON" -m cartographie.donnees mettre-a-jour; then
        echo "L'application démarre quand même et explique comment fournir les données." >&2
    fi
fi

# streamlit run app.py, preloading the first page's libraries while the browser loads (cartographie/demarrage.py).
exec "$PYTHON" -m cartographie.demarrage app.py "$@"
