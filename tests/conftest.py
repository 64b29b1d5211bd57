"""Shared fixtures: the tiny reference folder written by code, the real one when configured, and isolation.

Every test runs with the contribution database, the disk cache and the generated static files
in temporary folders (:func:`isolated_files`): no test reads or writes the developer's
``contributions.sqlite3``, ``.cache/`` or ``static/``; Hypothesis's examples and the browser
tests' screenshots and logs go to the system's temporary folder: nothing is written inside the
repository. Tests under ``tests/navigateur/`` are marked ``navigateur`` by their folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase

from cartographie import config
from tests.aides.factories import write_reference_folder

# Hypothesis keeps what it stores (the examples it found, the constants it reads from the code) in the
# system's temporary folder, not in the repository.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "cartographie-hypothesis")
settings.register_profile(
    "cartographie-tests",
    database=DirectoryBasedExampleDatabase(Path(tempfile.gettempdir()) / "cartographie-hypothesis" / "examples"),
)
settings.load_profile("cartographie-tests")


@pytest.fixture(scope="session")
def shared_temporary(tmp_path_factory) -> Path:
    """Folders shared by the whole test session: the disk cache (its reuse keeps tests fast) and static files."""
    return tmp_path_factory.mktemp("application")


@pytest.fixture(autouse=True)
def isolated_files(shared_temporary: Path, tmp_path: Path, monkeypatch) -> None:
    """The database, the cache and the generated static files of the app go to temporary folders."""

    monkeypatch.delenv(config.DATABASE_URL_ENV, raising=False)
    monkeypatch.setenv(config.SQLITE_PATH_ENV, str(tmp_path / "contributions.sqlite3"))
    monkeypatch.setenv(config.CACHE_DIR_ENV, str(shared_temporary / "cache"))
    monkeypatch.setenv(config.STATIC_DIR_ENV, str(shared_temporary / "static"))


def pytest_collection_modifyitems(items) -> None:
    """Tests under tests/navigateur/ drive a real browser: marked so by their folder."""
    for item in items:
        if "navigateur" in Path(str(item.path)).parts:
            item.add_marker(pytest.mark.navigateur)


@pytest.fixture
def tiny_folder(tmp_path: Path) -> Path:
    """A complete, valid reference folder of three QPV (region suffix ``test``)."""
    return write_reference_folder(tmp_path / "donnees")


@pytest.fixture(scope="session")
def real_folder() -> Path:
    """The real reference folder (``CARTOGRAPHIE_DONNEES`` or the default one); required in CI."""
    folder = config.reference_dir()
    if not folder.is_dir():
        message = (
            f"Données réelles absentes ({folder}) : lancez « {config.UPDATE_COMMAND} » "
            f"ou définissez {config.REFERENCE_DIR_ENV} (ex. ../shared/data)."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return folder


@pytest.fixture(scope="session")
def real_reference(real_folder):
    from cartographie import load_reference

    return load_reference(real_folder)
