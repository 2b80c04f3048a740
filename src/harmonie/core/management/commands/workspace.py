"""``harmonie workspace export SLUG --output FILE`` and ``harmonie workspace import FILE [--als SLUG]``."""

from harmonie.core.exchange import export_workspace, import_workspace
from harmonie.core.jobs import CliProgress
from harmonie.core.management.base import HarmonieCommand


class Command(HarmonieCommand):
    help = ("Een heel samenwerkingsverband exporteren naar één ZIP-bestand of daaruit importeren (verhuizen, "
            "back-up, kopie). Wachtwoorden, 2FA-sleutels, API-tokens en respondentlinks gaan niet mee. "
            "Zie docs/werkruimte-export.md.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="actie")
        export = sub.add_parser("export", help="Exporteer een samenwerkingsverband naar een ZIP-bestand.")
        export.add_argument("slug", help="Korte naam (slug) van het samenwerkingsverband.")
        export.add_argument("--output", "-o", required=True, help="Het ZIP-bestand dat wordt geschreven.")
        export.add_argument("--stil", action="store_true", help="Geen voortgangsbalk.")
        imp = sub.add_parser("import", help="Importeer een samenwerkingsverband uit een ZIP-bestand.")
        imp.add_argument("file", help="Het ZIP-bestand van 'harmonie workspace export'.")
        imp.add_argument("--als", dest="new_slug", metavar="NIEUWE_SLUG",
                         help="Importeer onder deze korte naam (nodig als de oorspronkelijke al bestaat).")
        imp.add_argument("--naam", dest="new_name", help="Nieuwe naam voor het samenwerkingsverband.")
        imp.add_argument("--stil", action="store_true", help="Geen voortgangsbalk.")

    def handle(self, *args, action=None, **options):
        quiet = options.get("stil") or options.get("verbosity", 1) == 0
        if action == "export":
            with CliProgress("Exporteren", disable=quiet) as progress:
                result = export_workspace(options["slug"], options["output"], progress=progress)
            rows = sum(result.counts.values())
            self.stdout.write(f"Geëxporteerd naar {result.path}: {rows} rijen in {len(result.counts)} "
                              f"gegevenstypen, {result.files} databestanden. SHA-256: {result.sha256}")
        elif action == "import":
            with CliProgress("Importeren", disable=quiet) as progress:
                result = import_workspace(options["file"], new_slug=options.get("new_slug"),
                                          new_name=options.get("new_name"), progress=progress)
            self.stdout.write(
                f"Samenwerkingsverband '{result.workspace.slug}' geïmporteerd: {sum(result.counts.values())} rijen, "
                f"{result.users_created} nieuwe accounts (zonder wachtwoord: stuur een link om het wachtwoord in "
                f"te stellen), {result.audit_entries} auditregels, {result.files} databestanden.")
