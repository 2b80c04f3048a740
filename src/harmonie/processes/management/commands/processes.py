"""``harmonie processes compare LOG [LOG ...] --output DIR``: compare event logs of partners.

Kept light on purpose: no polars or lxml at import time (start-up time counts),
no system checks (this command does not touch the database).
"""

import json
from pathlib import Path

from harmonie.core.errors import BadInput
from harmonie.core.management.base import DUTCH_OPTION_HELP, DutchHelpFormatter, HarmonieCommand


COMPARE_DESCRIPTION = (
    "Vergelijk hoe partners een werkproces echt uitvoeren, aan de hand van hun logboeken (event logs). "
    "Per logboek: aantal zaken, gebeurtenissen, activiteiten, varianten (verschillende volgordes van "
    "activiteiten) en de mediane doorlooptijd in dagen. Per paar logboeken: hoe sterk de opeenvolgingen van "
    "activiteiten lijken (dfg_similarity, 0 tot 1) en hoeveel activiteiten ze delen (activity_overlap, 0 tot 1). "
    "En de gemeenschappelijke kern: de activiteiten die in elk logboek voorkomen. "
    "Het resultaat komt in MAP/summary.json. Bij een fout in een logboek schrijft Harmonie niets."
)
COMPARE_EPILOG = (
    "Bestandstypen: XES (.xes of .xes.gz) en CSV (.csv) of Parquet (.parquet) met de kolommen case_id, "
    "activity en timestamp (andere kolommen worden genegeerd). Tijden worden omgerekend naar UTC. "
    "Voorbeeld: harmonie processes compare gemeente-a.xes.gz gemeente-b.csv --output resultaat/ . "
    "Uitleg: docs/werkprocessen-vergelijken.md."
)


class Command(HarmonieCommand):
    help = (
        "Werkprocessen vergelijken. Opdracht 'compare': lees de logboeken (event logs) van partners en "
        "schrijf de vergelijking naar MAP/summary.json."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="OPDRACHT", required=True, parser_class=type(parser))
        compare = sub.add_parser(
            "compare",
            help="Logboeken van partners vergelijken en de samenvatting wegschrijven.",
            description=COMPARE_DESCRIPTION,
            epilog=COMPARE_EPILOG,
            formatter_class=DutchHelpFormatter,
            add_help=False,
            called_from_command_line=getattr(parser, "called_from_command_line", None),
        )
        compare.add_argument("-h", "--help", action="help", help=DUTCH_OPTION_HELP["help"])
        compare.add_argument(
            "logs",
            nargs="+",
            metavar="LOG",
            help="Een of meer logboeken: .xes, .xes.gz, .csv of .parquet. De bestandsnaam zonder extensies "
            "wordt de naam van het logboek in de uitkomst.",
        )
        compare.add_argument(
            "--output",
            required=True,
            metavar="MAP",
            help="Map waarin summary.json komt (wordt aangemaakt als die nog niet bestaat).",
        )
        compare.add_argument("--stil", dest="quiet", action="store_true", help="Geen voortgangsbalk tonen.")

    def handle(self, *args, **options):
        if options["action"] == "compare":
            self.compare(options)

    def compare(self, options):
        from harmonie.core.jobs import CliProgress
        from harmonie.processes import services

        output = Path(options["output"])
        if output.exists() and not output.is_dir():
            raise BadInput(f"--output {output}: dat is een bestand, geen map.")
        with CliProgress("Logboeken lezen", disable=options.get("quiet", False) or None) as progress:
            summary = services.compare_logs(options["logs"], progress=progress)
        data = (json.dumps(summary, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        target = output / "summary.json"
        self.write_atomically(target, lambda handle: handle.write(data))
        if options.get("verbosity", 1) >= 1:
            logs = summary["logs"]
            self.stdout.write(
                f"{len(logs)} logboek(en) vergeleken, {len(summary['pairs'])} paar/paren, "
                f"gemeenschappelijke kern: {len(summary['common_core']['activities'])} activiteiten. "
                f"Samenvatting: {target}"
            )
