"""The contribution store's fixtures: every store test runs against SQLite and a real PostgreSQL server."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cartographie.stockage.store import Store
from tests.aides.base import _postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'contributions.sqlite3'}"
    url = _postgres_url()
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # a clean schema for every test
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def store(database_url) -> Store:
    created = Store(database_url)
    created.migrate()
    yield created
    created.engine.dispose()
