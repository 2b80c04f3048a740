"""Settings of a fuzz run, from the environment (see docs/belasting-en-fuzzing.md)."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# The real files the seeds are cut from (read in place, never copied into the repository).
SHARED = Path(os.environ.get("HARMONIE_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
# Upload limit during the run: small, so "oversized input" cases stay cheap.
MAX_BYTES = int(os.environ.get("FUZZ_MAX_BYTES", str(1024 * 1024)))
PARSER_CASES = int(os.environ.get("FUZZ_PARSER_CASES", "10000"))
SERVICE_CASES = int(os.environ.get("FUZZ_SERVICE_CASES", "500"))
# Per-case limits: a case that runs longer or allocates more is a finding (denial of service).
CASE_SECONDS = float(os.environ.get("FUZZ_CASE_SECONDS", "20"))
MEMORY_LIMIT = int(os.environ.get("FUZZ_MEMORY_BYTES", str(3 * 1024 ** 3)))
WORKERS = int(os.environ.get("FUZZ_WORKERS", "2"))
OUT = Path(os.environ.get("FUZZ_OUT", REPO_ROOT / "var" / "fuzz"))
# Share of the parser-level cases hypothesis generates; the rest are mutated seeds from a seeded generator.
HYPOTHESIS_SHARE = float(os.environ.get("FUZZ_HYPOTHESIS_SHARE", "0.2"))
SEED = int(os.environ.get("FUZZ_SEED", "20261128"))
