"""``harmonie reference load|update|status``: load, download and show the reference lists."""

from django.utils import timezone

from harmonie.core.errors import BadInput
from harmonie.core.jobs import CliProgress
from harmonie.core.management.base import HarmonieCommand
from harmonie.reference import services
from harmonie.reference.services import KINDS, LABELS


class Command(HarmonieCommand):
    help = ("Referentiedata beheren: de UPL, GEMMA, de Selectielijst en het gemeenteregister (TOOI) inlezen uit een "
            "bestand, downloaden van de officiële bron, of de geladen versies tonen.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTIE", required=True,
                                    parser_class=type(parser))
        load = sub.add_parser(
            "load", help="Een lijst inlezen uit een bestand of map.",
            description="Lees een referentielijst in. Is de inhoud anders dan de actuele versie, dan ontstaat een "
                        "nieuwe versie (de oude blijft bewaard). Dezelfde inhoud nog eens inlezen verandert niets.",
            called_from_command_line=getattr(parser, "called_from_command_line", None),
        )
        load.add_argument("kind", choices=KINDS, metavar="SOORT",
                          help=f"Welke lijst: {', '.join(KINDS)}.")
        load.add_argument("path", metavar="PAD",
                          help="Bestand of map: UPL als CSV of OWMS-JSON; GEMMA als AMEFF-XML of map met CSV's; "
                               "Selectielijst als API-JSON (bestand of map); gemeenten als TOOI-JSON of CSV.")
        load.add_argument("--bron", dest="source", default=None,
                          help="Bronvermelding bij de versie (standaard de bestandsnaam).")
        load.add_argument("--stil", dest="quiet", action="store_true", help="Geen voortgangsbalk tonen.")
        update = sub.add_parser(
            "update", help="De actuele lijsten downloaden van de officiële bronnen en inlezen.",
            description="Download de actuele lijsten van de ingestelde officiële adressen (instelling "
                        "HARMONIE_REFERENCE_URLS of omgevingsvariabele HARMONIE_REFERENCE_URL_<SOORT>) en lees ze in.",
            called_from_command_line=getattr(parser, "called_from_command_line", None),
        )
        update.add_argument("kinds", nargs="*", metavar="SOORT",
                            help=f"Alleen deze lijsten (standaard alle): {', '.join(KINDS)}.")
        update.add_argument("--url", action="append", default=[], metavar="SOORT=URL",
                            help="Een ander adres gebruiken voor deze lijst (mag vaker).")
        update.add_argument("--stil", dest="quiet", action="store_true", help="Geen voortgangsbalk tonen.")
        sub.add_parser("status", help="Per lijst de actuele versie en de eerdere versies tonen.",
                       description="Toon per soort referentiedata de actuele versie, de bron en het aantal items.",
                       called_from_command_line=getattr(parser, "called_from_command_line", None))

    def handle(self, *args, **options):
        action = options["action"]
        if action == "load":
            with CliProgress(f"{LABELS[options['kind']]} inlezen", disable=options.get("quiet", False)) as progress:
                result = services.load_reference(options["kind"], options["path"], progress=progress,
                                                 source=options.get("source"))
            self.stdout.write(result.summary())
        elif action == "update":
            urls = {}
            for value in options.get("url") or []:
                kind, sep, url = value.partition("=")
                if not sep or kind not in KINDS or not url:
                    raise BadInput(f"--url '{value}': gebruik SOORT=URL met SOORT een van {', '.join(KINDS)}.")
                urls.setdefault(kind, []).append(url)
            kinds = options.get("kinds") or list(urls) or None
            with CliProgress("Referentiedata bijwerken", disable=options.get("quiet", False)) as progress:
                results = services.update_reference(kinds, urls=urls, progress=progress)
            for result in results:
                self.stdout.write(f"{result.summary()} — bron: {result.source}")
        else:
            for kind in KINDS:
                versions = services.list_versions(kind)
                current = next((v for v in versions if v.is_current), None)
                if current is None:
                    self.stdout.write(f"{LABELS[kind]}: niet geladen")
                    continue
                loaded = timezone.localtime(current.loaded_at).strftime("%d-%m-%Y %H:%M")
                extra = " (uittreksel)" if current.is_excerpt else ""
                self.stdout.write(f"{LABELS[kind]}: versie {current.number}{extra}, {current.item_count} items, "
                                  f"bron {current.source}, geladen {loaded}; {len(versions)} versie(s) bewaard")
