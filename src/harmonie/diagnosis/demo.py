"""Demo data of the diagnosis: a roadmap that shows the pattern the article warns about.

* "Eén zaaksysteem voor alle partners": initiated by IT/SSC, no board mandate, planned BEFORE
  the harmonisation of the permit processes it serves (the crowbar);
* vision & governance, product and process initiatives with a board mandate;
* two adopted agreements with a spread of implementation per partner;
* inhabitants per partner (cost-sharing key "naar inwonertal");
* stored comparisons for products and processes, computed with the products and processes
  apps' own comparison services on small fictional catalogues and event logs.

Heidemeer's low felt urgency comes from the people layer's demo; the check turns it into an
L2 finding and the roadmap into a proposed involvement initiative. Idempotent: running the
demo again updates the same records.
"""

import csv
import logging
import random
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from harmonie.core.demo import register_demo_builder

from .models import (
    Agreement,
    CheckSettings,
    Implementation,
    Initiative,
    LayerEvidence,
    PartnerFacts,
)

logger = logging.getLogger(__name__)

INHABITANTS = {"GM9901": 42150, "GM9902": 27480, "GM9903": 18920, "GM9904": 11340}


def _month(base: date, months: int) -> date:
    year, month = divmod(base.month - 1 + months, 12)
    return date(base.year + year, month + 1, 1)


def initiatives(base: date) -> list[dict]:
    return [
        dict(title="Gezamenlijke visie en governance vaststellen", layer="visie", kind="harmonisatie",
             owner="Directeur samenwerkingsverband", start=base, end=_month(base, 6), status="gereed",
             initiated_by="bestuur", board_mandate="Algemeen bestuur, besluit AB-01", board_mandate_date=base,
             information_management=True,
             description="Visie op de rol van de samenwerking en op goede informatiehuishouding; Wgr-regeling "
                         "met evaluatie- en uittredingsbepalingen.",
             one_off_costs=60000, cost_key="gelijk"),
        dict(title="Eén productcatalogus op de UPL", layer="producten", kind="harmonisatie",
             owner="Programmamanager dienstverlening", start=_month(base, 6), end=_month(base, 16),
             initiated_by="primair_proces", primary_process_need=True,
             board_mandate="Algemeen bestuur, besluit AB-04", board_mandate_date=_month(base, 5),
             information_management=True,
             description="Productdefinities (doelgroep, online aanvragen, grondslag, termijn, tarief) per UPL-naam "
                         "gezamenlijk vaststellen.",
             one_off_costs=120000, yearly_savings=45000, cost_key="inwoners"),
        dict(title="Vergunningsprocessen harmoniseren", layer="werkprocessen", kind="harmonisatie",
             owner="Teamleiders vergunningen", start=_month(base, 10), end=_month(base, 28),
             initiated_by="primair_proces", primary_process_need=True,
             board_mandate="Algemeen bestuur, besluit AB-04", board_mandate_date=_month(base, 5),
             target_process_of="GM9901",
             description="Omgevingsvergunning, evenementen en kap: één procesontwerp met ruimte voor lokale "
                         "varianten. Uitgangspunt nu: het proces van Lindeveen.",
             one_off_costs=240000, yearly_savings=160000, cost_key="inwoners"),
        dict(title="Gezamenlijke KPI's en mandaatregeling", layer="aansturing", kind="harmonisatie",
             owner="Concerncontrollers", start=_month(base, 14), end=_month(base, 22),
             initiated_by="bestuur", board_mandate="Dagelijks bestuur, besluit DB-07",
             board_mandate_date=_month(base, 12),
             description="Eenduidige KPI-definities en één mandaatregeling voor de vergunningverlening.",
             one_off_costs=40000, cost_key="gelijk"),
        dict(title="Eén zaaksysteem voor alle partners", layer="applicaties", kind="migratie",
             owner="Manager IT (SSC)", start=_month(base, 11), end=_month(base, 23),
             initiated_by="it_ssc", single_platform=True, gemma_component="Zaakregistratiecomponent",
             description="Migratie van vier zaaksystemen naar één gezamenlijk zaaksysteem; processen worden "
                         "ingericht zoals het nieuwe systeem dat voorschrijft.",
             one_off_costs=850000, yearly_costs=210000, yearly_savings=380000, cost_key="gebruik",
             usage={"GM9901": 180, "GM9902": 120, "GM9903": 85, "GM9904": 45}),
    ]


AGREEMENTS = [
    dict(title="Productdefinities burgerzaken (UPL)", layer="producten", subject="definitie",
         adopted_by="Algemeen bestuur", document="AB-besluit 12: productdefinities burgerzaken",
         status={"GM9901": "gereed", "GM9902": "gereed", "GM9903": "bezig", "GM9904": "niet_gestart"}),
    dict(title="Mandaatregeling omgevingsvergunningen", layer="aansturing", subject="stuurregel",
         adopted_by="Dagelijks bestuur", document="DB-besluit 31: mandaatregeling",
         status={"GM9901": "gereed", "GM9902": "bezig", "GM9903": "bezig", "GM9904": "niet_gestart"}),
]

# --- fictional catalogues and event logs for the stored comparisons ---------------------------

UPL = "http://standaarden.overheid.nl/owms/terms/"
PRODUCTS = ["Paspoort", "Identiteitskaart", "Rijbewijs", "Uittreksel basisregistratie personen",
            "Verhuizing doorgeven", "Omgevingsvergunning", "Parkeervergunning", "Evenementenvergunning",
            "Kapvergunning", "Huwelijk", "Bijstandsuitkering", "Hondenbelasting", "Gehandicaptenparkeerkaart",
            "Afvalcontainer"]
CATALOGUES = {  # partner -> (products left out, products with a different definition)
    "Lindeveen": (set(), set()),
    "Brakelburg": ({"Afvalcontainer"}, {"Parkeervergunning"}),
    "Oosterwaarde": ({"Hondenbelasting", "Kapvergunning"}, {"Evenementenvergunning", "Bijstandsuitkering"}),
    "Heidemeer": ({"Gehandicaptenparkeerkaart", "Kapvergunning", "Evenementenvergunning", "Afvalcontainer"},
                  {"Omgevingsvergunning", "Parkeervergunning", "Rijbewijs"}),
}
FLOW = ["Aanvraag ontvangen", "Ontvankelijkheid toetsen", "Inhoudelijk toetsen", "Advies inwinnen",
        "Besluit nemen", "Besluit verzenden"]
LOCAL = {  # partner -> (extra steps, probability of a rework loop)
    "Lindeveen": ([], 0.05),
    "Brakelburg": (["Vooroverleg"], 0.1),
    "Oosterwaarde": (["Vooroverleg", "Welstandstoets"], 0.25),
    "Heidemeer": (["Intake aan de balie", "Welstandstoets", "Collegebesluit voorbereiden"], 0.45),
}


def _catalogue_csv(path: Path):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["organisation", "title", "upl_uri", "upl_label", "audience", "onlineAanvragen"])
        for partner, (left_out, different) in CATALOGUES.items():
            for name in PRODUCTS:
                if name in left_out:
                    continue
                audience = "particulier|ondernemer" if name in different else "particulier"
                online = "nee" if name in different else "digid"
                writer.writerow([partner, name, UPL + name.replace(" ", ""), name, audience, online])


def _log_csv(path: Path, partner: str):
    extra, rework = LOCAL[partner]
    rng = random.Random(partner)
    start = datetime(2025, 1, 6, 9, 0)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case_id", "activity", "timestamp"])
        for case in range(40):
            steps = FLOW[:1] + [s for s in extra if rng.random() < 0.8] + FLOW[1:]
            if rng.random() < rework:
                steps.insert(steps.index("Inhoudelijk toetsen") + 1, "Aanvulling vragen")
                steps.insert(steps.index("Aanvulling vragen") + 1, "Inhoudelijk toetsen")
            moment = start + timedelta(days=case * 3)
            for step in steps:
                moment += timedelta(hours=rng.randint(4, 120))
                writer.writerow([f"{partner[:3].upper()}-{case:03d}", step, moment.isoformat() + "Z"])


def _evidence(workspace, partners):
    names = {p.name: p.cbs_code for p in partners}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        try:
            from harmonie.products.services import compare_catalog

            _catalogue_csv(tmp / "catalogi.csv")
            payload = compare_catalog(tmp / "catalogi.csv", "organisation").result
            _store(workspace, "products", payload, names, "demo: fictieve productcatalogi (catalog compare)")
        except Exception:  # noqa: BLE001 - the products app is optional for the demo
            logger.warning("demo: products comparison skipped", exc_info=True)
        try:
            from harmonie.processes.services import compare_logs

            paths = []
            for partner in LOCAL:
                path = tmp / f"{partner}.csv"
                _log_csv(path, partner)
                paths.append(path)
            payload = compare_logs(paths)
            _store(workspace, "processes", payload, {f"{p}.csv": c for p, c in names.items()} | {
                p: c for p, c in names.items()}, "demo: fictieve logboeken vergunningsproces (processes compare)")
        except Exception:  # noqa: BLE001
            logger.warning("demo: processes comparison skipped", exc_info=True)


def _store(workspace, layer, payload, names, source):
    current = LayerEvidence.objects.filter(workspace=workspace, layer=layer).first()
    if current and current.payload == payload and current.names == names:
        return
    LayerEvidence.objects.filter(workspace=workspace, layer=layer, source__startswith="demo:").delete()
    LayerEvidence.objects.create(workspace=workspace, layer=layer, payload=payload, names=names, source=source)


@register_demo_builder
def build(workspace, partners):
    base = date(timezone.localdate().year, 1, 1)
    with transaction.atomic():
        CheckSettings.objects.update_or_create(workspace=workspace,
                                               defaults={"information_management_in_scope": True})
        for partner in partners:
            if partner.cbs_code in INHABITANTS:
                PartnerFacts.objects.update_or_create(partner=partner,
                                                      defaults={"inhabitants": INHABITANTS[partner.cbs_code]})
        made = {}
        for data in initiatives(base):
            data = dict(data)
            made[data["layer"]], _created = Initiative.objects.update_or_create(
                workspace=workspace, title=data.pop("title"), defaults={**data, "origin": "demo"})
        made["werkprocessen"].dependencies.set([made["visie"]])
        made["producten"].dependencies.set([made["visie"]])
        made["applicaties"].dependencies.clear()  # the crowbar: nobody linked it to the process work
        # involvement initiatives accepted in an earlier demo session are removed, so the proposal shows again
        Initiative.objects.filter(workspace=workspace, origin="voorstel", kind="betrokkenheid").delete()
        by_code = {p.cbs_code: p for p in partners}
        for number, data in enumerate(AGREEMENTS):
            data = dict(data)
            status = data.pop("status")
            agreement, _created = Agreement.objects.update_or_create(
                workspace=workspace, title=data.pop("title"),
                defaults={**data, "adopted_on": _month(base, 4 + 3 * number),
                          "initiative": made["producten" if number == 0 else "aansturing"]})
            for code, value in status.items():
                if code in by_code:
                    Implementation.objects.update_or_create(agreement=agreement, partner=by_code[code],
                                                            defaults={"status": value})
        _evidence(workspace, partners)
