"""The contribution store's fixtures: every store test runs against SQLite and a real PostgreSQL server."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from cartographie.stockage.store import Store
from tests.aides.base import _postgres_url


@pytest.fixture(scope="session")
def postgres_database() -> str:
    """A database of this test process on the PostgreSQL server (the suite runs in several processes)."""
    server = _postgres_url()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"cartographie_tests_{worker}_{os.getpid()}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    yield server.rsplit("/", 1)[0] + f"/{name}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'contributions.sqlite3'}"
    url = request.getfixturevalue("postgres_database")
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
