"""Fixtures shared by the domain tests."""

from __future__ import annotations

import pytest

from cartographie.lecture.questionnaire import load_questionnaire
from tests.aides.enquete import DEPARTEMENTS


@pytest.fixture(scope="module")
def questionnaire():
    """The app's questionnaire, offering three departments."""
    return load_questionnaire().with_departements(DEPARTEMENTS)
