#!/usr/bin/env bash
# Install what the tests need, then run all of them (unit, AppTest, real browser).
# Usage: ./scripts/tests.sh [pytest options]
set -euo pipefail
cd "$(dirname "$0")/.."

# The project's virtual environment (.venv, created on first use; see scripts/_python.sh).
. scripts/_python.sh
use_project_python requirements-dev.txt

# A Debian package, installed as root or through sudo when possible; false otherwise.
install_debian_package() {
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installation de $1 (paquet Debian)…"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
    elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
        echo "Installation de $1 (paquet Debian, sudo)…"
        sudo apt-get update -qq
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
    else
        return 1
    fi
}

# The browser tests drive Debian's Chromium (never a browser downloaded by Playwright).
if [ ! -x "${CARTOGRAPHIE_CHROMIUM:-/usr/bin/chromium}" ]; then
    install_debian_package chromium \
        || echo "Chromium introuvable : les tests navigateur seront ignorés (installez le paquet « chromium »)." >&2
fi

# The room's proxy test (tests/navigateur/test_mandataire_navigateur.py) runs Debian's nginx, with its brotli module.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    install_debian_package nginx-light || install_debian_package nginx \
        || echo "nginx introuvable : le test du mandataire sera ignoré (installez le paquet « nginx »)." >&2
fi
# The room benchmark's phones fetch the page's files with curl (tests/outils/test_bench_salle.py).
if ! command -v curl >/dev/null 2>&1; then
    install_debian_package curl || echo "curl introuvable : le banc de salle sera ignoré." >&2
fi
if [ ! -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]; then
    install_debian_package libnginx-mod-http-brotli-static \
        || echo "Module brotli de nginx absent : le mandataire servira l'interface en gzip." >&2
fi

# The printable sheets (PDF) and map images write French with DejaVu when the system has it (else a
# simplified Helvetica); the tests check the French text, so they need it.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
    install_debian_package fonts-dejavu-core \
        || echo "Police DejaVu introuvable : les fiches PDF seront en Helvetica simplifiée." >&2
fi

# axe-core for the accessibility tests: an npm package pinned by tests/navigateur/js/package-lock.json,
# injected into the pages by Playwright (nothing is fetched while the tests run).
if [ ! -f tests/navigateur/js/node_modules/axe-core/axe.min.js ]; then
    command -v npm >/dev/null 2>&1 || install_debian_package npm || true
    if command -v npm >/dev/null 2>&1; then
        echo "Installation d'axe-core (npm ci dans tests/navigateur/js)…"
        npm ci --prefix tests/navigateur/js --no-audit --no-fund --loglevel=error
    else
        echo "npm introuvable : les tests d'accessibilité seront ignorés (installez le paquet « npm »)." >&2
    fi
fi

# Several test processes, one per core (CARTOGRAPHIE_TEST_PROCESSUS to choose): each has its own test servers and
# Chromium, and takes whole files (their servers and pages are shared within a file).
exec "$PYTHON" -m pytest -n "${CARTOGRAPHIE_TEST_PROCESSUS:-auto}" --dist loadfile "$@"
