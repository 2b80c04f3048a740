"""Product matrix pages on a synthetic 30-partner workspace: p50/p95 per page (target: matrix p95 <= 200 ms).

``python benchmarks/bench_productmatrix.py [--partners 30] [--per 150]``. Builds a fresh SQLite database in a
temporary folder with N partners of M products each (1-2 UPL tags from a skewed pool of 400 names, 3 ranked
suggestions, random audience / online / lead time / fees), then requests each page 20 times through Django's test
client as a lezer. Reports wall and CPU time (the machine is shared: CPU time is the steadier number), the
uncached matrix (first view after a data change) and the XLSX export.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _setup():
    folder = tempfile.mkdtemp(prefix="bench-matrix-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/db.sqlite3"
    os.environ["HARMONIE_DATA_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmonie.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _workspace(partners: int, per: int):
    from django.contrib.auth import get_user_model

    from harmonie.core.models import Membership, Partner, Role, Workspace
    from harmonie.products.models import ProductMapping, ProductRecord

    rng = random.Random(1)
    ws = Workspace.objects.create(name="Bench", slug="bench")
    user = get_user_model().objects.create_user("lezer", password="x")
    Membership.objects.create(user=user, workspace=ws, role=Role.LEZER)
    prefix = "http://standaarden.overheid.nl/owms/terms/"
    pool = [f"upl{i:03d}" for i in range(400)]
    weights = [1 / (i + 1) ** 0.6 for i in range(400)]
    for p in range(partners):
        partner = Partner.objects.create(workspace=ws, cbs_code=f"GM{9000 + p}", name=f"Gemeente {p:02d}")
        ProductRecord.objects.bulk_create([ProductRecord(
            workspace=ws, partner=partner, source_key=f"{p}-{i}", title=f"Product {i} van {p}",
            audience=rng.choice([["particulier"], ["ondernemer"], ["particulier", "ondernemer"]]),
            online_request=rng.choice(["ja", "nee", "digid", ""]), lead_time=rng.choice(["", "8 weken", "2 weken"]),
            fees=rng.choice(["", "€ 75,00", "gratis"]), subject=rng.choice(["Burgerzaken", "Wonen", "Ondernemen"]),
            content_hash="-") for i in range(per)])
        mappings = []
        for record in ProductRecord.objects.filter(partner=partner):
            if rng.random() < 0.7:
                mappings += [ProductMapping(product=record, upl_uri=prefix + u, upl_label=u, origin="bron")
                             for u in set(rng.choices(pool, weights, k=rng.choice([1, 1, 2])))]
            mappings += [ProductMapping(product=record, upl_uri=prefix + u, upl_label=u, origin="suggestie", rank=r,
                                        score=0.5) for r, u in enumerate(rng.sample(pool, 3), start=1)]
        ProductMapping.objects.bulk_create(mappings)
    return ws, user


def _measure(client, url, n, before=None):
    wall, cpu = [], []
    for _ in range(n):
        if before:
            before()
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert response.status_code == 200, (url, response.status_code)

    def p95(values):
        values = sorted(values)
        return round(values[max(0, round(0.95 * len(values)) - 1)], 1)

    return {"wall_p50_ms": round(statistics.median(wall), 1), "wall_p95_ms": p95(wall),
            "cpu_p50_ms": round(statistics.median(cpu), 1), "cpu_p95_ms": p95(cpu)}


def run(partners: int = 30, per: int = 150, quick: bool = False) -> dict:
    if quick:
        partners, per = 8, 40
    _setup()
    from django.core.cache import cache
    from django.test import Client

    from harmonie.products import services

    ws, user = _workspace(partners, per)
    client = Client()
    client.force_login(user)
    base = f"/w/{ws.slug}/producten/matrix/"
    pages = {"matrix": base, "matrix_filtered": base + "?verschillen=1&doelgroep=ondernemer&pagina=2",
             "pairs": base + "paren/", "product": base + "product/upl000/", "layer_page": f"/w/{ws.slug}/laag/producten/"}
    report = {"partners": partners, "products_per_partner": per, "load_before": os.getloadavg()[0]}
    for name, url in pages.items():
        client.get(url)
        report[name] = _measure(client, url, 5 if quick else 20)
    # Another process's first view after a change: not in its own memory, but built once in the shared cache.
    report["matrix_other_process"] = _measure(client, base, 3 if quick else 8, before=services.clear_matrix_cache)
    # Nobody has built it yet (the first view after a data change anywhere).
    report["matrix_uncached"] = _measure(client, base, 3 if quick else 8, before=lambda: (
        services.clear_matrix_cache(), cache.clear()))
    t0 = time.perf_counter()
    client.get(base + "export.xlsx")
    report["xlsx_export_ms"] = round((time.perf_counter() - t0) * 1000)
    report["load_after"] = os.getloadavg()[0]
    report["target"] = "matrix wall p95 <= 200 ms (cached)"
    report["pass"] = report["matrix"]["wall_p95_ms"] <= 200
    return report


CASES = {"productmatrix_30_partners": {}}


def run_case(name: str = "productmatrix_30_partners") -> dict:
    return run(**CASES[name])


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--partners", type=int, default=30)
    ap.add_argument("--per", type=int, default=150)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    print(json.dumps(run(args.partners, args.per, args.quick), indent=1))
