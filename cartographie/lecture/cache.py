"""A small on-disk cache for work done once per data folder (loading, simplification, map rendering).

A fresh server then starts from pickles written by an earlier one instead of parsing and
simplifying every layer again. Entries are keyed by the data folder's file signature and by
the source of the code that produces them and the versions of the libraries that shape them, so
a data update, a code change or a library upgrade never serves stale results. Writes are atomic
(temporary file, then rename); a broken entry is ignored.
Entries no longer used go away: each write keeps the most recently used entries of its name
(:data:`KEEP_PER_NAME`), so code changes, data updates and test folders do not pile up on disk.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from cartographie import config

#: Entries kept per name (the most recently used): several data folders, a few code versions.
KEEP_PER_NAME = 6


#: A temporary file older than this was left by an interrupted write.
_STALE_TEMPORARY_SECONDS = 3600


T = TypeVar("T")


#: Code that shapes what is cached (the data layer, the map builders, the map component's payload):
#: changing any of it invalidates every entry.
_PRODUCERS = ("domaine", "lecture", "rendu", "ui/cache.py", "ui/composant_carte.py")
#: Libraries whose version shapes what is cached (pickled frames, rendered maps).
_LIBRARIES = (
    "pandas",
    "numpy",
    "geopandas",
    "shapely",
    "pyogrio",
    "pyproj",
    "folium",
    "branca",
    "jinja2",
    "streamlit-folium",
    "streamlit",
)


@functools.lru_cache(maxsize=1)
def _code_version() -> str:
    """A digest of the producing code, the sources manifest and the libraries' versions (once per process)."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    files = []
    for name in _PRODUCERS:
        path = config.PACKAGE_DIR / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    for path in files:
        digest.update(str(path.relative_to(config.PACKAGE_DIR)).encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    digest.update(config.SOURCES_MANIFEST.read_bytes() if config.SOURCES_MANIFEST.exists() else b"")
    for library in _LIBRARIES:
        try:
            digest.update(f"{library}=={version(library)}".encode())
        except PackageNotFoundError:
            digest.update(f"{library} absent".encode())
    return digest.hexdigest()[:16]


def cached(name: str, key: object, compute: Callable[[], T]) -> T:
    """``compute()``, or its result stored on disk by an earlier call with the same ``name`` and ``key``."""
    digest = hashlib.sha256(repr((name, key, _code_version())).encode()).hexdigest()[:32]
    path = config.cache_dir() / f"{name}-{digest}.pickle"
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        pass
    else:
        mark_used(path)
        return value
    value = compute()
    try:
        write_atomically(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:  # a read-only disk only costs speed
        return value
    own = re.compile(rf"{re.escape(name)}-[0-9a-f]{{32}}\.pickle")  # not "reference-pages-…" for "reference"
    keep_most_recent((e for e in path.parent.glob("*.pickle") if own.fullmatch(e.name)), KEEP_PER_NAME)
    now = time.time()
    keep_most_recent((e for e in path.parent.glob("*.tmp") if now - _last_used(e) > _STALE_TEMPORARY_SECONDS), 0)
    return value


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: no reader sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
        try:
            handle.write(data)
        except BaseException:
            handle.close()
            Path(handle.name).unlink(missing_ok=True)
            raise
    os.replace(handle.name, path)


def mark_used(path: Path) -> None:
    """Record that ``path`` was just used, so that :func:`keep_most_recent` keeps it."""
    with contextlib.suppress(OSError):
        os.utime(path)


def keep_most_recent(entries: Iterable[Path], keep: int) -> None:
    """Delete the files of ``entries`` beyond the ``keep`` most recently written or used."""
    for entry in sorted(entries, key=_last_used, reverse=True)[keep:]:
        with contextlib.suppress(OSError):  # removed meanwhile by another server
            entry.unlink()


def _last_used(entry: Path) -> float:
    try:
        return entry.stat().st_mtime
    except OSError:  # removed meanwhile by another server
        return 0.0
