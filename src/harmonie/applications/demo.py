"""Demo data for the Applicaties layer (filled in below)."""
