"""A small on-disk cache for work done once per data folder (loading, simplification, map rendering).

A fresh server then starts from pickles written by an earlier one instead of parsing and
simplifying every layer again. Entries are keyed by the data folder's file signature and by
the source of the modules that produce them, so a data update or a code change never serves
stale results. Writes are atomic (temporary file, then rename); a broken entry is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from cartographie import config

CACHE_DIR_ENV = "CARTOGRAPHIE_CACHE"
T = TypeVar("T")

#: Modules whose code shapes what is cached: changing one of them invalidates every entry.
_PRODUCERS = ("reference.py", "validation.py", "geometry.py", "carte.py", "sources.py", "rencontres.py")


def cache_dir() -> Path:
    """Where entries live: ``CARTOGRAPHIE_CACHE``, else ``.cache`` in the project (ignored by git)."""
    value = os.environ.get(CACHE_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else config.PROJECT_DIR / ".cache"


def _code_version() -> str:
    digest = hashlib.sha256()
    for name in _PRODUCERS:
        path = config.PACKAGE_DIR / name
        digest.update(path.read_bytes() if path.exists() else name.encode())
    digest.update(config.SOURCES_MANIFEST.read_bytes() if config.SOURCES_MANIFEST.exists() else b"")
    return digest.hexdigest()[:16]


def cached(name: str, key: object, compute: Callable[[], T]) -> T:
    """``compute()``, or its result stored on disk by an earlier call with the same ``name`` and ``key``."""
    digest = hashlib.sha256(repr((name, key, _code_version())).encode()).hexdigest()[:32]
    path = cache_dir() / f"{name}-{digest}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:  # a read-only disk only costs speed
        pass
    return value
