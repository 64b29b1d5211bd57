"""Every path and environment variable the project uses, in one place (the README's table lists them)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

#: What the project authors itself (meetings, experiences, questionnaire, sources manifest).
AUTHORED_DATA_DIR = PROJECT_DIR / "data"
SOURCES_MANIFEST = AUTHORED_DATA_DIR / "sources.toml"
#: The live keywords' refused words (the organisers add theirs in the database).
REFUSED_WORDS_FILE = AUTHORED_DATA_DIR / "mots_refuses.txt"

#: Environment variable naming a folder of reference files (format of ``shared/data``).
REFERENCE_DIR_ENV = "CARTOGRAPHIE_DONNEES"
#: Default reference folder, filled by the data-update command and ignored by git.
DEFAULT_REFERENCE_DIR = PROJECT_DIR / "donnees_reference"

#: Served by Streamlit at ``app/static/`` (``server.enableStaticServing``): the folder ``static``
#: beside the main script. The project's own assets (the favicon) are read from here.
STATIC_DIR = PROJECT_DIR / "static"
#: Environment variable naming the static folder the server serves, where the app writes the files it
#: generates (Leaflet copied from its package, the maps' data); tests point it to a temporary site.
STATIC_DIR_ENV = "CARTOGRAPHIE_STATIQUE"


def static_dir() -> Path:
    """The folder served at ``app/static/`` where generated files go: the variable, else ``static/``."""
    value = os.environ.get(STATIC_DIR_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else STATIC_DIR


#: Region shown by default (INSEE code): Grand Est.
DEFAULT_REGION = "44"

#: Command that fills the default reference folder (shown in error messages).
UPDATE_COMMAND = "python -m cartographie.donnees mettre-a-jour"


def reference_dir() -> Path:
    """Folder holding the reference files: the environment variable, else the default."""
    value = os.environ.get(REFERENCE_DIR_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else DEFAULT_REFERENCE_DIR


#: Environment variable holding the public address of the dashboard (QR codes on screens and posters).
PUBLIC_ADDRESS_ENV = "CARTOGRAPHIE_ADRESSE_PUBLIQUE"
DEFAULT_PUBLIC_ADDRESS = "http://localhost:8501"


def configured_public_address() -> str | None:
    """The public address set by the environment variable, if any (else the browser's is used)."""
    return os.environ.get(PUBLIC_ADDRESS_ENV, "").strip().rstrip("/") or None


#: Environment variable holding a database address (``postgresql+psycopg://…``); SQLite otherwise.
DATABASE_URL_ENV = "CARTOGRAPHIE_BASE"
#: Environment variable for the SQLite file's path.
SQLITE_PATH_ENV = "CARTOGRAPHIE_BASE_SQLITE"
#: The SQLite file used when neither variable is set (ignored by git).
DEFAULT_SQLITE_PATH = PROJECT_DIR / "contributions.sqlite3"


def database_url() -> str:
    """The configured database: ``CARTOGRAPHIE_BASE``, else a SQLite file."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return url
    path = Path(os.environ.get(SQLITE_PATH_ENV, "") or DEFAULT_SQLITE_PATH).expanduser().resolve()
    return f"sqlite:///{path}"


#: Environment variable naming the disk cache's folder.
CACHE_DIR_ENV = "CARTOGRAPHIE_CACHE"


def cache_dir() -> Path:
    """Where the disk cache's entries live: ``CARTOGRAPHIE_CACHE``, else ``.cache`` in the project (ignored by git)."""
    value = os.environ.get(CACHE_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else PROJECT_DIR / ".cache"


#: Environment variable holding the editors' password hash (``python -m cartographie.auth``).
EDITOR_HASH_ENV = "CARTOGRAPHIE_EDITEUR_HASH"
#: The same hash as a Streamlit secret (``.streamlit/secrets.toml``), when the variable is not set.
EDITOR_HASH_SECRET = "editeur_hash"
