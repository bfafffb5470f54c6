"""Integrationsmonitor core: catalog, store, ingest, compute, progress, charts, export.

This package never imports Streamlit; the pages in ``views/`` read from it.
"""

__version__ = "0.1.0"
