"""``harmonie catalog compare INPUT --group-by COLUMN --output OUT.json``."""

import json
import sys

from tqdm import tqdm

from harmonie.core.management.base import HarmonieCommand
from harmonie.products import services


class Command(HarmonieCommand):
    help = "Productcatalogi van samenwerkende organisaties vergelijken op de UPL."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="actie", required=True, metavar="{compare}")
        compare = sub.add_parser(
            "compare",
            help="Vergelijk de catalogi in één CSV.",
            description=(
                "Lees een CSV (ook .csv.gz) in SC-vorm met de producten van meerdere organisaties; --group-by "
                "noemt de kolom met de organisatie. De producten van een regel zijn de UPL-namen in 'upl_uri' of, "
                "zonder (bruikbare) UPL-naam, het beste voorstel van 'upl match'. Schrijft JSON met de "
                "organisaties, per paar de harmonisatie-index en het aantal gedeelde producten, en per UPL-product "
                "wie het aanbiedt. Index = Jaccard-overlap van de productsets x gemiddelde overeenkomst van de "
                "definities (doelgroep, online aanvragen) van de gedeelde producten: 1,0 bij gelijke catalogi met "
                "gelijke definities, 0,0 als niets gedeeld wordt."
            ),
        )
        compare.add_argument("input", metavar="INVOER", help="CSV of CSV.GZ in SC-vorm.")
        compare.add_argument("--group-by", required=True, metavar="KOLOM", help="Kolom met de naam van de organisatie.")
        compare.add_argument("--output", required=True, metavar="UIT.json", help="Uitvoerbestand (JSON).")
        compare.add_argument("--upl", metavar="UPL_BESTAND", help="Zonder geleerd model: gebruik deze UPL-lijst in plaats van die in de database.")

    def handle(self, *args, **options):
        bar = tqdm(desc="voorstellen", unit=" producten", file=sys.stderr, leave=False, disable=None)
        try:
            report = services.compare_catalog(
                options["input"], options["group_by"], progress=bar.update, upl_file=options.get("upl")
            )
        finally:
            bar.close()
        data = json.dumps(report.result, ensure_ascii=False, indent=1).encode("utf-8")
        self.write_atomically(options["output"], lambda handle: handle.write(data))
        result = report.result
        self.stderr.write(
            f"{len(result['organisations'])} organisaties, {len(result['products'])} UPL-producten, "
            f"{len(result['pairs'])} paren; {report.suggested_rows} regels zonder UPL-naam kregen een voorstel"
            + (f"; {report.withdrawn_tags} UPL-namen staan niet (meer) in de huidige lijst" if report.withdrawn_tags else "")
            + "."
        )
