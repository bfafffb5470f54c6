"""The GENESIS mapping table (``mappings/genesis.yaml``), shared by the table-CSV and the flat-CSV reader."""

from __future__ import annotations

from pydantic import Field

from indicators.ingest.headers import header_key, lookup
from indicators.ingest.sources.common import Code, Dim, Dims, Ident, Strict, load_mapping

FILE = "genesis.yaml"


class GenesisValue(Strict):
    variable: Ident
    labels: list[str] = Field(default_factory=list)


class GenesisStatistic(Strict):
    label: str = ""
    values: dict[str, GenesisValue]
    #: header labels of a table CSV whose columns are deliberately not taken (measures the catalog does not use)
    skip: list[str] = Field(default_factory=list)
    #: column heads like '15 bis unter 18 Jahre' are age groups (not so for 12521, where they are durations of stay)
    age_columns: bool = True


class GenesisFeature(Strict):
    dimension: Dim
    codes: dict[str, Code] = Field(default_factory=dict)
    age_from_label: bool = False


class GenesisMapping(Strict):
    region_variables: list[str]
    statistics: dict[str, GenesisStatistic]
    features: dict[str, GenesisFeature] = Field(default_factory=dict)
    labels: dict[str, Dims] = Field(default_factory=dict)
    age_groups: dict[str, Code] = Field(default_factory=dict)
    #: header labels that name no dimension (units, 'Stichtag'): ignored
    ignore_labels: list[str] = Field(default_factory=list)

    def value_variable(self, statistic: str, value_code: str) -> str | None:
        stat = self.statistics.get(statistic)
        entry = stat.values.get(value_code) if stat else None
        return entry.variable if entry else None

    def measure_variable(self, statistic: str, measure_label: str) -> str | None:
        """The variable of a table CSV's measure line ('Bevölkerungsstand (Anzahl)' without the unit)."""
        stat = self.statistics.get(statistic)
        if stat is None:
            return None
        for entry in stat.values.values():
            if header_key(measure_label) in {header_key(x) for x in entry.labels}:
                return entry.variable
        return next(iter(stat.values.values())).variable if len(stat.values) == 1 else None

    def label_dims(self) -> dict[str, Dims]:
        return lookup(self.labels)


def load() -> GenesisMapping:
    return load_mapping(FILE, GenesisMapping)
