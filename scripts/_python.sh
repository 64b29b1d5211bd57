# Sourced by lancer.sh and tests.sh: the project's own Python environment, created on first use.
#
# Debian 12 and Ubuntu 24.04 refuse `pip install` into the system Python (PEP 668), so the
# project never installs there: it uses the virtual environment that is active, if any, else
# `.venv/` at the root of the repository (ignored by git), created with the system's python3
# (3.11 or newer) the first time and reused afterwards. Requirements are installed again only
# when a requirements file changes.
#
# After `use_project_python requirements.txt`, $PYTHON is the interpreter to run.

_say() { printf '%s\n' "$*" >&2; }

use_project_python() {
    local requirements="$1"
    if [ -n "${VIRTUAL_ENV:-}" ] && [ -x "$VIRTUAL_ENV/bin/python" ]; then
        PYTHON="$VIRTUAL_ENV/bin/python"
    else
        local base="${CARTOGRAPHIE_PYTHON:-python3}"
        if ! command -v "$base" >/dev/null 2>&1; then
            _say "Python 3 est introuvable. Installez-le (Debian, Ubuntu : sudo apt install python3 python3-venv)."
            exit 1
        fi
        if ! "$base" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
            _say "Python 3.11 ou plus récent est nécessaire ($("$base" --version 2>&1) trouvé)."
            exit 1
        fi
        if [ ! -x .venv/bin/python ]; then
            if ! "$base" -c 'import venv, ensurepip' >/dev/null 2>&1; then
                _say "Le module venv de Python est absent : installez-le, puis relancez."
                _say "  Debian, Ubuntu : sudo apt install python3-venv"
                _say "  (ou indiquez un autre Python 3.11+ avec la variable CARTOGRAPHIE_PYTHON)"
                exit 1
            fi
            _say "Création de l'environnement Python du projet (.venv)…"
            if ! "$base" -m venv .venv; then
                rm -rf .venv
                _say "La création de .venv a échoué. Sous Debian ou Ubuntu : sudo apt install python3-venv"
                exit 1
            fi
        fi
        PYTHON="$PWD/.venv/bin/python"
    fi
    # Install only when the requirements changed since the last installation in this environment.
    local stamp
    stamp="$(cat requirements*.txt | "$PYTHON" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])')"
    local marker
    marker="$("$PYTHON" -c 'import sys; print(sys.prefix)')/.cartographie-$(basename "$requirements" .txt)-$stamp"
    if [ ! -f "$marker" ]; then
        _say "Installation des dépendances ($requirements)…"
        "$PYTHON" -m pip install --quiet --disable-pip-version-check -r "$requirements"
        rm -f "$(dirname "$marker")"/.cartographie-"$(basename "$requirements" .txt)"-*
        touch "$marker"
    fi
    export PYTHON
}
