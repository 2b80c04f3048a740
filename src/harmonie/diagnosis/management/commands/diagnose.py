"""``harmonie diagnose WORKSPACE --output OUT.json``: harmonisation index and breekijzer-toets."""

import json

from harmonie.core.management.base import HarmonieCommand



class Command(HarmonieCommand):
    help = ("Diagnose van een samenwerkingsverband: de harmonisatie-index per laag, partner en partnerpaar, en de "
            "bevindingen van de breekijzer-toets (lessen L1–L3). Een laag zonder gegevens heeft de waarde null.")

    def add_arguments(self, parser):
        parser.add_argument("workspace", metavar="SAMENWERKINGSVERBAND", help="Korte naam (slug), bv. demo.")
        parser.add_argument("--output", required=True, metavar="UIT.json", help="Uitvoerbestand (JSON).")
        parser.add_argument("--bewaar", action="store_true",
                            help="Bewaar de meting ook in de database (voor de trend).")

    def handle(self, *args, **options):
        from harmonie.diagnosis import services

        workspace = services.get_workspace(options["workspace"])
        diagnosis = services.diagnose(workspace)
        if options["bewaar"]:
            services.save_measurement(diagnosis)
        data = json.dumps(diagnosis.contract(), ensure_ascii=False, indent=2).encode("utf-8")
        self.write_atomically(options["output"], lambda handle: handle.write(data))
        missing = ", ".join(diagnosis.missing_layers) or "geen"
        self.stderr.write(f"{len(diagnosis.findings)} bevindingen; lagen zonder gegevens: {missing}.")
