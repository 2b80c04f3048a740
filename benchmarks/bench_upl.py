"""Benchmark: UPL suggestions, leave-municipalities-out, against the rapidfuzz baseline.

Protocol (issue 3): the shared SC file (170 municipalities) is split into 5 folds *by municipality*; for
each fold the matcher learns from the other four and suggests for the left-out municipalities. Counted
records: tagged with at least one UPL of the current list after repairing doubled URI prefixes; a hit is a
suggestion equal to any of the record's tags. "seen" = the (stripped, lowercased) title occurs in the
learned folds. Also reported: ECE of the rank-1 scores and of all top-3 scores, products/s of matching
(once loaded), and rapidfuzz ``token_set_ratio`` title → UPL label top-1/top-3 and titles/s, timed in
the same run.

Standalone: ``python benchmarks/bench_upl.py [--folds 5] [--quick]`` prints JSON.
Framework: ``CASES`` / ``run_case(name)`` (see benchmarks/run.py when present).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from harmonie.products.analysis.calibration import expected_calibration_error  # noqa: E402
from harmonie.products.analysis.matcher import LabelledRecord, UplMatcher  # noqa: E402
from harmonie.products.analysis.upl import parse_owms_json, parse_upl_csv, split_tags  # noqa: E402

SHARED = Path(os.environ.get("HARMONIE_SHARED_DATA", ROOT.parent / "shared" / "data"))
SC = SHARED / "sc" / "sc-products-170-gemeenten-2023-10.csv.gz"
UPL = SHARED / "upl" / "UPL-actueel-2025-04.csv"
OWMS = SHARED / "owms-waardelijsten" / "UniformeProductnaam.json"


def load():
    entries = parse_upl_csv(UPL)
    withdrawn = {e.uri for e in parse_owms_json(OWMS) if e.withdrawn}
    entries = [e for e in entries if e.uri not in withdrawn]
    rows = list(csv.DictReader(gzip.open(SC, "rt", encoding="utf-8")))
    return entries, rows


def baseline(entries, titles, top=3):
    from rapidfuzz import fuzz, process, utils

    import numpy as np

    labels = [e.label for e in entries]
    start = time.perf_counter()
    scores = process.cdist(titles, labels, scorer=fuzz.token_set_ratio, processor=utils.default_process, workers=-1)
    idx = np.argsort(-scores, axis=1, kind="stable")[:, :top]
    elapsed = time.perf_counter() - start
    return [[entries[j].uri for j in row] for row in idx], elapsed


def run(folds: int = 5, quick: bool = False, seed: int = 1) -> dict:
    import numpy as np

    entries, rows = load()
    current = {e.uri for e in entries}
    municipalities = sorted({r["authority_label"] for r in rows})
    random.Random(seed).shuffle(municipalities)
    fold_of = {m: i % folds for i, m in enumerate(municipalities)}
    res = {"all": [0, 0, 0], "seen": [0, 0, 0], "unseen": [0, 0, 0]}
    base = {"all": [0, 0, 0], "seen": [0, 0, 0], "unseen": [0, 0, 0]}
    scores1, hits1, scores3, hits3 = [], [], [], []
    match_s = learn_s = base_s = 0.0
    n_matched = 0
    for f in range(folds if not quick else 1):
        train = [r for r in rows if fold_of[r["authority_label"]] != f]
        test = []
        for r in rows:
            if fold_of[r["authority_label"]] != f:
                continue
            tags = set(split_tags(r["upl_uri"])) & current
            if tags:
                test.append((r, tags))
        seen_titles = {r["title"].strip().lower() for r in train}
        matcher = UplMatcher(entries)
        t0 = time.perf_counter()
        matcher.learn(
            LabelledRecord(r["title"], split_tags(r["upl_uri"]), r["abstract"], r["audience"], r["authority_label"])
            for r in train
        )
        learn_s += time.perf_counter() - t0
        # reload through the stored form, as the CLI does
        matcher = UplMatcher.from_bytes(matcher.to_bytes())
        titles = [r["title"] for r, _ in test]
        t0 = time.perf_counter()
        out = matcher.suggest_many(titles, [r["abstract"] for r, _ in test], [r["audience"] for r, _ in test], k=3)
        match_s += time.perf_counter() - t0
        n_matched += len(test)
        b_out, b_s = baseline(entries, titles)
        base_s += b_s
        for (r, tags), sug, b in zip(test, out, b_out):
            kind = "seen" if r["title"].strip().lower() in seen_titles else "unseen"
            uris = [u for u, _, _ in sug]
            h1 = bool(uris) and uris[0] in tags
            for key in ("all", kind):
                res[key][0] += 1
                res[key][1] += h1
                res[key][2] += bool(set(uris[:3]) & tags)
                base[key][0] += 1
                base[key][1] += b[0] in tags
                base[key][2] += bool(set(b[:3]) & tags)
            for rank, (u, _, s) in enumerate(sug):
                scores3.append(s)
                hits3.append(u in tags)
                if rank == 0:
                    scores1.append(s)
                    hits1.append(u in tags)

    def fmt(d):
        return {k: {"n": v[0], "top1": round(v[1] / max(v[0], 1), 3), "top3": round(v[2] / max(v[0], 1), 3)} for k, v in d.items()}

    s1 = np.array(scores1)
    h1 = np.array(hits1, dtype=float)
    conf = s1 >= 0.85
    return {
        "protocol": f"{folds} folds by municipality over {len(municipalities)} municipalities" + (" (quick: 1 fold)" if quick else ""),
        "matcher": fmt(res),
        "ece_rank1": round(expected_calibration_error(scores1, hits1), 4),
        "ece_top3": round(expected_calibration_error(scores3, hits3), 4),
        "mean_score_rank1": round(float(s1.mean()), 4),
        "precision_at_score_ge_0.85": round(float(h1[conf].mean()) if conf.any() else 0.0, 4),
        "share_score_ge_0.85": round(float(conf.mean()), 4),
        "matcher_products_per_s": round(n_matched / match_s, 1),
        "learn_s_per_fold": round(learn_s / (folds if not quick else 1), 2),
        "baseline_rapidfuzz_token_set_ratio": fmt(base),
        "baseline_titles_per_s": round(n_matched / base_s, 1),
    }


CASES = {"upl_leave_municipalities_out": {"folds": 5}}


def run_case(name: str = "upl_leave_municipalities_out") -> dict:
    return run(**CASES[name])


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="only the first fold")
    args = ap.parse_args()
    print(json.dumps(run(args.folds, args.quick), indent=1))
