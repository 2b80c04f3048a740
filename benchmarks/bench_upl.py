"""Benchmark: UPL suggestions (issue 3), measured the way the acceptance protocol measures them.

Protocol (``/work/shared/bench/upl_protocol.py``, replicated here in-process so it is quick and repeatable): the
170 municipalities of the shared SC file are shuffled with a seed and split in two halves; the matcher learns
from one half (what ``harmonie upl learn`` does, through the stored npz form, as a separate process would
load it) and suggests for up to N records of the other half. Counted records: tagged with at least one UPL of
the current list after repairing doubled URI prefixes; a hit is a suggestion equal to any of the record's
tags; "seen" = the stripped, lowercased title occurs in the learned half. Reported per seed and pooled:
top-1/top-3 overall, seen and unseen; ECE of the rank-1 confidence (10 bins) and of all top-3 confidences;
speed once loaded (products/s wall with the default 2 workers, median of ``--repeat`` runs; and products per
CPU-second of one worker, which the other load on the machine disturbs less); the load average.

Baseline in the same run, on the same records: rapidfuzz ``process.cdist`` with ``fuzz.token_set_ratio``
(title → UPL label, ``workers=-1``), quality and titles/s, and the ratios ours/baseline.

Cases (``python benchmarks/run.py --only upl``; standalone ``python benchmarks/bench_upl.py [--quick]``):

* ``upl_protocol``: N = 5000 records, seeds 1, 2, 3 (quick: 1000 records, seed 1).
* ``upl_protocol_cli``: the acceptance script itself through the ``harmonie`` command (start-up included),
  when ``/work/shared/bench/upl_protocol.py`` is there.
* ``upl_national``: ``benchmarks/gen_national.py`` writes 342 municipalities × 150 products (≈ 51,300 rows,
  ≈ 80 % distinct titles, no tags), ``harmonie upl learn`` learns from the shared file, then
  ``harmonie catalog compare`` reads, matches and compares the file: wall time and peak memory of the whole
  process tree (target ≤ 60 s, ≤ 2 GB). Quick: 40 municipalities × 100 products.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from harmonie.products.analysis.calibration import expected_calibration_error  # noqa: E402
from harmonie.products.analysis.matcher import LabelledRecord, UplMatcher  # noqa: E402
from harmonie.products.analysis.upl import parse_upl_csv, repair_uri, split_tags  # noqa: E402

SHARED = Path(os.environ.get("HARMONIE_SHARED_DATA", ROOT.parent / "shared" / "data"))
SC = SHARED / "sc" / "sc-products-170-gemeenten-2023-10.csv.gz"
UPL = SHARED / "upl" / "UPL-actueel-2025-04.csv"
PROTOCOL = Path(os.environ.get("HARMONIE_UPL_PROTOCOL", ROOT.parent / "shared" / "bench" / "upl_protocol.py"))
MAX_ABSTRACT = 2400  # as services.upl


def load():
    entries = parse_upl_csv(UPL)
    with gzip.open(SC, "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return entries, rows


def split(rows, current, seed, n):
    """Exactly the split and sample of upl_protocol.py."""
    municipalities = sorted({r["authority_label"] for r in rows})
    random.Random(seed).shuffle(municipalities)
    learn_half = set(municipalities[: len(municipalities) // 2])
    seen_titles = {r["title"].strip().lower() for r in rows if r["authority_label"] in learn_half}
    candidates = []
    for r in rows:
        if r["authority_label"] in learn_half or not r["upl_uri"] or "UPL-naam_nog_niet" in r["upl_uri"]:
            continue
        tags = {repair_uri(u) for u in r["upl_uri"].split(" | ")}
        if tags & current:
            candidates.append((r, tags))
    random.Random(seed).shuffle(candidates)
    return learn_half, seen_titles, candidates[:n]


def baseline(entries, titles, top=3):
    import numpy as np
    from rapidfuzz import fuzz, process, utils

    labels = [e.label for e in entries]
    start = time.perf_counter()
    scores = process.cdist(titles, labels, scorer=fuzz.token_set_ratio, processor=utils.default_process, workers=-1)
    idx = np.argsort(-scores, axis=1, kind="stable")[:, :top]
    elapsed = time.perf_counter() - start
    return [[entries[j].uri for j in row] for row in idx], elapsed


def _tally():
    return {"all": [0, 0, 0], "seen": [0, 0, 0], "unseen": [0, 0, 0]}


def _fmt(d):
    return {k: {"n": v[0], "top1": round(v[1] / max(v[0], 1), 4), "top3": round(v[2] / max(v[0], 1), 4)} for k, v in d.items()}


def _count(tally, kind, hit1, hit3):
    for key in ("all", kind):
        tally[key][0] += 1
        tally[key][1] += hit1
        tally[key][2] += hit3


def protocol(n: int = 5000, seeds=(1, 2, 3), repeat: int = 3, quick: bool = False) -> dict:
    if quick:
        n, seeds, repeat = 1000, (1,), 1
    entries, rows = load()
    current = {e.uri for e in entries}
    pooled, pooled_base = _tally(), _tally()
    s1, h1, s3, h3 = [], [], [], []
    per_seed = []
    for seed in seeds:
        learn_half, seen_titles, sample = split(rows, current, seed, n)
        matcher = UplMatcher(entries)
        t0 = time.perf_counter()
        matcher.learn(
            LabelledRecord(r["title"].strip(), split_tags(r["upl_uri"]), r["abstract"][:MAX_ABSTRACT], r["audience"], r["authority_label"])
            for r in rows
            if r["authority_label"] in learn_half and r["upl_uri"].strip() and r["title"].strip()
        )
        learn_s = time.perf_counter() - t0
        payload = matcher.to_bytes()
        t0 = time.perf_counter()
        matcher = UplMatcher.from_bytes(payload)
        load_s = time.perf_counter() - t0
        titles = [r["title"] for r, _ in sample]
        abstracts = [r["abstract"][:MAX_ABSTRACT] for r, _ in sample]
        audiences = [r["audience"] for r, _ in sample]
        walls, cpus, base_walls = [], [], []
        out = None
        for _ in range(repeat):
            matcher._reset_caches()
            t0 = time.perf_counter()
            out = matcher.suggest_many(titles, abstracts, audiences, k=3)
            walls.append(time.perf_counter() - t0)
            matcher._reset_caches()
            c0 = time.process_time()
            matcher.suggest_many(titles, abstracts, audiences, k=3, workers=1)
            cpus.append(time.process_time() - c0)
            b_out, b_s = baseline(entries, titles)
            base_walls.append(b_s)
        tally, base = _tally(), _tally()
        for (r, tags), sug, b in zip(sample, out, b_out):
            kind = "seen" if r["title"].strip().lower() in seen_titles else "unseen"
            uris = [u for u, _, _ in sug]
            for t in (tally, pooled):
                _count(t, kind, bool(uris) and uris[0] in tags, bool(set(uris[:3]) & tags))
            for t in (base, pooled_base):
                _count(t, kind, b[0] in tags, bool(set(b[:3]) & tags))
            for rank, (u, _, s) in enumerate(sug):
                s3.append(s)
                h3.append(u in tags)
                if rank == 0:
                    s1.append(s)
                    h1.append(u in tags)
        ours_ps = len(sample) / statistics.median(walls)
        base_ps = len(sample) / statistics.median(base_walls)
        per_seed.append({
            "seed": seed, "matcher": _fmt(tally), "baseline_rapidfuzz": _fmt(base),
            "learn_s": round(learn_s, 1), "model_load_s": round(load_s, 2), "model_mb": round(len(payload) / 2**20, 1),
            "products_per_s": round(ours_ps), "products_per_s_runs": [round(len(sample) / w) for w in walls],
            "products_per_cpu_s_one_worker": round(len(sample) / statistics.median(cpus)),
            "baseline_titles_per_s": round(base_ps), "speed_ratio_vs_baseline": round(ours_ps / base_ps, 2),
            "loadavg_1min": round(os.getloadavg()[0], 1),
        })
    import numpy as np

    p1 = np.array(s1)
    r1 = np.array(h1, dtype=float)
    conf = p1 >= 0.85
    ours, base = _fmt(pooled), _fmt(pooled_base)
    return {
        "protocol": f"upl_protocol split (half of the 170 municipalities learned, the other half asked), N={n}, seeds {list(seeds)}",
        "matcher": ours,
        "baseline_rapidfuzz_token_set_ratio": base,
        "top1_ratio_vs_baseline": round(ours["all"]["top1"] / max(base["all"]["top1"], 1e-9), 2),
        "top3_ratio_vs_baseline": round(ours["all"]["top3"] / max(base["all"]["top3"], 1e-9), 2),
        "ece_rank1": round(expected_calibration_error(s1, h1), 4),
        "ece_top3": round(expected_calibration_error(s3, h3), 4),
        "precision_at_score_ge_0.85": round(float(r1[conf].mean()) if conf.any() else 0.0, 4),
        "share_score_ge_0.85": round(float(conf.mean()), 4),
        "products_per_s_median": statistics.median(s["products_per_s"] for s in per_seed),
        "baseline_titles_per_s_median": statistics.median(s["baseline_titles_per_s"] for s in per_seed),
        "per_seed": per_seed,
        "cpus": os.cpu_count(),
    }


def _harmonie() -> str:
    return str(Path(sys.executable).with_name("harmonie"))


def protocol_cli(n: int = 5000, seeds=(1,), quick: bool = False) -> dict:
    """The acceptance script itself, through the command line (start-up and model loading included)."""
    if not PROTOCOL.exists():
        return {"skipped": f"{PROTOCOL} not found"}
    if quick:
        n = 1000
    results = []
    for seed in seeds:
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, str(PROTOCOL), _harmonie(), str(n), str(seed)], capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(done.stderr[-2000:])
        report = json.loads(done.stdout)
        report["seed"] = seed
        report["wall_s"] = round(time.perf_counter() - t0, 1)
        report["cli_products_per_s_incl_startup"] = round(report["all"]["n"] / max(report["match_s"], 1e-9))
        report["loadavg_1min"] = round(os.getloadavg()[0], 1)
        results.append(report)
    return {"runs": results}


def national(quick: bool = False, repeat: int = 3) -> dict:
    """``catalog compare`` on the synthetic national file, after ``upl learn`` on the shared file."""
    import gen_national
    from harness import measure

    tmp = Path(tempfile.mkdtemp(prefix="harmonie-upl-national-"))
    synth = tmp / "national.csv.gz"
    info = gen_national.generate(synth, *((40, 100) if quick else (342, 150)))
    env = {"DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3", "HARMONIE_DATA_DIR": str(tmp)}

    def run_cli(*args):
        done = subprocess.run([_harmonie(), *map(str, args)], env=dict(os.environ, **env), capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"harmonie {args[:2]} failed: {done.stderr[-1500:]}")

    run_cli("migrate", "-v0")
    run_cli("reference", "load", "upl", UPL)
    t0 = time.perf_counter()
    run_cli("upl", "learn", SC)
    learn_s = time.perf_counter() - t0
    runs = []
    for _ in range(1 if quick else repeat):
        r = measure([_harmonie(), "catalog", "compare", str(synth), "--group-by", "authority_label", "--output", str(tmp / "out.json")], env=env)
        if r.returncode:
            raise SystemExit(r.stderr_tail)
        runs.append({"wall_s": round(r.seconds, 1), "cpu_s": round(r.cpu_s, 1), "peak_mb": round(r.peak_mb), "loadavg_1min": round(os.getloadavg()[0], 1)})
    out = json.loads((tmp / "out.json").read_text(encoding="utf-8"))
    return {
        **info,
        "pairs": len(out["pairs"]),
        "products": len(out["products"]),
        "learn_s_shared_file": round(learn_s, 1),
        "compare_wall_s_median": statistics.median(r["wall_s"] for r in runs),
        "compare_cpu_s_median": statistics.median(r["cpu_s"] for r in runs),
        "peak_mb_max": max(r["peak_mb"] for r in runs),
        "rows_per_s": round(info["rows"] / statistics.median(r["wall_s"] for r in runs)),
        "runs": runs,
        "targets": "wall <= 60 s, peak <= 2048 MB",
    }


def run(kind: str = "protocol", quick: bool = False) -> dict:
    return {"protocol": protocol, "cli": protocol_cli, "national": national}[kind](quick=quick)


CASES = {"upl_protocol": {"kind": "protocol"}, "upl_protocol_cli": {"kind": "cli"}, "upl_national": {"kind": "national"}}


def run_case(name: str = "upl_protocol") -> dict:
    return run(**CASES[name])


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", nargs="?", default="protocol", choices=["protocol", "cli", "national"])
    ap.add_argument("--quick", action="store_true", help="1000 records and one seed / a small national file")
    ap.add_argument("-n", type=int, default=5000)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    seeds = tuple(int(s) for s in args.seeds.split(","))
    if args.kind == "protocol":
        report = protocol(args.n, seeds, args.repeat, args.quick)
    elif args.kind == "cli":
        report = protocol_cli(args.n, seeds, args.quick)
    else:
        report = national(args.quick, args.repeat)
    print(json.dumps(report, indent=1))
