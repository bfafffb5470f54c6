"""Reading uploads: one reader per source format, shared validation, all-or-nothing commit."""
