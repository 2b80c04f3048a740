"""``harmonie diagnose_bron WORKSPACE products|processes FILE.json [--naam NAAM=CBS …]``.

Stores the contract output of ``harmonie catalog compare`` (products) or ``harmonie processes compare``
(processes: ``summary.json``) as the source of that layer's index in the diagnosis, as long as those layer
apps keep no comparison per samenwerkingsverband themselves.
"""

from pathlib import Path

from harmonie.core.errors import BadInput
from harmonie.core.management.base import HarmonieCommand



class Command(HarmonieCommand):
    help = ("Leg een vergelijking vast als bron voor de harmonisatie-index: de uitvoer van ‘harmonie catalog "
            "compare’ (products) of ‘harmonie processes compare’ (processes, summary.json). Namen in het bestand "
            "worden gekoppeld aan partners via hun naam of CBS-code, of via --naam NAAM=CBS-code.")

    def add_arguments(self, parser):
        parser.add_argument("workspace", metavar="SAMENWERKINGSVERBAND", help="Korte naam (slug).")
        parser.add_argument("layer", metavar="LAAG", choices=("products", "processes"), help="products of processes.")
        parser.add_argument("file", metavar="BESTAND.json", help="Uitvoer van de vergelijking (JSON).")
        parser.add_argument("--naam", action="append", default=[], metavar="NAAM=CBS",
                            help="Koppel een naam uit het bestand aan een partner (herhaalbaar).")

    def handle(self, *args, **options):
        from harmonie.diagnosis import services

        workspace = services.get_workspace(options["workspace"])
        path = Path(options["file"])
        if not path.is_file():
            raise BadInput(f"{path}: bestand bestaat niet.")
        names = {}
        for item in options["naam"]:
            if "=" not in item:
                raise BadInput(f"--naam '{item}': gebruik NAAM=CBS-code, bv. gemeente-a.csv=GM0363.")
            name, code = item.split("=", 1)
            names[name.strip()] = code.strip()
        evidence = services.record_evidence(None, workspace, options["layer"], path.read_bytes(), names=names,
                                            source=path.name)
        self.stdout.write(f"Vastgelegd: {len(evidence.payload['pairs'])} partnerparen voor laag {options['layer']}.")
