"""Pure-Python analysis of the diagnosis (no Django imports): index aggregation, the
breekijzer-toets rules and the roadmap sequencing. Works on dataclasses only."""
