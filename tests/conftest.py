"""Shared fixtures: the tiny reference folder written by code, and the real one when configured."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cartographie import config
from tests.factories import write_reference_folder


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
