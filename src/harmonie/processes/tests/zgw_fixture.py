"""Test helper: the real Open Zaak demo fixture (Django loaddata format, database field names) converted to the
Catalogi API representation (camelCase API names, relations as URLs), as an Open Zaak export ZIP or as the pages a
Catalogi API serves. The mapping follows SOURCE.md of the fixture and Open Zaak's serializers."""

import io
import json
import re
import zipfile

from conftest import require_shared

BASE = "http://openzaak.test/catalogi/api/v1/"
RENAMES = {
    "zaaktype_omschrijving": "omschrijving", "zaaktype_omschrijving_generiek": "omschrijvingGeneriek",
    "doorlooptijd_behandeling": "doorlooptijd", "servicenorm_behandeling": "servicenorm",
    "statustype_omschrijving": "omschrijving", "statustype_omschrijving_generiek": "omschrijvingGeneriek",
    "statustypevolgnummer": "volgnummer", "eigenschapnaam": "naam", "datum_begin_geldigheid": "beginGeldigheid",
    "datum_einde_geldigheid": "eindeGeldigheid",
}
JSON_STRINGS = {"trefwoorden", "verantwoordingsrelatie", "producten_of_diensten", "trefwoord", "waardenverzameling"}
DROP = {"_etag", "uuid", "selectielijst_procestype_jaar", "referentieproces_naam", "referentieproces_link",
        "specificatie_van_eigenschap", "broncatalogus_url", "broncatalogus_domein", "broncatalogus_rsin",
        "bronzaaktype_url", "bronzaaktype_identificatie", "bronzaaktype_omschrijving", "catalogus", "zaaktype",
        "statustype", "informatieobjecttype", "informatieobjecttypen", "besluittypen", "zaakobjecttypen",
        "zaaktypen", "deelzaaktypen"}
PATHS = {"catalogi.zaaktype": "zaaktypen", "catalogi.statustype": "statustypen",
         "catalogi.resultaattype": "resultaattypen", "catalogi.roltype": "roltypen",
         "catalogi.eigenschap": "eigenschappen", "catalogi.informatieobjecttype": "informatieobjecttypen",
         "catalogi.besluittype": "besluittypen",
         "catalogi.zaaktypeinformatieobjecttype": "zaaktype-informatieobjecttypen"}
RESOURCES = {"catalogi.catalogus": "Catalogus", "catalogi.zaaktype": "ZaakType", "catalogi.statustype": "StatusType",
             "catalogi.resultaattype": "ResultaatType", "catalogi.roltype": "RolType",
             "catalogi.eigenschap": "Eigenschap", "catalogi.informatieobjecttype": "InformatieObjectType",
             "catalogi.besluittype": "BesluitType",
             "catalogi.zaaktypeinformatieobjecttype": "ZaakTypeInformatieObjectType"}


def camel(name: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)


def fixture_records():
    path = require_shared("openzaak-fixture/catalogi.json")
    return json.loads(path.read_text(encoding="utf-8"))


def api_resources(base: str = BASE) -> dict[str, list[dict]]:
    records = fixture_records()
    urls = {}
    catalogus_url = ""
    for rec in records:
        if rec["model"] == "catalogi.catalogus":
            catalogus_url = f"{base}catalogussen/{rec['fields']['uuid']}"
        elif rec["model"] in PATHS:
            urls[(rec["model"], rec["pk"])] = f"{base}{PATHS[rec['model']]}/{rec['fields']['uuid']}"
    specs = {rec["pk"]: rec["fields"] for rec in records if rec["model"] == "catalogi.eigenschapspecificatie"}
    out = {res: [] for res in RESOURCES.values()}
    for rec in records:
        model, fields = rec["model"], rec["fields"]
        if model not in RESOURCES:
            continue
        item = {}
        if model == "catalogi.catalogus":
            item["url"] = catalogus_url
        else:
            item["url"] = urls[(model, rec["pk"])]
        for key, value in fields.items():
            if key in DROP:
                continue
            if key in JSON_STRINGS and isinstance(value, str):
                value = json.loads(value)
            if key.startswith("brondatum_archiefprocedure_"):
                sub = camel(key.removeprefix("brondatum_archiefprocedure_"))
                item.setdefault("brondatumArchiefprocedure", {})[sub] = value
                continue
            item[RENAMES.get(key, camel(key))] = value
        if "catalogus" in fields:
            item["catalogus"] = catalogus_url
        if "zaaktype" in fields:
            item["zaaktype"] = urls[("catalogi.zaaktype", fields["zaaktype"])]
        if "informatieobjecttype" in fields:
            item["informatieobjecttype"] = urls[("catalogi.informatieobjecttype", fields["informatieobjecttype"])]
        if "statustype" in fields and model == "catalogi.zaaktypeinformatieobjecttype":
            item["statustype"] = urls.get(("catalogi.statustype", fields["statustype"]))
        if model == "catalogi.zaaktype":
            item["referentieproces"] = {"naam": fields["referentieproces_naam"],
                                        "link": fields["referentieproces_link"]}
            item["deelzaaktypen"] = [urls[("catalogi.zaaktype", pk)] for pk in fields.get("deelzaaktypen", [])]
            item["besluittypen"] = [urls[("catalogi.besluittype", r["pk"])] for r in records
                                    if r["model"] == "catalogi.besluittype" and rec["pk"] in r["fields"]["zaaktypen"]]
            item["gerelateerdeZaaktypen"] = []
        if model == "catalogi.besluittype":
            item["zaaktypen"] = [urls[("catalogi.zaaktype", pk)] for pk in fields["zaaktypen"]]
            item["informatieobjecttypen"] = [urls[("catalogi.informatieobjecttype", pk)]
                                             for pk in fields["informatieobjecttypen"]]
        if model == "catalogi.eigenschap":
            spec = dict(specs[fields["specificatie_van_eigenschap"]])
            spec["waardenverzameling"] = json.loads(spec["waardenverzameling"])
            item["specificatie"] = spec
        out[RESOURCES[model]].append(item)
    return out


def make_zip(resources: dict[str, list[dict]], folder: str = "", extra: dict[str, bytes] | None = None,
             skip=()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for res, items in resources.items():
            if res in skip:
                continue
            archive.writestr(f"{folder}{res}.json", json.dumps(items, ensure_ascii=False))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()
