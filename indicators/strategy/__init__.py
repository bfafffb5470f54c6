"""The strategy itself (issue 12): Leitbild, Leitziele and Handlungsziele linked to indicators, Maßnahmen with
milestones and reviews, the Integrationsnetzwerk, the department round (Excel forms) – as versioned data in the
monitor's DuckDB file. No Streamlit here; the pages ``views/strategie.py``, ``views/massnahmen.py`` and
``views/netzwerk.py`` only read and call these functions.

Modules: :mod:`.model` (tables, reads, writes with person and reason), :mod:`.schedule` (the derived schedule
state with its reason in words), :mod:`.workbook` (strategy export/import, the department forms and their
re-import with preview, validation, history and rollback), :mod:`.demo` (the demo strategy)."""
