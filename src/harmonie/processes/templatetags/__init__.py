"""Template tags of the Werkprocessen layer."""
