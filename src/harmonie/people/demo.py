"""Demo data for the people layer (filled in below)."""
