"""``harmonie processes compare LOG [LOG ...] --output DIR``: compare event logs of partners.
``harmonie processes match-activities A.bpmn B.bpmn --output OUT.csv``: propose activity correspondences.

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


MATCH_DESCRIPTION = (
    "Stel voor welke activiteiten van twee procesmodellen (BPMN 2.0) hetzelfde werk zijn. Harmonie vergelijkt "
    "de namen van taken, subprocessen en benoemde gebeurtenissen in het Nederlands en Engels (stammen, "
    "samenstellingen, synoniemen van procesgebruikelijke werkwoorden en objecten) en hun plaats in het proces "
    "(positie en buren). Uitkomst: een CSV met de kolommen a_id,a_label,b_id,b_label,score, één regel per "
    "voorgestelde overeenkomst; een activiteit kan bij meerdere activiteiten passen. De id's zijn de "
    "id-attributen van de BPMN-elementen; score loopt van 0 tot 1."
)
MATCH_EPILOG = (
    "Voorbeeld: harmonie processes match-activities gemeente-a.bpmn gemeente-b.bpmn --output overeenkomsten.csv . "
    "Uitleg: docs/procesmodellen-en-referentieproces.md."
)


class Command(HarmonieCommand):
    help = (
        "Werkprocessen vergelijken. Opdracht 'compare': lees de logboeken (event logs) van partners en "
        "schrijf de vergelijking naar MAP/summary.json. Opdracht 'match-activities': stel overeenkomsten "
        "voor tussen de activiteiten van twee BPMN-procesmodellen."
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
        match = sub.add_parser(
            "match-activities",
            help="Activiteiten van twee BPMN-procesmodellen aan elkaar koppelen (voorstel als CSV).",
            description=MATCH_DESCRIPTION,
            epilog=MATCH_EPILOG,
            formatter_class=DutchHelpFormatter,
            add_help=False,
            called_from_command_line=getattr(parser, "called_from_command_line", None),
        )
        match.add_argument("-h", "--help", action="help", help=DUTCH_OPTION_HELP["help"])
        match.add_argument("model_a", metavar="A.bpmn", help="Het eerste procesmodel (BPMN 2.0 XML).")
        match.add_argument("model_b", metavar="B.bpmn", help="Het tweede procesmodel (BPMN 2.0 XML).")
        match.add_argument("--output", required=True, metavar="UIT.csv",
                           help="Het CSV-bestand voor de voorgestelde overeenkomsten (wordt overschreven).")

    def handle(self, *args, **options):
        if options["action"] == "compare":
            self.compare(options)
        elif options["action"] == "match-activities":
            self.match_activities(options)

    def match_activities(self, options):
        import csv
        import io

        from harmonie.processes.services.bpmn import match_bpmn_files

        output = Path(options["output"])
        if output.is_dir():
            raise BadInput(f"--output {output}: dat is een map; geef een bestandsnaam, bijvoorbeeld uit.csv.")
        matches = match_bpmn_files(options["model_a"], options["model_b"])
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["a_id", "a_label", "b_id", "b_label", "score"])
        for m in matches:
            writer.writerow([m.a_id, m.a_label, m.b_id, m.b_label, f"{m.score:.4f}"])
        data = buffer.getvalue().encode("utf-8")
        self.write_atomically(output, lambda handle: handle.write(data))
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(f"{len(matches)} overeenkomst(en) voorgesteld: {output}")

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
