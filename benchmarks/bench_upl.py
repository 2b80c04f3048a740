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


def run(folds: int = 5, quick: bool = False, seed: int = 1, national_run: bool = False) -> dict:
    if national_run:
        return national(quick)
    import numpy as np

    entries, rows = load()
    current = {e.uri for e in entries}
    municipalities = sorted({r["authority_label"] for r in rows})
    random.Random(seed).shuffle(municipalities)
    fold_of = {m: i % folds for i, m in enumerate(municipalities)}
    res = {"all": [0, 0, 0], "seen": [0, 0, 0], "unseen": [0, 0, 0]}
    base = {"all": [0, 0, 0], "seen": [0, 0, 0], "unseen": [0, 0, 0]}
    cold = {"all": [0, 0, 0], "seen": [0, 0, 0], "unseen": [0, 0, 0]}
    scores1, hits1, scores3, hits3 = [], [], [], []
    match_s = learn_s = base_s = cpu_s = 0.0
    n_cpu = 0
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
        c0 = time.process_time()
        matcher.suggest_many(titles[:2000], [r["abstract"] for r, _ in test[:2000]], [r["audience"] for r, _ in test[:2000]], k=3, workers=1)
        cpu_s += time.process_time() - c0
        n_cpu += min(2000, len(test))
        n_matched += len(test)
        b_out, b_s = baseline(entries, titles)
        c_out = UplMatcher(entries).suggest_many(titles, [r["abstract"] for r, _ in test], [r["audience"] for r, _ in test], k=3)
        base_s += b_s
        for (r, tags), sug, b, c in zip(test, out, b_out, c_out):
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
                cold[key][0] += 1
                cold[key][1] += c[0][0] in tags
                cold[key][2] += bool({u for u, _, _ in c} & tags)
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
        "matcher_products_per_cpu_s_one_worker": round(n_cpu / cpu_s, 1),
        "loadavg_1min_at_end": round(os.getloadavg()[0], 1),
        "learn_s_per_fold": round(learn_s / (folds if not quick else 1), 2),
        "cold_matcher_upl_labels_only": fmt(cold),
        "baseline_rapidfuzz_token_set_ratio": fmt(base),
        "baseline_titles_per_s": round(n_matched / base_s, 1),
    }


def national(quick: bool = False, seed: int = 3) -> dict:
    """National run through the CLI: ``upl learn`` on the shared file, then ``catalog compare`` on a synthetic
    file of 342 municipalities × ~150 products (≥ 60 % distinct titles, no tags: every row is matched)."""
    import resource
    import subprocess
    import tempfile

    _, rows = load()
    rng = random.Random(seed)
    n_orgs, per_org = (342, 150) if not quick else (40, 100)
    extras = ["aanvragen", "melden", "regelen", "wijzigen", "informatie", "digitaal", "voor inwoners", "voor bedrijven"]
    tmp = Path(tempfile.mkdtemp(prefix="harmonie-upl-national-"))
    synth = tmp / "national.csv.gz"
    titles = set()
    with gzip.open(synth, "wt", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["authority_label", "title", "abstract", "audience", "onlineAanvragen", "upl_uri"])
        for o in range(n_orgs):
            org = f"Gemeente {o:03d}"
            for r in rng.sample(rows, per_org):
                title = r["title"]
                if rng.random() < 0.75:
                    words = title.split()
                    if len(words) > 2 and rng.random() < 0.5:
                        words = words[1:] + words[:1]
                    title = " ".join(words + [rng.choice(extras)])
                    if rng.random() < 0.5:
                        title += f" {org.split()[1]}"
                titles.add(title)
                writer.writerow([org, title, r["abstract"][:600], r["audience"], r["onlineAanvragen"], ""])
    n_rows = n_orgs * per_org
    harmonie = str(Path(sys.executable).with_name("harmonie"))
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp}/db.sqlite3", HARMONIE_DATA_DIR=str(tmp))

    def run_cli(*args):
        done = subprocess.run([harmonie, *map(str, args)], env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"harmonie {args[:2]} failed: {done.stderr[-1500:]}")

    run_cli("migrate", "-v0")
    run_cli("reference", "load", "upl", UPL)
    t0 = time.perf_counter()
    run_cli("upl", "learn", SC)
    learn_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    run_cli("catalog", "compare", synth, "--group-by", "authority_label", "--output", tmp / "out.json")
    compare_s = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out = json.loads((tmp / "out.json").read_text(encoding="utf-8"))
    return {
        "rows": n_rows,
        "organisations": len(out["organisations"]),
        "pairs": len(out["pairs"]),
        "distinct_title_share": round(len(titles) / n_rows, 3),
        "learn_s_shared_file": round(learn_s, 1),
        "compare_s_incl_matching_and_startup": round(compare_s, 1),
        "rows_per_s": round(n_rows / compare_s, 1),
        "peak_child_mb": round(peak_mb, 0),
        "loadavg_1min_at_end": round(os.getloadavg()[0], 1),
    }


CASES = {"upl_leave_municipalities_out": {"folds": 5}, "upl_national_compare": {"national_run": True}}


def run_case(name: str = "upl_leave_municipalities_out") -> dict:
    return run(**CASES[name])


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="only the first fold / a small national file")
    ap.add_argument("--national", action="store_true", help="the national run through the CLI instead")
    args = ap.parse_args()
    print(json.dumps(national(args.quick) if args.national else run(args.folds, args.quick), indent=1))
