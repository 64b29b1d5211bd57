"""The domain: what the figures mean, in pure pandas (no Streamlit, no files, no drawing)."""
