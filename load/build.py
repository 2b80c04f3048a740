"""Build the load-test workspace: 30 real municipalities with data in every layer.

Run inside Django (``load.run`` calls ``python -m load.build`` with the load database in ``DATABASE_URL``):

* the real TOOI municipality register and UPL list are loaded as reference data (from the shared data folder);
* 30 current municipalities that publish at least ``LOAD_PRODUCTS`` (150) products in the shared SC CSV become
  partners (``core.services.add_partner``, as a coördinator would add them);
* every layer's demo builder adds its fictional data for those 30 partners (the same builders as ``harmonie demo``);
* each partner's product catalogue: its own ~150 SC products through the products importer
  (``parse_source`` + ``import_catalogue``, with UPL suggestions);
* users: one coördinator, one partnerbijdrager per partner and one lezer, password ``LOAD_PASSWORD``.

Prints one JSON line with what was built (counts, seconds).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

SLUG = "belasting"
PASSWORD = os.environ.get("LOAD_PASSWORD", "belasting-wachtwoord-2026")
PARTNERS = int(os.environ.get("LOAD_PARTNERS", "30"))
PRODUCTS = int(os.environ.get("LOAD_PRODUCTS", "150"))
SHARED = Path(os.environ.get("HARMONIE_SHARED_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "data"))
SC_CSV = "sc/sc-products-170-gemeenten-2023-10.csv.gz"


def _sc_rows_by_authority() -> tuple[list[str], dict[str, list[dict]]]:
    text = gzip.decompress((SHARED / SC_CSV).read_bytes()).decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    by_authority: dict[str, list[dict]] = defaultdict(list)
    for row in reader:
        by_authority[row["authority_label"]].append(row)
    return reader.fieldnames, by_authority


def _csv_bytes(fieldnames, rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fieldnames)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmonie.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from harmonie.core import services
    from harmonie.core.demo import DEMO_BUILDERS
    from harmonie.core.models import Membership, Role, Workspace
    from harmonie.reference.models import Gemeente
    from harmonie.reference.services import current_version, ensure_excerpt_loaded, load_reference

    started = time.monotonic()
    timings = {}
    ensure_excerpt_loaded()
    load_reference("gemeenten", SHARED / "tooi-organisaties" / "rwc_gemeenten_compleet_4.json")
    load_reference("upl", SHARED / "upl" / "UPL-actueel-2025-04.csv")
    timings["reference"] = round(time.monotonic() - started, 1)

    User = get_user_model()
    coordinator, _ = User.objects.get_or_create(username="belasting-coordinator",
                                                defaults={"first_name": "Coby", "last_name": "Coördinator"})
    coordinator.set_password(PASSWORD)
    coordinator.save()
    workspace = services.create_workspace(coordinator, name="Belastingtest: 30 gemeenten", slug=SLUG,
                                          wgr_form="bedrijfsvoeringsorganisatie",
                                          vision="Dertig gemeenten harmoniseren producten en processen; IT volgt.",
                                          goals="1. Eén productcatalogus.\n2. Geharmoniseerde processen.")
    Membership.objects.update_or_create(user=coordinator, workspace=workspace,
                                        defaults={"role": Role.COORDINATOR, "partner": None})

    # 30 current municipalities with a real catalogue of at least PRODUCTS products
    fieldnames, by_authority = _sc_rows_by_authority()
    register = {g.name: g for g in Gemeente.objects.filter(version=current_version("gemeenten"))
                if not g.is_historic}
    chosen = [name for name, rows in sorted(by_authority.items(), key=lambda kv: -len(kv[1]))
              if len(rows) >= PRODUCTS and name in register][:PARTNERS]
    if len(chosen) < PARTNERS:
        print(f"FOUT: maar {len(chosen)} gemeenten met {PRODUCTS} producten gevonden.", file=sys.stderr)
        return 1
    partners = [services.add_partner(coordinator, workspace, register[name].cbs_code) for name in chosen]
    users = []
    for index, partner in enumerate(partners, start=1):
        user, _ = User.objects.get_or_create(username=f"belasting-bijdrager-{index:02d}",
                                             defaults={"first_name": "Bijdrager", "last_name": partner.name})
        user.set_password(PASSWORD)
        user.save()
        Membership.objects.update_or_create(user=user, workspace=workspace,
                                            defaults={"role": Role.PARTNERBIJDRAGER, "partner": partner})
        users.append(user.username)
    reader, _ = User.objects.get_or_create(username="belasting-lezer")
    reader.set_password(PASSWORD)
    reader.save()
    Membership.objects.update_or_create(user=reader, workspace=workspace, defaults={"role": Role.LEZER, "partner": None})
    timings["partners"] = round(time.monotonic() - started, 1)

    # every layer's demo data for these partners
    for builder in DEMO_BUILDERS:
        t = time.monotonic()
        with transaction.atomic():
            builder(workspace, partners)
        timings[f"demo:{builder.__module__}"] = round(time.monotonic() - t, 1)

    # real product catalogues through the products importer (when it is there)
    products = 0
    try:
        from harmonie.products.services.catalogue import import_catalogue, parse_source
    except ImportError:
        parse_source = None
    if parse_source is not None:
        from harmonie.products.services import load_matcher

        matcher = load_matcher()
        t = time.monotonic()
        for partner, name in zip(partners, chosen):
            data = _csv_bytes(fieldnames, by_authority[name][:PRODUCTS])
            catalogue = parse_source("sc-csv", data, f"sc-{partner.cbs_code}.csv", partner)
            outcome = import_catalogue(coordinator, workspace, partner, catalogue, kind="sc-csv",
                                       source=f"sc-{partner.cbs_code}.csv", matcher=matcher)
            products += len(catalogue.rows)
        timings["products"] = round(time.monotonic() - t, 1)
    print(json.dumps({"workspace": SLUG, "partners": [p.name for p in partners], "products": products,
                      "coordinator": coordinator.username, "contributors": users, "reader": reader.username,
                      "seconds": round(time.monotonic() - started, 1), "timings": timings,
                      "workspaces": Workspace.objects.count()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
