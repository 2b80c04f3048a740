"""Products layer pages, split by subject: ``catalogue`` (imports, mapping confirmation) and ``matrix``."""
