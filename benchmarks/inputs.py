"""Benchmark inputs, generated once into a cache directory (never into the repository).

* ``log1m.csv`` / ``log1m.parquet``: ``../shared/bench/gen_log.py OUT.csv 80000`` (≈1.01 M events) and the
  same data as Parquet (timestamp stored as a naive datetime, as a data platform would write it).
* ``bpic5/``: five municipality logs of BPIC-2015 size as ``.xes.gz`` (≈262,600 events in total, like the five
  original BPIC 2015 logs): the two shared real logs, plus three logs made by re-sampling whole traces of the
  real logs (seeded; new case ids) up to the event counts of the BPIC 2015 municipalities 3, 4 and 5
  (59,681 / 47,293 / 59,083 events). Every trace keeps all its attributes, so the XML per event is as heavy as
  in the real logs.

``--quick`` uses smaller sizes (100,000 events; five logs of ~1/4 size) for a fast smoke run.
"""

from __future__ import annotations

import gzip
import os
import random
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("HARMONIE_SHARED_DATA", REPO.parent / "shared" / "data"))
GEN_LOG = SHARED.parent / "bench" / "gen_log.py"
REAL_LOGS = [SHARED / "eventlogs" / "BPIC15_1.xes.gz", SHARED / "eventlogs" / "BPIC15_2.xes.gz"]
EXTRA_EVENTS = {"BPIC15_3s": 59_681, "BPIC15_4s": 47_293, "BPIC15_5s": 59_083}


def cache_dir() -> Path:
    path = Path(os.environ.get("HARMONIE_BENCH_CACHE", REPO / "bench-results" / "cache"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def synthetic_csv(quick: bool) -> Path:
    cases = 8_000 if quick else 80_000
    out = cache_dir() / f"log{cases}.csv"
    if not out.exists():
        tmp = out.with_suffix(".tmp")
        subprocess.run([sys.executable, str(GEN_LOG), str(tmp), str(cases)], check=True)
        tmp.rename(out)
    return out


def synthetic_parquet(quick: bool) -> Path:
    csv = synthetic_csv(quick)
    out = csv.with_suffix(".parquet")
    if not out.exists():
        import polars as pl

        df = pl.read_csv(csv).with_columns(pl.col("timestamp").str.to_datetime("%Y-%m-%d %H:%M:%S"))
        tmp = out.with_suffix(".tmp")
        df.write_parquet(tmp)
        tmp.rename(out)
    return out


def synthetic_parquet_100m() -> Path:
    """≈100 million events (7,930,000 cases) as Parquet, generated in chunks by gen_parquet.py (~0.7 GB)."""
    out = cache_dir() / "log100m.parquet"
    if not out.exists():
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "gen_parquet.py"), str(out), "7930000"], check=True)
    return out


def _trace_blocks(path: Path):
    text = gzip.open(path, "rb").read()
    first = text.index(b"<trace>")
    head = text[:first]
    blocks = []
    pos = first
    while True:
        start = text.find(b"<trace>", pos)
        if start < 0:
            break
        end = text.index(b"</trace>", start) + len(b"</trace>")
        blocks.append(text[start:end])
        pos = end
    return head, blocks


def _rename_trace(block: bytes, new_id: str) -> bytes:
    key = b'<string key="concept:name" value="'
    first_event = block.find(b"<event>")
    at = block.find(key)
    if at < 0 or (first_event >= 0 and at > first_event):
        return block
    start = at + len(key)
    end = block.index(b'"', start)
    return block[:start] + new_id.encode() + block[end:]


def bpic_logs(quick: bool) -> list[Path]:
    folder = cache_dir() / ("bpic5-quick" if quick else "bpic5")
    folder.mkdir(exist_ok=True)
    scale = 4 if quick else 1
    outputs = []
    pools = None
    for real in REAL_LOGS:
        if not real.exists():
            raise SystemExit(f"missing shared log {real} (set HARMONIE_SHARED_DATA)")
        out = folder / real.name
        if not out.exists():
            if quick:
                head, blocks = _trace_blocks(real)
                _write(out, head, blocks[: len(blocks) // scale])
            else:
                out.symlink_to(real)
        outputs.append(out)
    for seed, (name, events) in enumerate(EXTRA_EVENTS.items(), start=1):
        out = folder / f"{name}.xes.gz"
        if not out.exists():
            if pools is None:
                pools = [_trace_blocks(real) for real in REAL_LOGS]
            rng = random.Random(seed)
            head, blocks = pools[seed % 2]
            target, total, chosen = events // scale, 0, []
            while total < target:
                block = blocks[rng.randrange(len(blocks))]
                chosen.append(_rename_trace(block, f"{name}-{len(chosen):06d}"))
                total += block.count(b"<event>")
            _write(out, head, chosen)
        outputs.append(out)
    return outputs


def _write(out: Path, head: bytes, blocks) -> None:
    tmp = out.with_suffix(".tmp")
    with gzip.open(tmp, "wb", compresslevel=6) as handle:
        handle.write(head)
        for block in blocks:
            handle.write(block)
            handle.write(b"\n\t")
        handle.write(b"</log>\n")
    tmp.rename(out)


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    print(synthetic_csv(quick), synthetic_parquet(quick), *bpic_logs(quick), sep="\n")
