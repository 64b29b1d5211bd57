"""The contribution store: schema, migrations, the store itself and the editors' sign-in."""
