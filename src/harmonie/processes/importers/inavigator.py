"""i-Navigator (Sdu) DSP XML → zaaktypen in Catalogi API representation.

``<dsp><processen><proces id>`` is one zaaktype; its ``velden`` hold the zaaktype fields, with ``statustypen``,
``resultaattypen`` (their ``vernietigingsgrondslag`` names the Selectielijst class, e.g. "Resultaat 8.2
Selectielijst gemeenten en intergemeentelijke organen 2020"), ``roltypen`` and ``documenttypen``. Termijnen are a
number plus a unit (Dag, Week, Maand, Jaar) and become ISO 8601 durations.

The Selectielijst references are returned as ``selectielijstVerwijzing`` (``{"nummer": "8.2", "jaar": 2020}``) on
each resultaattype; the services resolve them to Selectielijst API URLs with the loaded reference data.
Parsed with the hardened helpers (no DTD, no entities).
"""

from __future__ import annotations

import hashlib
import re

from harmonie.core.errors import BadInput
from harmonie.reference.importers.base import child, local_name, parse_xml

from .openzaak import Catalogue

UNITS = {"dag": "D", "dagen": "D", "werkdag": "D", "werkdagen": "D", "week": "W", "weken": "W", "maand": "M",
         "maanden": "M", "jaar": "Y", "jaren": "Y"}
VERTROUWELIJKHEID = {"openbaar", "beperkt_openbaar", "intern", "zaakvertrouwelijk", "vertrouwelijk",
                     "confidentieel", "geheim", "zeer_geheim"}
MAX_TERM_DIGITS = 6  # a termijn of a million days or more is a mistake, not a process
MAX_BYTES = 50 * 1024 * 1024  # default upload limit; the services pass HARMONIE_MAX_UPLOAD_BYTES
SELECTIELIJST = re.compile(r"Resultaat\s+(\d+(?:\.\d+)*)\b.*?(\d{4})", re.IGNORECASE)
ROLES = {"initiator": "initiator", "behandelaar": "behandelaar", "belanghebbende": "belanghebbende",
         "adviseur": "adviseur", "beslisser": "beslisser", "klantcontacter": "klantcontacter",
         "zaakcoördinator": "zaakcoordinator", "zaakcoordinator": "zaakcoordinator",
         "mede-initiator": "mede_initiator"}


def _text(node) -> str:
    return "" if node is None or node.text is None else node.text.strip()


def _field(velden, name) -> str:
    return _text(child(velden, name)) if velden is not None else ""


def _children(node, name):
    return [c for c in list(node) if local_name(c.tag) == name] if node is not None else []


def duration(amount: str, unit: str, where: str) -> str:
    if not amount:
        return ""
    # isascii: '²' and other Unicode digits pass isdigit() but not int()
    if not (amount.isascii() and amount.isdigit()):
        raise BadInput(f"{where}: termijn '{amount[:40]}' is geen geheel getal.")
    amount = amount.lstrip("0") or "0"
    if len(amount) > MAX_TERM_DIGITS:  # before int(), which refuses strings of more than 4300 digits
        raise BadInput(f"{where}: termijn van {len(amount)} cijfers is te groot (maximaal {MAX_TERM_DIGITS} "
                       f"cijfers).")
    code = UNITS.get(unit.strip().lower())
    if code is None:
        raise BadInput(f"{where}: onbekende eenheid '{unit}' (verwacht Dag, Week, Maand of Jaar).")
    return f"P{int(amount)}{code}"


def _termijn(velden, name, where) -> str:
    return duration(_field(velden, name), _field(velden, f"{name}-eenheid"), f"{where}, veld '{name}'")


def _yes(value: str) -> bool:
    return value.strip().lower() in ("ja", "true", "1")


def _vertrouwelijkheid(value: str, where: str) -> str:
    if not value:
        return ""
    key = re.sub(r"[\s-]+", "_", value.strip().lower())
    if key not in VERTROUWELIJKHEID:
        raise BadInput(f"{where}: onbekende vertrouwelijkheid '{value}'.")
    return key


def _date(value: str) -> str:
    return value[:10] if re.match(r"\d{4}-\d{2}-\d{2}", value or "") else ""


def _proces(proces, index: int, name: str) -> dict:
    pid = proces.get("id") or str(index)
    where = f"Bestand '{name}', proces {pid}"
    velden = child(proces, "velden")
    if velden is None:
        raise BadInput(f"{where}: element 'velden' ontbreekt.")
    omschrijving = _field(velden, "kernomschrijving") or _field(velden, "zaaktype-omschrijving")
    if not omschrijving:
        raise BadInput(f"{where}: veld 'kernomschrijving' (de omschrijving van het zaaktype) ontbreekt of is leeg.")
    naam = child(child(velden, "zaaktype-naam"), "structuur") if child(velden, "zaaktype-naam") is not None else None
    url = f"inavigator:proces/{pid}"
    wettelijk = _termijn(velden, "wettelijke-afdoeningstermijn", where)
    afdoening = _termijn(velden, "afdoeningstermijn", where)
    zaaktype = {
        "url": url,
        "identificatie": _field(velden, "zaaktype-code") or pid,
        "omschrijving": omschrijving,
        "omschrijvingGeneriek": _field(velden, "model-kernomschrijving"),
        "doel": _field(velden, "naam"),
        "aanleiding": _field(velden, "aanleiding"),
        "toelichting": _field(velden, "toelichting-proces"),
        "vertrouwelijkheidaanduiding": _vertrouwelijkheid(_field(velden, "vertrouwelijkheid"), where),
        "indicatieInternOfExtern": "extern" if "extern" in _field(velden, "zaaktype-categorie").lower() else "intern",
        "handelingInitiator": _text(child(naam, "handeling-initiator")) if naam is not None else "",
        "onderwerp": _text(child(naam, "onderwerp")) if naam is not None else "",
        "handelingBehandelaar": _text(child(naam, "handeling-behandelaar")) if naam is not None else "",
        "doorlooptijd": wettelijk or afdoening,
        "servicenorm": afdoening or None,
        "opschortingEnAanhoudingMogelijk": _yes(_field(velden, "aanhouden-mogelijk")),
        "verlengingMogelijk": bool(_field(velden, "verdagingstermijn")
                                   or _field(velden, "wettelijke-verdagingstermijn")),
        "verlengingstermijn": (_termijn(velden, "verdagingstermijn", where)
                               or _termijn(velden, "wettelijke-verdagingstermijn", where) or None),
        "publicatieIndicatie": _yes(_field(velden, "publicatie-indicatie")),
        "productenOfDiensten": [],
        "referentieproces": {"naam": _field(velden, "ztc-procestype") or omschrijving},
        "versiedatum": _date(_field(velden, "actueel-van")) or _date(_field(velden, "laatst-gewijzigd")),
        "beginGeldigheid": _date(_field(velden, "actueel-van")),
        "trefwoorden": [t for t in [_field(velden, "vng-thesaurusterm")] if t],
    }
    statustypen = []
    for st in _children(child(proces, "statustypen"), "statustype"):
        sv = child(st, "velden")
        label = _field(sv, "naam")
        if not label:
            raise BadInput(f"{where}, statustype {st.get('id')}: veld 'naam' ontbreekt.")
        try:
            volgnummer = int(st.get("volgnummer") or len(statustypen) + 1)
        except ValueError as exc:
            raise BadInput(f"{where}, statustype {st.get('id')}: volgnummer '{st.get('volgnummer')}' is geen getal.") \
                from exc
        statustypen.append({"url": f"{url}/statustype/{st.get('id')}", "zaaktype": url, "omschrijving": label,
                            "omschrijvingGeneriek": _field(sv, "naam-model"), "volgnummer": volgnummer,
                            "toelichting": _field(sv, "toelichting"),
                            "doorlooptijd": _termijn(sv, "standaard-doorlooptijd", where) or None})
    statustypen.sort(key=lambda s: s["volgnummer"])
    resultaattypen = []
    for rt in _children(child(proces, "resultaattypen"), "resultaattype"):
        rv = child(rt, "velden")
        label = _field(rv, "naam")
        if not label:
            raise BadInput(f"{where}, resultaattype {rt.get('id')}: veld 'naam' ontbreekt.")
        reference = {}
        grondslag = child(rv, "vernietigingsgrondslag")
        for fields in grondslag.iter() if grondslag is not None else []:
            if local_name(fields.tag) == "field" and fields.get("naam") == "NAAM":
                match = SELECTIELIJST.search(_text(fields))
                if match:
                    reference = {"nummer": match.group(1), "jaar": int(match.group(2)), "naam": _text(fields)}
            if local_name(fields.tag) == "field" and fields.get("naam") == "URL" and reference:
                reference["bron"] = _text(fields)
        waardering = _field(rv, "waardering").lower()
        resultaattypen.append({
            "url": f"{url}/resultaattype/{rt.get('id')}", "zaaktype": url, "omschrijving": label,
            "omschrijvingGeneriek": _field(rv, "naam-model"), "toelichting": _field(rv, "toelichting"),
            "archiefnominatie": ("blijvend_bewaren" if "bewaren" in waardering else
                                 "vernietigen" if "vernietigen" in waardering else ""),
            "archiefactietermijn": _termijn(rv, "bewaartermijn", where) or None,
            "brondatumArchiefprocedure": {"afleidingswijze": "afgehandeld"}
            if _field(rv, "brondatum-archiefprocedure").lower() == "afgehandeld" else None,
            "selectielijstVerwijzing": reference,
        })
    roltypen = []
    for rol in _children(child(proces, "roltypen"), "roltype"):
        label = _field(child(rol, "velden"), "naam")
        if label:
            roltypen.append({"url": f"{url}/roltype/{rol.get('id')}", "zaaktype": url, "omschrijving": label,
                             "omschrijvingGeneriek": ROLES.get(label.lower(), "")})
    informatieobjecttypen, links = [], []
    for number, doc in enumerate(_children(child(proces, "documenttypen"), "documenttype"), start=1):
        dv = child(doc, "velden")
        label = _field(dv, "naam")
        if not label:
            continue
        iot_url = f"inavigator:documenttype/{doc.get('soort-id') or doc.get('id')}"
        informatieobjecttypen.append({"url": iot_url, "omschrijving": label,
                                      "vertrouwelijkheidaanduiding": _vertrouwelijkheid(
                                          _field(dv, "vertrouwelijkheid"), where) or "zaakvertrouwelijk"})
        kind = _field(dv, "type").lower()
        links.append({"zaaktype": url, "informatieobjecttype": iot_url, "volgnummer": number,
                      "richting": kind if kind in ("inkomend", "uitgaand", "intern") else "intern"})
    return {"zaaktype": zaaktype, "statustypen": statustypen, "resultaattypen": resultaattypen,
            "roltypen": roltypen, "eigenschappen": [], "informatieobjecttypen": informatieobjecttypen,
            "besluittypen": [], "zaaktypeinformatieobjecttypen": links}


def parse(data: bytes, name: str, *, max_bytes: int | None = None) -> Catalogue:
    limit = MAX_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        raise BadInput(f"Bestand '{name}' is te groot ({len(data)} bytes; maximaal {limit} bytes).")
    if not data:
        raise BadInput(f"Bestand '{name}' is leeg.")
    root = parse_xml(data, name)
    if local_name(root.tag) != "dsp":
        raise BadInput(f"Bestand '{name}': het hoofdelement is '{local_name(root.tag)}', verwacht 'dsp' "
                       f"(een i-Navigator-export).")
    processen = _children(child(root, "processen"), "proces")
    zaaktypen = [_proces(proces, index, name) for index, proces in enumerate(processen, start=1)]
    if not zaaktypen:
        raise BadInput(f"Bestand '{name}' bevat geen processen (zaaktypen) onder <processen>; er is niets "
                       f"geïmporteerd.")
    return Catalogue(source_name=name, format="inavigator", zaaktypen=zaaktypen,
                     file_sha256=hashlib.sha256(data).hexdigest())
