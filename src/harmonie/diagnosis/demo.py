"""Demo builder (below)."""
