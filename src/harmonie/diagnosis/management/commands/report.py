"""``harmonie report WORKSPACE --output REPORT.pdf [--format html]``: the board report."""

from harmonie.core.management.base import HarmonieCommand



class Command(HarmonieCommand):
    help = ("Bestuursrapportage van een samenwerkingsverband: samenvatting, harmonisatie-index, afspraken en "
            "implementatie, breekijzer-toets, routekaart en business case, bijlage met methode en bronnen. "
            "Als PDF (PDF/A-3b, getagd) of HTML.")

    def add_arguments(self, parser):
        parser.add_argument("workspace", metavar="SAMENWERKINGSVERBAND", help="Korte naam (slug), bv. demo.")
        parser.add_argument("--output", required=True, metavar="RAPPORT.pdf", help="Uitvoerbestand.")
        parser.add_argument("--format", choices=("pdf", "html"), default=None,
                            help="pdf (standaard) of html; zonder --format volgt het de extensie van --output.")

    def handle(self, *args, **options):
        from harmonie.diagnosis import services

        fmt = options["format"] or ("html" if str(options["output"]).lower().endswith((".html", ".htm")) else "pdf")
        workspace = services.get_workspace(options["workspace"])
        data = services.report(workspace, fmt)
        self.write_atomically(options["output"], lambda handle: handle.write(data))
