"""Demo event logs for the four fictional partners: the building-permit process as each of them runs it.

Same core (aanvraag → ontvankelijkheid → inhoudelijke toets → advies → besluit → verzenden), with local extra
steps, different amounts of rework ("aanvulling vragen" → toets again) and a different speed per step, so the
comparison, the best performer per step and the difference maps have something to show. Every event has a
fictional employee name in a ``medewerker`` column: it is pseudonymised by the normal import (the demo shows
that no name ends up in the product). Deterministic (seeded), written through the normal import path, so
rebuilding the demo changes nothing (same file → same SHA-256).
"""

import csv
import random
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from harmonie.core.demo import register_demo_builder

FLOW = ["Aanvraag ontvangen", "Ontvankelijkheid toetsen", "Inhoudelijk toetsen", "Advies inwinnen",
        "Besluit nemen", "Besluit verzenden"]
# partner → (extra steps inserted after the first step, probability of a rework loop, hours per step factor,
#            the step this partner is fastest/slowest at)
LOCAL = {
    "Lindeveen": ([], 0.05, 1.0, {"Advies inwinnen": 0.4}),
    "Brakelburg": (["Vooroverleg"], 0.12, 0.8, {"Besluit nemen": 2.5}),
    "Oosterwaarde": (["Vooroverleg", "Welstandstoets"], 0.25, 1.2, {"Ontvankelijkheid toetsen": 0.3}),
    "Heidemeer": (["Intake aan de balie", "Welstandstoets", "Collegebesluit voorbereiden"], 0.4, 1.5,
                  {"Besluit verzenden": 0.2}),
}
NAMES = ["Anouk de Vries", "Bram Jansen", "Chantal Bakker", "Daan Visser", "Esra Yilmaz", "Femke Smit"]
CASES = 120


def log_rows(partner: str) -> list:
    extra, rework, factor, special = LOCAL.get(partner, ([], 0.1, 1.0, {}))
    rng = random.Random(f"harmonie-demo-{partner}")
    start = datetime(2025, 1, 6, 8, 30, tzinfo=timezone.utc)
    zone = timezone(timedelta(hours=1))  # the exports give local time with its offset
    rows = []
    for case in range(CASES):
        steps = FLOW[:1] + [s for s in extra if rng.random() < 0.85] + FLOW[1:]
        if rng.random() < 0.15:
            steps.remove("Advies inwinnen")
        if rng.random() < rework:
            at = steps.index("Inhoudelijk toetsen") + 1
            steps[at:at] = ["Aanvulling vragen", "Aanvulling ontvangen", "Inhoudelijk toetsen"]
        moment = start + timedelta(days=case * 2, hours=rng.randint(0, 8))
        for i, step in enumerate(steps):
            if i:
                hours = rng.expovariate(1 / 30) * factor * special.get(step, 1.0)
                moment += timedelta(hours=1 + hours)
            rows.append((f"{partner[:3].upper()}-{2025_0000 + case}", step,
                         moment.astimezone(zone).isoformat(timespec="seconds"), rng.choice(NAMES)))
    return rows


def write_log(path: Path, partner: str) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["zaaknummer", "activiteit", "tijdstip", "medewerker"])
        writer.writerows(log_rows(partner))
    return path


@register_demo_builder
def build_event_logs(workspace, partners):
    from ..services import logs as services

    mapping = {"case_id": "zaaknummer", "activity": "activiteit", "timestamp": "tijdstip", "resource": "medewerker"}
    with tempfile.TemporaryDirectory() as tmp:
        for partner in partners:
            path = write_log(Path(tmp) / f"vergunningen-{partner.name.lower()}.csv", partner.name)
            services.import_event_log(None, workspace, partner, path, path.name, mapping=mapping)
