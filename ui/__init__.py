"""Streamlit helpers shared by the pages (kept outside ``views/``)."""
