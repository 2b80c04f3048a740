"""Importers of the Werkprocessen layer: files and APIs → normalised structures (one module per source)."""
