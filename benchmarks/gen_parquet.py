"""Generate a large synthetic event log directly as Parquet, in chunks (for the 100-million-event benchmark).

Usage: python benchmarks/gen_parquet.py OUT.parquet N_CASES [SEED]

Uses the trace model of ``../shared/bench/gen_log.py`` (same activities, choices, loops, parallel advice block,
per-organisation speed and noise) but writes Parquet chunk by chunk instead of one CSV, so 100 million events
need neither a 6 GB CSV nor the memory to hold them: each chunk of cases is written as its own part file, and
the parts are then merged into one file by polars' streaming engine. Columns: ``case_id, activity, timestamp``
(naive datetime, as a data platform would write it), ``resource``, ``org``. Cases are written in case order with
their events in time order (like gen_log.py); the analysis does not rely on that.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import polars as pl

GEN_LOG = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "gen_log.py"
CHUNK_CASES = 400_000


def _gen_module():
    spec = importlib.util.spec_from_file_location("gen_log", GEN_LOG)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(out: str, n_cases: int, seed: int = 42) -> None:
    gen = _gen_module()
    rng = random.Random(seed)
    out_path = Path(out)
    parts_dir = out_path.with_name(out_path.name + ".parts")
    parts_dir.mkdir(parents=True, exist_ok=True)
    t0_us = 1641196800 * 1_000_000  # 2022-01-03 08:00:00
    orgs = gen.ORGS
    n_events = 0
    part = 0
    for start in range(0, n_cases, CHUNK_CASES):
        cids, act_codes, stamps, res, org_codes = [], [], [], [], []
        for c in range(start, min(n_cases, start + CHUNK_CASES)):
            o = c % len(orgs)
            org = orgs[o]
            mean = 600 * gen.SPEED[org]
            ts = t0_us + rng.randrange(0, 2 * 365 * 24 * 60) * 60_000_000
            t = gen.trace(rng, org)
            cids.extend([c] * len(t))
            act_codes.extend(t)
            for _ in t:
                stamps.append(ts)
                res.append(rng.randrange(60))
                ts += (int(rng.expovariate(1.0 / mean)) + 1) * 60_000_000
            org_codes.extend([o] * len(t))
        frame = pl.DataFrame({"c": cids, "a": act_codes, "t": stamps, "r": res, "o": org_codes},
                             schema={"c": pl.Int64, "a": pl.UInt32, "t": pl.Int64, "r": pl.UInt32, "o": pl.UInt32})
        frame = frame.select(
            (pl.lit("ABCDE").str.slice(pl.col("o"), 1) + pl.lit("-") + pl.col("c").cast(pl.String).str.zfill(8))
            .alias("case_id"),
            pl.col("a").replace_strict(
                list(range(len(gen.ACT))), gen.ACT, return_dtype=pl.String).alias("activity"),
            pl.col("t").cast(pl.Datetime("us")).alias("timestamp"),
            (pl.lit("R") + pl.col("r").cast(pl.String).str.zfill(3)).alias("resource"),
            (pl.lit("Gemeente ") + pl.lit("ABCDE").str.slice(pl.col("o"), 1)).alias("org"),
        )
        frame.write_parquet(parts_dir / f"part-{part:05d}.parquet")
        n_events += frame.height
        part += 1
        del frame, cids, act_codes, stamps, res, org_codes
        print(f"{min(n_cases, start + CHUNK_CASES)} cases, {n_events} events", file=sys.stderr, flush=True)
    tmp = out_path.with_name(out_path.name + ".tmp")
    pl.scan_parquet(str(parts_dir / "*.parquet")).sink_parquet(tmp, row_group_size=1_000_000)
    tmp.rename(out_path)
    for p in parts_dir.glob("*.parquet"):
        p.unlink()
    parts_dir.rmdir()
    print(f"wrote {out_path}: {n_cases} cases, {n_events} events", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 42)
