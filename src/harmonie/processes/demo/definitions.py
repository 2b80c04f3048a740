"""Demo zaaktypen for the four fictional partners: the same services, defined differently.

"Omgevingsvergunning" exists at all four partners (Heidemeer with English labels) with different doorlooptijd,
servicenorm, statustypen, resultaattypen and vertrouwelijkheid, so matching and comparison have something to
show; "Melding openbare ruimte" and "Evenementenvergunning" exist at two partners each. The Selectielijst links
are real URLs of the Selectielijst 2020 (procestype 11 "Toestemming verlenen", procestype 6 "Verzoeken
behandelen"). Written through the normal import path (idempotent): rebuilding the demo changes nothing.
"""

from harmonie.core.demo import register_demo_builder
from harmonie.core.jobs import Progress

SL = "https://selectielijst.openzaak.nl/api/v1/"
TOESTEMMING = SL + "procestypen/7ff2b005-4d84-47fe-983a-732bfa958ff5"
VERZOEKEN = SL + "procestypen/838e405a-9b12-43c4-a985-d7a7490d422e"
RESULTS = {  # label → (selectielijstklasse, resultaattypeomschrijving, archiefnominatie, archiefactietermijn)
    "Verleend": (SL + "resultaten/2e86a8ca-0269-446c-8da2-6f4d08be422d",
                 SL + "resultaattypeomschrijvingen/f7d2dc14-1b71-4179-aed3-4e7abcfbeb0d", "vernietigen", "P1Y"),
    "Geweigerd": (SL + "resultaten/f572cb0e-244a-4682-b57e-0c044c468387",
                  SL + "resultaattypeomschrijvingen/1f750958-431c-4916-bc01-af5d3a753b41", "vernietigen", "P5Y"),
    "Ingetrokken": (SL + "resultaten/12421a71-3dc3-42df-a0dc-820c1744c7b7",
                    SL + "resultaattypeomschrijvingen/a6a0bd73-262a-401a-b629-9c4a908c69b5", "vernietigen", "P1Y"),
    "Buiten behandeling": (SL + "resultaten/0d978967-6bf2-452f-951a-c16bff338f42",
                           SL + "resultaattypeomschrijvingen/ce8cf476-0b59-496f-8eee-957a7c6e2506", "vernietigen",
                           "P1Y"),
    "Ingewilligd": (SL + "resultaten/3fc7002b-31b6-4abe-82af-b6d46a9a1736",
                    SL + "resultaattypeomschrijvingen/7cb315fb-4f7b-4a43-aca1-e4522e4c73b3", "vernietigen", "P5Y"),
    "Afgewezen": (SL + "resultaten/9d6e6675-8764-4c55-9a47-626c2dc399f8",
                  SL + "resultaattypeomschrijvingen/e6a0c939-3404-45b0-88e3-76c94fb80ea7", "vernietigen", "P1Y"),
}
# Heidemeer keeps English labels; the Selectielijst class is the same.
RESULTS["Granted"], RESULTS["Refused"] = RESULTS["Verleend"], RESULTS["Geweigerd"]
UPL = "http://standaarden.overheid.nl/owms/terms/"

# partner → [(identificatie, omschrijving, procestype, doorlooptijd, servicenorm, vertrouwelijkheid, upl,
#             statustypen, resultaattypen)]
ZAAKTYPEN = {
    "Lindeveen": [
        ("LV-OMV-01", "Omgevingsvergunning behandelen", TOESTEMMING, "P8W", "P6W", "zaakvertrouwelijk",
         "omgevingsvergunning", ["Aanvraag ontvangen", "Ontvankelijkheid beoordeeld", "In behandeling",
                                 "Advies welstand ontvangen", "Besluit genomen", "Afgehandeld"],
         ["Verleend", "Geweigerd", "Ingetrokken"]),
        ("LV-MOR-01", "Melding openbare ruimte afhandelen", VERZOEKEN, "P4W", "P5D", "openbaar",
         "melding_openbare_ruimte_(algemeen)", ["Melding ontvangen", "Ingepland", "Opgelost", "Afgehandeld"],
         ["Ingewilligd", "Afgewezen"]),
    ],
    "Brakelburg": [
        ("BB-0042", "Aanvraag omgevingsvergunning", TOESTEMMING, "P8W", "P8W", "zaakvertrouwelijk",
         "omgevingsvergunning", ["Ontvangen", "Intake", "In behandeling genomen", "Besluit", "Afgehandeld"],
         ["Verleend", "Geweigerd"]),
        ("BB-0050", "Evenementenvergunning verlenen", TOESTEMMING, "P8W", "P4W", "openbaar",
         "evenementenvergunning", ["Aanvraag ontvangen", "Advies hulpdiensten", "Besluit genomen", "Afgehandeld"],
         ["Verleend", "Geweigerd"]),
    ],
    "Oosterwaarde": [
        ("OW-VERG-7", "Omgevingsvergunning (regulier)", TOESTEMMING, "P8W", "P4W", "vertrouwelijk",
         "omgevingsvergunning", ["Aanvraag ontvangen", "In behandeling", "Zienswijze gevraagd", "Besluit genomen",
                                 "Afgehandeld"],
         ["Verleend", "Geweigerd", "Buiten behandeling"]),
        ("OW-EVT-2", "Evenementenvergunning", TOESTEMMING, "P12W", "P6W", "openbaar", "evenementenvergunning",
         ["Ontvangen", "Advies politie en brandweer", "Besluit", "Afgehandeld"], ["Verleend", "Geweigerd"]),
    ],
    "Heidemeer": [
        ("HM-ENV-1", "Environmental permit application", TOESTEMMING, "P8W", "P10W", "zaakvertrouwelijk",
         "omgevingsvergunning", ["Application received", "In progress", "Decision made", "Completed"],
         ["Granted", "Refused"]),
        ("HM-PUB-3", "Melding openbare ruimte", VERZOEKEN, "P2W", "P3D", "openbaar",
         "melding_openbare_ruimte_(algemeen)", ["Ontvangen", "In behandeling", "Afgehandeld"],
         ["Ingewilligd", "Afgewezen"]),
    ],
}


def demo_bundle(partner_name: str, row) -> dict:
    ident, name, procestype, doorlooptijd, servicenorm, level, upl, statuses, results = row
    url = f"https://zaken.{partner_name.lower()}.example/catalogi/api/v1/zaaktypen/{ident.lower()}"
    return {
        "zaaktype": {
            "url": url, "identificatie": ident, "omschrijving": name, "vertrouwelijkheidaanduiding": level,
            "doel": f"{name} voor inwoners en bedrijven van {partner_name}.",
            "aanleiding": "Een aanvraag of melding van een inwoner of bedrijf.", "indicatieInternOfExtern": "extern",
            "handelingInitiator": "Aanvragen", "onderwerp": name[:80], "handelingBehandelaar": "Behandelen",
            "doorlooptijd": doorlooptijd, "servicenorm": servicenorm,
            "opschortingEnAanhoudingMogelijk": True, "verlengingMogelijk": partner_name == "Oosterwaarde",
            "verlengingstermijn": "P6W" if partner_name == "Oosterwaarde" else None, "publicatieIndicatie": False,
            "productenOfDiensten": [UPL + upl], "selectielijstProcestype": procestype,
            "referentieproces": {"naam": name[:80]}, "besluittypen": [], "gerelateerdeZaaktypen": [],
            "beginGeldigheid": "2025-01-01", "versiedatum": "2025-01-01",
        },
        "statustypen": [{"url": f"{url}/statustypen/{n}", "zaaktype": url, "omschrijving": label, "volgnummer": n}
                        for n, label in enumerate(statuses, start=1)],
        "resultaattypen": [{"url": f"{url}/resultaattypen/{n}", "zaaktype": url, "omschrijving": label,
                            "selectielijstklasse": RESULTS[label][0], "resultaattypeomschrijving": RESULTS[label][1],
                            "archiefnominatie": RESULTS[label][2], "archiefactietermijn": RESULTS[label][3]}
                           for n, label in enumerate(results, start=1)],
        "roltypen": [{"url": f"{url}/roltypen/1", "zaaktype": url, "omschrijving": "Aanvrager",
                      "omschrijvingGeneriek": "initiator"},
                     {"url": f"{url}/roltypen/2", "zaaktype": url, "omschrijving": "Behandelaar",
                      "omschrijvingGeneriek": "behandelaar"}],
        "eigenschappen": [], "informatieobjecttypen": [], "besluittypen": [], "zaaktypeinformatieobjecttypen": [],
    }


@register_demo_builder
def build_zaaktypen(workspace, partners):
    from ..importers.openzaak import Catalogue
    from ..models import Correspondence, CorrespondenceKind, CorrespondenceStatus, DefinitionSource
    from ..services import definitions

    for partner in partners:
        rows = ZAAKTYPEN.get(partner.name, [])
        if not rows:
            continue
        catalogue = Catalogue(source_name=f"demo-catalogus {partner.name}", format="demo",
                              zaaktypen=[demo_bundle(partner.name, row) for row in rows])
        definitions._store(None, workspace, partner, catalogue, DefinitionSource.DEMO, Progress())
    definitions.suggest_zaaktype_correspondences(None, workspace)
    # One decision already taken, so the page shows both states.
    Correspondence.objects.filter(workspace=workspace, kind=CorrespondenceKind.ZAAKTYPE, a_key="BB-0042",
                                  b_key="LV-OMV-01", status=CorrespondenceStatus.SUGGESTED).update(
        status=CorrespondenceStatus.CONFIRMED)
