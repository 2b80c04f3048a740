"""``harmonie upl learn FILE`` and ``harmonie upl match INPUT --output OUT.csv [--top K]``."""

import sys

from tqdm import tqdm

from harmonie.core.management.base import HarmonieCommand
from harmonie.products import services


class Command(HarmonieCommand):
    help = (
        "UPL-namen voorstellen voor producttitels. 'learn' leert van producten die al een UPL-naam hebben; "
        "'match' geeft per product de beste UPL-namen met een gekalibreerde zekerheid (0-1)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="actie", required=True, metavar="{learn,match}")
        learn = sub.add_parser(
            "learn",
            help="Leer van een CSV met gelabelde producten.",
            description=(
                "Leer UPL-voorstellen van een CSV (ook .csv.gz) met ten minste de kolommen 'title' en 'upl_uri' "
                "(meerdere URI's gescheiden door ' | '); 'abstract' en 'audience' worden gebruikt als ze er zijn, "
                "'authority_label' om per gemeente te kalibreren. Regels met 'UPL-naam nog niet beschikbaar' en "
                "ingetrokken of onbekende UPL-namen worden overgeslagen en geteld. Wat geleerd is, komt in de "
                "database en wordt bij elke volgende 'upl match' gebruikt; opnieuw leren van hetzelfde bestand "
                "verandert niets."
            ),
        )
        learn.add_argument("file", metavar="BESTAND", help="CSV of CSV.GZ met title en upl_uri.")
        learn.add_argument("--opnieuw", action="store_true", help="Begin opnieuw: vergeet wat eerder geleerd is.")
        learn.add_argument("--upl", metavar="UPL_BESTAND", help="Gebruik deze UPL-lijst (CSV of OWMS-JSON) in plaats van die in de database.")
        learn.add_argument("--ingetrokken", metavar="OWMS_JSON", help="OWMS-lijst met einddatums om ingetrokken UPL-namen te herkennen.")
        match = sub.add_parser(
            "match",
            help="Stel UPL-namen voor bij producttitels.",
            description=(
                "Lees INVOER (CSV of CSV.GZ met 'id' en 'title', optioneel 'abstract' en 'audience') en schrijf "
                "per product K regels 'id,rank,upl_uri,upl_label,score' naar --output: rank 1 is het beste "
                "voorstel, score de gekalibreerde kans dat het voorstel klopt."
            ),
        )
        match.add_argument("input", metavar="INVOER", help="CSV of CSV.GZ met id en title.")
        match.add_argument("--output", required=True, metavar="UIT.csv", help="Uitvoerbestand (CSV).")
        match.add_argument("--top", type=int, default=3, metavar="K", help="Aantal voorstellen per product (standaard 3).")
        match.add_argument("--upl", metavar="UPL_BESTAND", help="Zonder geleerd model: gebruik deze UPL-lijst in plaats van die in de database.")

    def handle(self, *args, **options):
        if options["actie"] == "learn":
            return self._learn(options)
        return self._match(options)

    def _learn(self, options):
        bar = tqdm(total=6, desc="leren", file=sys.stderr, leave=False, disable=None)

        def step(message):
            bar.set_postfix_str(message)
            bar.update(1)

        try:
            report = services.learn_upl(
                options["file"],
                replace=options["opnieuw"],
                upl_file=options.get("upl"),
                withdrawn_file=options.get("ingetrokken"),
                progress=step,
            )
        finally:
            bar.close()
        self.stderr.write(report.summary())

    def _match(self, options):
        bar = tqdm(desc="koppelen", unit=" producten", file=sys.stderr, leave=False, disable=None)
        try:
            rows = services.match_upl(options["input"], options["top"], progress=bar.update, upl_file=options.get("upl"))
        finally:
            bar.close()
        self.write_atomically(options["output"], lambda handle: services.write_match_csv(rows, handle))
        n = len({r[0] for r in rows})
        self.stderr.write(f"{n} producten gekoppeld, {len(rows)} regels geschreven naar {options['output']}.")
