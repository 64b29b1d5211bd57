"""The contribution store in tests: a valid proposal, the PostgreSQL address, rows compared across databases."""

from __future__ import annotations

import datetime as dt
import os

import pytest

#: The address of a PostgreSQL server for the tests (``eval "$(./scripts/postgresql.sh start)"`` sets it).
POSTGRES_ENV = "CARTOGRAPHIE_TEST_POSTGRES"

EXPERIENCE = {
    "titre": "Village des solidarités <script>alert(1)</script>",
    "resume": "Des structures du territoire se réunissent pour aller vers les habitants isolés.",
    "territoires": [{"type": "epci", "code": "245400676"}],
    "themes": ["isolement", "solidarités"],
    "methodes": ["co-développement"],
    "periode": "2025",
    "statut": "en_cours",
    "elements": {"volonte": "fort", "but_commun": "moyen", "meme_territoire": "fort"},
    "acteurs": [
        {"nom": "Métropole du Grand Nancy", "type": "epci", "role": "Porteur"},
        {"nom": "CAF de Meurthe-et-Moselle", "type": "caf", "role": "Partenaire financeur"},
    ],
}


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
