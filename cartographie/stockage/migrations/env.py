"""Alembic environment: migrations run on the connection the store hands over (no alembic.ini needed)."""

from alembic import context

from cartographie.stockage.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the store always provides one
    raise RuntimeError("Les migrations s'exécutent par cartographie.store.Store.migrate().")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
