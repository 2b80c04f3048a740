"""Process-mining core: pure Python + polars, no Django.

Modules: ``xes`` (hardened streaming XES reader, no polars), ``timestamps``,
``readers`` (XES/CSV/Parquet → one normalised frame), ``metrics`` (per-log
figures, DFG, variants, pairwise comparison) and ``pipeline`` (one call per log,
picklable, used by worker processes). Kept import-light on purpose: import the
submodule you need.
"""
