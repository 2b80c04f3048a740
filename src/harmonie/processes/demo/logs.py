"""Demo logs for the fictional partners."""
