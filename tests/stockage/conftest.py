"""The contribution store's fixtures: every store test runs against SQLite and a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import sqlalchemy as sa

from cartographie.stockage.store import Store

POSTGRES_ENV = "CARTOGRAPHIE_TEST_POSTGRES"


def _postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV, "")
    if not url:
        message = (
            f'PostgreSQL absent : définissez {POSTGRES_ENV} (eval "$(./scripts/postgresql.sh start)") '
            "pour lancer ces tests sur un vrai serveur."
        )
        if os.environ.get("CI"):
            pytest.fail(message + " En CI, .ci/run doit démarrer le serveur.")
        pytest.skip(message)
    return url


def _same(rows: list[dict]) -> list[dict]:
    """Rows with datetimes as naive UTC (SQLite keeps no time zone, PostgreSQL does)."""

    def norm(value):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(dt.UTC).replace(tzinfo=None)
        return value

    return [{k: norm(v) for k, v in row.items()} for row in rows]


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
