"""The comparison of the own Kreis with its Land, Deutschland and other Kreise as shown on the pages Regionalvergleich
and Indikator (tab "Regionalvergleich"): one table and one rank line for both."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators import texts
from indicators.catalog import Indicator
from indicators.fmt import fmt_value
from indicators.regions import Rank


def comparison_table(ind: Indicator, data: pd.DataFrame, year: int | None = None) -> None:
    """The rows of :func:`indicators.regions.comparison_rows` as a table (with a year column if ``year`` is given)."""
    c = texts.REG_TABLE_COLUMNS
    table = {c["name"]: data["name"], c["level"]: data["level"]}
    if year is not None:
        table["Jahr"] = str(year)
    table[c["value"]] = [fmt_value(v, ind.unit) for v in data["value"]]
    table[c["flag"]] = [f if isinstance(f, str) else "" for f in data["flag"]]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")


def rank_text(rank: Rank, year: int) -> str:
    """'Rang 3 von 45 Kreisen in Niedersachsen im Jahr 2025 (1 = bester Wert).'"""
    return texts.REG_RANK.format(
        rank=rank.rank,
        count=rank.count,
        land=rank.land_name,
        year=year,
        order=texts.REG_RANK_CLOSEST
        if rank.closest_to_zero
        else (texts.REG_RANK_BEST if rank.best_first else texts.REG_RANK_HIGHEST),
    )
