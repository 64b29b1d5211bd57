"""Alembic migrations of the contribution store (applied automatically by ``Store.migrate``)."""
