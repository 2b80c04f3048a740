#!/usr/bin/env python
"""A synthetic national catalogue file for the UPL speed benchmark (issue 3).

usage: gen_national.py OUT.csv[.gz] [N_ORGS=342] [PER_ORG=150] [SEED=3]

342 municipalities × 150 products ≈ 51,300 rows in the SC column layout (``authority_label``, ``title``,
``abstract``, ``audience``, ``onlineAanvragen``, ``upl_uri``). Every product is drawn from the shared SC file
(``HARMONIE_SHARED_DATA``, default ``../shared/data``) and most titles are rewritten the way municipalities
vary them: a verb or a qualifier added, word order turned, the municipality's name or a part of the
abstract appended, a word dropped, an abbreviation written out. The file has no UPL tags, so
``harmonie catalog compare`` has to match every row; at least 60 % of the titles are distinct (the
generator prints the share), so caching identical titles cannot fake the speed.
"""

from __future__ import annotations

import csv
import gzip
import os
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("HARMONIE_SHARED_DATA", ROOT.parent / "shared" / "data"))
SC = SHARED / "sc" / "sc-products-170-gemeenten-2023-10.csv.gz"
COLUMNS = ["authority_label", "title", "abstract", "audience", "onlineAanvragen", "upl_uri"]
VERBS = ["aanvragen", "melden", "regelen", "wijzigen", "doorgeven", "verlengen", "opvragen", "aanmelden"]
QUALIFIERS = ["informatie", "digitaal", "voor inwoners", "voor ondernemers", "online", "en kosten", "tarieven",
              "voorwaarden", "veelgestelde vragen", "spoed"]
_WORD = re.compile(r"[A-Za-zÀ-ÿ]{4,}")


def municipality_names(n: int, rng: random.Random) -> list[str]:
    syllables = ["berg", "dam", "veen", "horst", "dijk", "wijk", "stede", "hoven", "land", "zand", "broek", "meer",
                 "kerk", "hout", "water", "brug", "burg", "sloot", "rode", "lo"]
    starts = ["Oost", "West", "Noord", "Zuid", "Groot", "Klein", "Nieuw", "Oud", "Hoog", "Laag", "Sint ", "Ter "]
    names: set[str] = set()
    while len(names) < n:
        names.add(rng.choice(starts) + rng.choice(syllables) + rng.choice(["", "e", "en"]) + rng.choice(syllables))
    return sorted(names)


def vary(title: str, abstract: str, org: str, rng: random.Random) -> str:
    words = title.split()
    roll = rng.random()
    if roll < 0.25:
        return title
    if roll < 0.45:
        words = words + [rng.choice(VERBS)]
    elif roll < 0.6:
        words = words + [rng.choice(QUALIFIERS)]
    elif roll < 0.7 and len(words) > 2:
        words = words[1:] + words[:1]
    elif roll < 0.8 and len(words) > 2:
        del words[rng.randrange(len(words))]
    elif roll < 0.9:
        extra = _WORD.findall(abstract[:300])
        if extra:
            words = words + [rng.choice(extra).lower()]
    else:
        words = words + ["gemeente", org.split()[-1]]
    if rng.random() < 0.3:
        words = words + [org.split()[-1]]
    return " ".join(words)


def generate(out: str | Path, n_orgs: int = 342, per_org: int = 150, seed: int = 3) -> dict:
    rng = random.Random(seed)
    with gzip.open(SC, "rt", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["title"].strip()]
    out = Path(out)
    opener = gzip.open if out.name.endswith(".gz") else open
    titles: set[str] = set()
    n_rows = 0
    with opener(out, "wt", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for name in municipality_names(n_orgs, rng):
            org = f"Gemeente {name}"
            for r in rng.sample(rows, per_org):
                title = vary(r["title"].strip(), r["abstract"], org, rng)
                titles.add(title)
                writer.writerow([org, title, r["abstract"][:1200], r["audience"], r["onlineAanvragen"], ""])
                n_rows += 1
    return {"rows": n_rows, "organisations": n_orgs, "distinct_titles": len(titles),
            "distinct_title_share": round(len(titles) / max(n_rows, 1), 3), "file": str(out)}


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    out = args[0]
    n_orgs = int(args[1]) if len(args) > 1 else 342
    per_org = int(args[2]) if len(args) > 2 else 150
    seed = int(args[3]) if len(args) > 3 else 3
    print(generate(out, n_orgs, per_org, seed))
