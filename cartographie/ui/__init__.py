"""The Streamlit glue, the only code that imports Streamlit: one module per role (see the README's code map)."""
