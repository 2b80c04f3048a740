"""``harmonie surveys results SURVEY_ID --output OUT.json`` and ``harmonie surveys list``."""

import json

from harmonie.core.errors import BadInput
from harmonie.core.management.base import HarmonieCommand
from harmonie.core.models import Workspace
from harmonie.people import services
from harmonie.people.models import Survey


class Command(HarmonieCommand):
    help = "Uitkomsten van anonieme enquêterondes (cultuur, veranderbereidheid, urgentie) per partner."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="actie", required=True, metavar="{results,list}")
        listing = sub.add_parser(
            "list", help="Toon de enquêterondes met hun nummer.",
            description="Toont per enquêteronde het nummer (ENQUETE_ID), het samenwerkingsverband, de periode, "
                        "de status en de titel, gescheiden door tabs.")
        listing.add_argument("--samenwerkingsverband", metavar="SLUG", help="Alleen de rondes van dit samenwerkingsverband.")
        results = sub.add_parser(
            "results",
            help="Schrijf de uitkomsten van één enquêteronde als JSON.",
            description=(
                "Schrijft de uitkomsten van enquêteronde ENQUETE_ID als JSON: {\"survey\", \"closed\", \"partners\": "
                "{CBS-code: {\"n\", \"culture\", \"readiness\", \"urgency\", \"groups\": [...]}}}. Dezelfde "
                "anonimiteitsregels als in de webapplicatie: geen uitkomst onder k respondenten (standaard 5) en "
                "aanvullende onderdrukking, zodat een verborgen groep nooit uit een partnertotaal of andere "
                "groepen kan worden afgeleid. Een verborgen partner of groep staat er als "
                "{\"group\": NAAM, \"suppressed\": true} (partner: {\"partner\": NAAM, \"suppressed\": true}) "
                "zonder enig getal. Zolang de ronde open is, staan er alleen aantallen reacties in die k halen. "
                "Losse antwoorden worden nooit geëxporteerd."
            ),
        )
        results.add_argument("survey_id", metavar="ENQUETE_ID", help="Nummer van de enquêteronde.")
        results.add_argument("--output", required=True, metavar="UIT.json", help="Uitvoerbestand (JSON).")

    def handle(self, *args, **options):
        if options["actie"] == "list":
            return self.list_surveys(options.get("samenwerkingsverband"))
        raw = str(options["survey_id"]).strip()
        if not raw.isdigit():
            raise BadInput(f"ENQUETE_ID '{raw}' is geen nummer van een enquêteronde.")
        survey = Survey.objects.filter(pk=int(raw)).first()
        if survey is None:
            raise BadInput(f"Enquêteronde {raw} bestaat niet.")
        result = services.results(survey)
        data = json.dumps(result, ensure_ascii=False, indent=1).encode("utf-8")
        self.write_atomically(options["output"], lambda handle: handle.write(data))
        hidden = sum(1 for p in result["partners"].values() if p.get("suppressed"))
        state = "gesloten" if result["closed"] else "nog open: alleen aantallen reacties"
        self.stderr.write(f"Enquêteronde {survey.pk} ({state}): {len(result['partners'])} partners, "
                          f"{hidden} verborgen (minder dan {survey.k} respondenten).")

    def list_surveys(self, slug):
        surveys = Survey.objects.select_related("workspace").order_by("pk")
        if slug:
            if not Workspace.objects.filter(slug=slug).exists():
                raise BadInput(f"Samenwerkingsverband '{slug}' bestaat niet.")
            surveys = surveys.filter(workspace__slug=slug)
        for survey in surveys:
            self.stdout.write("\t".join([str(survey.pk), survey.workspace.slug,
                                         f"{survey.opens_on.isoformat()}..{survey.closes_on.isoformat()}",
                                         "gesloten" if survey.is_closed() else "open", survey.title]))
