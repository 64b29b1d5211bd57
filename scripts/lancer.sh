#!/usr/bin/env bash
# Install the app's dependencies, fetch the reference data if none is found, run the app.
# Usage: ./scripts/lancer.sh [options de streamlit run]
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r requirements.txt

if ! python3 -m cartographie.donnees verifier 2>/dev/null; then
    echo "Aucun dossier de données de référence utilisable : téléchargement des fichiers officiels…"
    if ! python3 -m cartographie.donnees mettre-a-jour; then
        echo "L'application démarre quand même et explique comment fournir les données." >&2
    fi
fi

# streamlit run app.py, preloading the first page's libraries while the browser loads (cartographie/demarrage.py).
exec python3 -m cartographie.demarrage app.py "$@"
