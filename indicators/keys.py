"""Region keys (AGS/GENESIS conventions): which texts are keys, and a key's level from its length.

Below both the readers (:mod:`indicators.ingest`) and the computation (:mod:`indicators.regions`), which use the
same rules; imports nothing of the project.
"""

from __future__ import annotations

import re

#: a region key: Deutschland (DG), Land (2), Regierungsbezirk (3), Kreis (5), Gemeinde (8 or 12), Gemeindeverband (9)
REGION_KEY = re.compile(r"^(DG|\d{2}|\d{3}|\d{5}|\d{8}|\d{9}|\d{12})$")


def region_level(key: str) -> str:
    """The level of a region from the length of its key (GENESIS/AGS conventions)."""
    if key == "DG":
        return "deutschland"
    return {2: "land", 3: "regierungsbezirk", 5: "kreis", 8: "gemeinde", 9: "gemeindeverband", 12: "gemeinde"}.get(
        len(key), "unbekannt"
    )
