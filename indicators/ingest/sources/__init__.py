"""Readers of the real exports, each recognising its files by content (most specific first).

GENESIS flat CSV, Open SDG CSV, GENESIS table CSV, BA Excel tables. Files without a fixed layout
(the administration's own lists) are read with a saved column-mapping profile
(:mod:`indicators.ingest.sources.mapping`), which the user chooses; it is not auto-detected here.
"""

from __future__ import annotations

from indicators.ingest.base import Reader
from indicators.ingest.sources.ba_excel import BaExcelReader
from indicators.ingest.sources.genesis_flat import GenesisFlatReader
from indicators.ingest.sources.genesis_table import GenesisTableReader
from indicators.ingest.sources.opensdg import OpenSdgReader

READERS: list[Reader] = [GenesisFlatReader(), OpenSdgReader(), GenesisTableReader(), BaExcelReader()]

__all__ = ["READERS", "BaExcelReader", "GenesisFlatReader", "GenesisTableReader", "OpenSdgReader"]
