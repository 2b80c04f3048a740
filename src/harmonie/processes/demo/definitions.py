"""Demo definitions for the fictional partners."""
