"""``harmonie landscape overlap PORTFOLIO --output OUT.json`` and friends (Applicaties layer)."""

import json

from harmonie.core.errors import BadInput
from harmonie.core.management.base import HarmonieCommand


class Command(HarmonieCommand):
    help = "Applicatielandschappen van samenwerkende gemeenten op de GEMMA-referentiecomponenten."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="actie", required=True, metavar="{overlap,import,export-ameff,gemma-ameff}")
        overlap = sub.add_parser(
            "overlap", help="Overlap per referentiecomponent uit één portfolio-CSV.",
            description=(
                "Lees een CSV met de kolommen partner, application, referentiecomponent, contract_end en supplier "
                "(meerdere referentiecomponenten in één cel gescheiden door ' | ', of op meer regels; dezelfde "
                "applicatie van dezelfde partner twee keer voor dezelfde component is een fout; referentiecomponent als GEMMA-naam of Object ID; contract_end als 2026-12-31 of 31-12-2026, "
                "mag leeg zijn). Schrijft JSON met per referentiecomponent de partners, de verschillende "
                "applicaties, hun aantal (1 = geharmoniseerd) en common_window_from: de dag na het laatste "
                "contracteinde, of null als een einddatum onbekend is. Regels met een referentiecomponent die niet "
                "in GEMMA staat komen onder 'unmapped' (met het regelnummer in het bestand) en stoppen de run niet. "
                "GEMMA komt uit de database (harmonie reference load gemma MAP); zonder geladen GEMMA wordt het "
                "ingebouwde uittreksel gebruikt."),
        )
        overlap.add_argument("portfolio", metavar="PORTFOLIO", help="CSV-bestand met de portfolio's.")
        overlap.add_argument("--output", required=True, metavar="UIT.json", help="Uitvoerbestand (JSON).")

        imp = sub.add_parser("import", help="Importeer het portfolio van één partner (CSV, XLSX of AMEFF).",
                             description="Importeer het applicatieportfolio van één partner in een "
                                         "samenwerkingsverband. Alles of niets; dezelfde import nogmaals verandert "
                                         "niets.")
        imp.add_argument("workspace", metavar="SAMENWERKINGSVERBAND", help="Korte naam (slug).")
        imp.add_argument("partner", metavar="PARTNER", help="Naam of CBS-code van de partner.")
        imp.add_argument("file", metavar="BESTAND", help="CSV, XLSX of AMEFF.")

        exp = sub.add_parser("export-ameff", help="Exporteer het huidige of het doellandschap als AMEFF.",
                             description="Schrijf het applicatielandschap van een samenwerkingsverband als "
                                         "ArchiMate-uitwisselbestand (AMEFF).")
        exp.add_argument("workspace", metavar="SAMENWERKINGSVERBAND", help="Korte naam (slug).")
        exp.add_argument("--doel", action="store_true", help="Het doellandschap in plaats van het huidige.")
        exp.add_argument("--output", required=True, metavar="UIT.xml", help="Uitvoerbestand (XML).")

        gemma = sub.add_parser("gemma-ameff", help="Exporteer het geladen GEMMA-model als AMEFF.",
                               description="Schrijf de actuele GEMMA-versie uit de database als "
                                           "ArchiMate-uitwisselbestand (AMEFF).")
        gemma.add_argument("--output", required=True, metavar="UIT.xml", help="Uitvoerbestand (XML).")

    def handle(self, *args, **options):
        from harmonie.applications import services

        action = options["actie"]
        if action == "overlap":
            report = services.overlap_report(options["portfolio"])
            data = json.dumps(report, ensure_ascii=False, indent=1).encode("utf-8")
            self.write_atomically(options["output"], lambda handle: handle.write(data))
            self.stderr.write(f"{len(report['components'])} referentiecomponenten, "
                              f"{len(report['unmapped'])} regels zonder bekende referentiecomponent.")
        elif action == "import":
            from pathlib import Path

            workspace, partner = self._partner(options["workspace"], options["partner"])
            path = Path(options["file"])
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise BadInput(f"Bestand '{path.name}' kan niet worden gelezen: {exc.strerror or exc}.") from exc
            result = services.import_portfolio(None, workspace, partner, data, path.name)
            self.stderr.write(result.summary)
        elif action == "export-ameff":
            workspace = self._workspace(options["workspace"])
            data = services.export_ameff(workspace, target=options["doel"])
            self.write_atomically(options["output"], lambda handle: handle.write(data))
        elif action == "gemma-ameff":
            data = services.export_gemma_ameff()
            self.write_atomically(options["output"], lambda handle: handle.write(data))

    @staticmethod
    def _workspace(slug):
        from harmonie.core.models import Workspace

        workspace = Workspace.objects.filter(slug=slug).first()
        if workspace is None:
            raise BadInput(f"Samenwerkingsverband '{slug}' bestaat niet.")
        return workspace

    def _partner(self, slug, text):
        workspace = self._workspace(slug)
        key = text.strip().casefold()
        for partner in workspace.partners.all():
            if key in (partner.name.casefold(), partner.cbs_code.casefold()):
                return workspace, partner
        raise BadInput(f"Partner '{text}' hoort niet bij samenwerkingsverband '{slug}'.")
