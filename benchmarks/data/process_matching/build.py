#!/usr/bin/env python
"""Build the labelled model pairs from ``pairs/*.txt``: ``models/NN-name.A.bpmn``, ``.B.bpmn`` and
``gold/NN-name.csv`` (``a_id,b_id``). Run from the repository root: ``python benchmarks/data/process_matching/build.py``.

Each pair file has three sections: ``== A <name>`` and ``== B <name>`` with an outline of the model (see
``harmonie.processes.analysis.layout.process_from_outline``) and ``== gold`` with one correspondence per line
(``a_id b_id``). Pairs 01-09 are the development set, 10-14 are held out (never used for tuning).
All models and correspondences were written by hand for Harmonie (fictional organisations).
"""

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "src"))

from harmonie.processes.analysis.layout import process_from_outline, write_bpmn  # noqa: E402

DEV = [f"{i:02d}" for i in range(1, 10)]


def sections(text: str) -> dict:
    out, current = {}, None
    for line in text.splitlines():
        if line.startswith("== "):
            key, _, name = line[3:].partition(" ")
            current = key
            out[key] = {"name": name.strip(), "lines": []}
        elif current:
            out[current]["lines"].append(line)
    return out


def build():
    (HERE / "models").mkdir(exist_ok=True)
    (HERE / "gold").mkdir(exist_ok=True)
    for spec in sorted((HERE / "pairs").glob("*.txt")):
        parts = sections(spec.read_text(encoding="utf-8"))
        for side in ("A", "B"):
            proc = process_from_outline("\n".join(parts[side]["lines"]), f"Process_{side}", parts[side]["name"])
            xml = write_bpmn([proc], parts[side]["name"])
            (HERE / "models" / f"{spec.stem}.{side}.bpmn").write_text(xml, encoding="utf-8")
        with open(HERE / "gold" / f"{spec.stem}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["a_id", "b_id"])
            for line in parts["gold"]["lines"]:
                ids = line.split("#", 1)[0].split()
                for b_id in ids[1:]:
                    writer.writerow([ids[0], b_id])
        print(spec.stem)


if __name__ == "__main__":
    build()
