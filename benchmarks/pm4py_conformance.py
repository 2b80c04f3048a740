"""Baseline: 5×5 cross-conformance with pm4py 2.7 (the AGPL oracle; never imported from src/).

Usage: python benchmarks/pm4py_conformance.py [--sample N] [--top K] LOG [LOG ...]
Per log: read (pm4py.read_xes), keep the first N cases (``--sample``) and the K most frequent activities
(``--top``; pm4py.filter_event_attribute_values on the activities in the most cases), discover a Petri net with
the inductive miner (noise threshold 0.2, like our model's), then token-based replay of every log on every
model (pm4py.fitness_token_based_replay). Prints one JSON line.
"""

import json
import sys
import time


def main(argv):
    sample, top = None, 20
    while argv and argv[0].startswith("--"):
        flag, value, argv = argv[0], argv[1], argv[2:]
        if flag == "--sample":
            sample = int(value)
        elif flag == "--top":
            top = int(value)
    import pm4py

    t0 = time.perf_counter()
    logs = []
    for path in argv:
        df = pm4py.read_xes(path, show_progress_bar=False)
        if sample:
            cases = df["case:concept:name"].drop_duplicates().head(sample)
            df = df[df["case:concept:name"].isin(set(cases))]
        per_case = df.drop_duplicates(["case:concept:name", "concept:name"])["concept:name"].value_counts()
        keep = sorted(per_case.index, key=lambda a: (-per_case[a], a))[:top]
        df = pm4py.filter_event_attribute_values(df, "concept:name", keep, level="event", retain=True)
        logs.append(df)
    models = [pm4py.discover_petri_net_inductive(df, noise_threshold=0.2) for df in logs]
    t1 = time.perf_counter()
    fitness = []
    for df in logs:
        for net, im, fm in models:
            fitness.append(pm4py.fitness_token_based_replay(df, net, im, fm)["perc_fit_traces"] / 100.0)
    t2 = time.perf_counter()
    print(json.dumps({"pairs": len(fitness), "read_mine_s": round(t1 - t0, 3), "replay_s": round(t2 - t1, 3),
                      "mean_case_fitness": sum(fitness) / len(fitness)}))


if __name__ == "__main__":
    main(sys.argv[1:])
