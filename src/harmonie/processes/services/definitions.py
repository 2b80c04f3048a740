"""Zaaktypen: how partners *define* their processes. The one entry point for views, API, jobs and the demo.

Flow: import (Open Zaak export ZIP, live ZGW Catalogi API, i-Navigator DSP XML; background jobs with progress)
→ store per partner (atomic, idempotent by content hash, audited) → match across partners
(``analysis.zaaktypen``; suggestions stored as ``Correspondence`` rows that people confirm or reject) →
compare matched pairs → export a harmonised zaaktype as an Open Zaak import ZIP.

For the reference process (H5): ``harmonised_zaaktype(reference_process_model, base_zaaktypen)`` returns one
zaaktype *bundle* in Catalogi API representation::

    {"zaaktype": {...}, "statustypen": [...], "resultaattypen": [...], "roltypen": [...],
     "eigenschappen": [...], "informatieobjecttypen": [...], "besluittypen": [],
     "zaaktypeinformatieobjecttypen": [...]}

``reference_process_model["steps"]`` (an ordered list of ``{"label": str, ...}``) become the statustypen in that
order; ``reference_process_model.get("name")`` the omschrijving (else the first base zaaktype's). Everything else
comes from ``base_zaaktypen`` (the partners' zaaktypen of this process): the shortest legal doorlooptijd, the
median servicenorm, the strictest vertrouwelijkheid, the most common valid Selectielijst procestype, the union of
resultaattypen (by label, each with a Selectielijst class of that procestype) and roltypen. With the
Selectielijst loaded (Referentiedata) every link is checked against it and missing classes are filled from it;
without it the links of the base zaaktypen are kept and only their form is checked.
``export_openzaak_zip([bundle, ...])`` writes the ZIP (Catalogus.json, ZaakType.json, ...), after validating
every object against the Catalogi API component schemas (``processes/schemas``); a problem raises ``BadInput``.
``reference_openzaak_zip(reference)`` does both for a ``ReferenceProcess``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import statistics
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from harmonie.core.audit import record_change, record_import
from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.jobs import Progress, register_job, start_job
from harmonie.core.models import AuditAction, Partner, Workspace
from harmonie.core.permissions import can_edit_partner, can_manage

from .. import schemas
from ..analysis import zaaktypen as analysis
from ..importers import inavigator, openzaak, zgw
from ..models import (
    Correspondence,
    CorrespondenceKind,
    CorrespondenceStatus,
    DefinitionSource,
    DefinitionUpload,
    ReferenceProcess,
    ResultaatType,
    StatusType,
    ZaakType,
    ZgwConnection,
)

__all__ = [
    "ZAAKTYPE_IMPORT_JOB", "ZAAKTYPE_FETCH_JOB", "ZaakTypeImportResult", "import_definitions",
    "start_definition_import",
    "save_zgw_connection", "fetch_zgw", "start_zgw_fetch", "zaaktypen_of", "zaaktype_info",
    "suggest_zaaktype_correspondences", "decide_zaaktype_correspondence", "zaaktype_comparisons", "harmonised_zaaktype", "MAX_STATUSTYPEN", "milestones", "openzaak_todo",
    "export_openzaak_zip", "reference_openzaak_zip", "pair_openzaak_zip", "selectielijst_index",
    "can_decide_zaaktype_correspondence", "link_zaaktype_upl", "upl_products",
]

ZAAKTYPE_IMPORT_JOB = "processes.zaaktypen.import"
ZAAKTYPE_FETCH_JOB = "processes.zaaktypen.zgw"
OBJECT_TYPE = "processes.zaaktypen"
EXPORT_BASE = "https://harmonie.invalid/catalogi/api/v1/"
UPL_PREFIX = "http://standaarden.overheid.nl/owms/terms/"
SELECTIELIJST_URL = re.compile(r"^https?://[^/]+/(?:[^/]+/)*api/v1/"
                               r"(procestypen|resultaten|resultaattypeomschrijvingen)/[0-9a-f-]{36}$")
VERTROUWELIJKHEID_ORDER = ["openbaar", "beperkt_openbaar", "intern", "zaakvertrouwelijk", "vertrouwelijk",
                           "confidentieel", "geheim", "zeer_geheim"]


# --- Selectielijst (reference data) ------------------------------------------------------------------


@dataclass
class SelectielijstIndex:
    procestypen: dict[str, dict] = field(default_factory=dict)
    resultaten: dict[str, dict] = field(default_factory=dict)
    omschrijvingen: dict[str, dict] = field(default_factory=dict)

    @property
    def loaded(self) -> bool:
        return bool(self.procestypen and self.resultaten)

    def resultaten_of(self, procestype: str) -> list[dict]:
        return sorted((r for r in self.resultaten.values() if r.get("procesType") == procestype),
                      key=lambda r: [int(x) for x in re.findall(r"\d+", r.get("volledigNummer") or "0")])

    def resultaat_by_number(self, nummer: str, jaar: int | None) -> dict | None:
        for r in self.resultaten.values():
            if (r.get("volledigNummer") or "") == nummer:
                proces = self.procestypen.get(r.get("procesType"), {})
                if jaar is None or proces.get("jaar") == jaar:
                    return r
        return None

    def omschrijving_by_label(self, label: str) -> dict | None:
        key = (label or "").strip().casefold()
        for item in self.omschrijvingen.values():
            if (item.get("omschrijving") or "").casefold() == key:
                return item
        return None


def selectielijst_index() -> SelectielijstIndex:
    """The current Selectielijst version (procestypen, resultaten, generic resultaattypeomschrijvingen)."""
    from harmonie.reference.models import SelectielijstItem
    from harmonie.reference.services import current_version

    version = current_version("selectielijst")
    index = SelectielijstIndex()
    if version is None:
        return index
    for item in SelectielijstItem.objects.filter(version=version).only("record_type", "url", "jaar", "data"):
        data = dict(item.data or {})
        data.setdefault("url", item.url)
        if item.record_type == "procestype":
            data.setdefault("jaar", item.jaar)
            index.procestypen[item.url] = data
        elif item.record_type == "resultaat":
            index.resultaten[item.url] = data
        elif item.record_type == "resultaattypeomschrijving":
            index.omschrijvingen[item.url] = data
    return index


def _resolve_inavigator(catalogue: openzaak.Catalogue, index: SelectielijstIndex) -> None:
    """i-Navigator names Selectielijst classes by number and year: find their API URLs."""
    for item in catalogue.zaaktypen:
        procestypen = []
        for rt in item["resultaattypen"]:
            ref = rt.get("selectielijstVerwijzing") or {}
            if ref and index.loaded and not rt.get("selectielijstklasse"):
                found = index.resultaat_by_number(ref.get("nummer", ""), ref.get("jaar"))
                if found:
                    rt["selectielijstklasse"] = found["url"]
                    procestypen.append(found.get("procesType"))
            if index.loaded and not rt.get("resultaattypeomschrijving"):
                generic = index.omschrijving_by_label(rt.get("omschrijvingGeneriek") or rt["omschrijving"])
                if generic:
                    rt["resultaattypeomschrijving"] = generic["url"]
        if procestypen and not item["zaaktype"].get("selectielijstProcestype"):
            item["zaaktype"]["selectielijstProcestype"] = max(set(procestypen), key=procestypen.count)


def _link_warnings(bundle: dict, index: SelectielijstIndex) -> list[str]:
    """Selectielijst links that the loaded reference data does not know (not an error: shown in the UI)."""
    if not index.loaded:
        return []
    zt = bundle["zaaktype"]
    warnings = []
    procestype = zt.get("selectielijstProcestype") or ""
    if procestype and procestype not in index.procestypen:
        warnings.append(_("Selectielijst-procestype '%(url)s' staat niet in de geladen Selectielijst.")
                        % {"url": procestype})
    for rt in bundle["resultaattypen"]:
        klasse = rt.get("selectielijstklasse") or ""
        if klasse and klasse not in index.resultaten:
            warnings.append(_("Resultaattype '%(rt)s': Selectielijstklasse '%(url)s' staat niet in de geladen "
                              "Selectielijst.") % {"rt": rt["omschrijving"], "url": klasse})
        elif klasse and procestype and index.resultaten[klasse].get("procesType") != procestype:
            warnings.append(_("Resultaattype '%(rt)s': de Selectielijstklasse hoort bij een ander procestype dan "
                              "het zaaktype.") % {"rt": rt["omschrijving"]})
    return warnings


# --- UPL (the product layer) ----------------------------------------------------------------------------


def upl_products() -> list[tuple[str, str]]:
    """Current municipal UPL products as ``(uri, label)`` (withdrawn names left out)."""
    from harmonie.reference.services import current_upl

    today = date.today()
    return [(p.uri, p.label) for p in current_upl()
            if (p.gemeente or not any((p.rijk, p.provincie, p.waterschap))) and not (p.end_date and p.end_date < today)]


def _upl_suggestion(zt: dict, products: list[tuple[str, str]]) -> dict:
    found = analysis.suggest_product([str(zt.get(k) or "") for k in ("omschrijving", "onderwerp",
                                                                      "omschrijvingGeneriek")], products)
    return {"uri": found[0], "label": found[1], "score": found[2]} if found else {}


def link_zaaktype_upl(user, zaaktype: ZaakType, uri: str) -> ZaakType:
    """Link a zaaktype to a UPL product (the bijdrager of its partner or the coördinator); audited."""
    _check_edit(user, zaaktype.partner)
    labels = dict(upl_products())
    if uri and uri not in labels:
        raise BadInput(_("'%(uri)s' staat niet in de huidige UPL.") % {"uri": uri})
    before = {"upl_uri": zaaktype.upl_uri}
    with transaction.atomic():
        zaaktype.upl_uri = uri
        zaaktype.save(update_fields=["upl_uri", "updated_at"])
        record_change(user, zaaktype.workspace, AuditAction.UPDATE, zaaktype, before=before,
                      after={"upl_uri": uri, "upl": labels.get(uri, ""), "zaaktype": zaaktype.omschrijving})
    suggest_zaaktype_correspondences(None, zaaktype.workspace)
    return zaaktype


# --- storing ----------------------------------------------------------------------------------------------


@dataclass
class ZaakTypeImportResult:
    partner: str
    source_name: str
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if not (self.added or self.changed):
            return _("%(p)s: ongewijzigd (%(n)s zaaktypen)") % {"p": self.partner, "n": self.unchanged}
        return _("%(p)s: %(a)s zaaktypen toegevoegd, %(c)s gewijzigd, %(u)s ongewijzigd") % {
            "p": self.partner, "a": self.added, "c": self.changed, "u": self.unchanged}

    def as_dict(self) -> dict:
        return {"partner": self.partner, "source_name": self.source_name, "added": self.added,
                "changed": self.changed, "unchanged": self.unchanged, "warnings": self.warnings,
                "summary": self.summary}


def _check_edit(user, partner: Partner):
    if user is not None and not can_edit_partner(user, partner):
        raise NotAllowed(_("U mag alleen de zaaktypen van uw eigen gemeente importeren."))


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _identificatie(zt: dict) -> str:
    ident = str(zt.get("identificatie") or "").strip()
    if not ident and zt.get("url"):
        ident = str(zt["url"]).rstrip("/").rsplit("/", 1)[-1]
    return (ident or str(zt.get("omschrijving", "")))[:200]


def _upl(products) -> str:
    return next((p for p in products or [] if isinstance(p, str) and p.startswith(UPL_PREFIX)), "")


def _text(value, limit) -> str:
    return ("" if value is None else str(value))[:limit]


def _store(user, workspace: Workspace, partner: Partner, catalogue: openzaak.Catalogue, source: str,
           progress: Progress) -> ZaakTypeImportResult:
    index = selectielijst_index()
    if source == DefinitionSource.INAVIGATOR:
        _resolve_inavigator(catalogue, index)
    result = ZaakTypeImportResult(partner=partner.name, source_name=catalogue.source_name)
    products = upl_products()
    seen = {}
    for number, item in enumerate(catalogue.zaaktypen, start=1):
        zt = item["zaaktype"]
        key = (_identificatie(zt), _text(zt.get("versiedatum"), 100))
        if key in seen:
            raise BadInput(_("Bron '%(src)s': zaaktype '%(ident)s' versie '%(v)s' komt twee keer voor (item %(a)s en "
                             "%(b)s). Niets geïmporteerd.") % {"src": catalogue.source_name, "ident": key[0],
                                                                "v": key[1], "a": seen[key], "b": number})
        seen[key] = number
    progress.update(done=0, total=len(catalogue.zaaktypen),
                    message=_("%(p)s: %(n)s zaaktypen opslaan") % {"p": partner.name, "n": len(catalogue.zaaktypen)},
                    force=True)
    with transaction.atomic():
        existing = {(z.identificatie, z.versie): z for z in
                    ZaakType.objects.select_for_update().filter(partner=partner)}
        for done, item in enumerate(catalogue.zaaktypen, start=1):
            zt = item["zaaktype"]
            warnings = _link_warnings(item, index)
            result.warnings += [f"{zt['omschrijving']}: {w}" for w in warnings]
            details = {**item, "catalogus": catalogue.catalogus, "warnings": warnings}
            if not _upl(zt.get("productenOfDiensten")):
                details["upl_voorstel"] = _upl_suggestion(zt, products)
            content_hash = hashlib.sha256(_canonical({"source": source, **item}).encode()).hexdigest()
            ident, versie = _identificatie(zt), _text(zt.get("versiedatum"), 100)
            current = existing.get((ident, versie))
            if current is not None and current.content_hash == content_hash:
                result.unchanged += 1
                progress.update(done=done)
                continue
            values = {
                "workspace": workspace, "source": source, "source_name": catalogue.source_name[:1000],
                "omschrijving": _text(zt.get("omschrijving"), 500), "doel": _text(zt.get("doel"), 100000),
                "doorlooptijd": _text(zt.get("doorlooptijd"), 40), "servicenorm": _text(zt.get("servicenorm"), 40),
                "vertrouwelijkheidaanduiding": _text(zt.get("vertrouwelijkheidaanduiding"), 40),
                "selectielijst_procestype": _text(zt.get("selectielijstProcestype"), 500),
                "producten_of_diensten": list(zt.get("productenOfDiensten") or []),
                "upl_uri": _upl(zt.get("productenOfDiensten")), "details": details, "content_hash": content_hash,
            }
            if current is None:
                current = ZaakType.objects.create(partner=partner, identificatie=ident, versie=versie, **values)
                result.added += 1
            else:
                values["upl_uri"] = values["upl_uri"] or current.upl_uri  # keep a link made in Harmonie
                for name, value in values.items():
                    setattr(current, name, value)
                current.save()
                current.statustypen.all().delete()
                current.resultaattypen.all().delete()
                result.changed += 1
            StatusType.objects.bulk_create([
                StatusType(zaaktype=current, volgnummer=int(st["volgnummer"]),
                           omschrijving=_text(st.get("omschrijving"), 300),
                           omschrijving_generiek=_text(st.get("omschrijvingGeneriek"), 300), details=st)
                for st in item["statustypen"]])
            ResultaatType.objects.bulk_create([
                ResultaatType(zaaktype=current, omschrijving=_text(rt.get("omschrijving"), 300),
                              resultaattypeomschrijving=_text(rt.get("resultaattypeomschrijving"), 500),
                              selectielijstklasse=_text(rt.get("selectielijstklasse"), 500),
                              archiefnominatie=_text(rt.get("archiefnominatie"), 40),
                              archiefactietermijn=_text(rt.get("archiefactietermijn"), 40), details=rt)
                for rt in item["resultaattypen"]])
            progress.update(done=done)
        if result.added or result.changed:
            record_import(user, workspace, object_type=OBJECT_TYPE, file_name=catalogue.source_name[:300],
                          file_sha256=catalogue.file_sha256 or hashlib.sha256(
                              _canonical(catalogue.zaaktypen).encode()).hexdigest(),
                          added=result.added, changed=result.changed, removed=0,
                          object_repr=f"zaaktypen {partner.name}")
    progress.update(message=result.summary, force=True)
    return result


def _parse(data: bytes, file_name: str, source: str) -> openzaak.Catalogue:
    max_bytes = int(getattr(settings, "HARMONIE_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))
    if len(data) > max_bytes:
        raise BadInput(_("Bestand '%(f)s' is te groot (%(n)s bytes; maximaal %(m)s bytes).")
                       % {"f": file_name, "n": len(data), "m": max_bytes})
    if source == DefinitionSource.OPENZAAK_ZIP:
        return openzaak.parse_zip(data, file_name)
    if source == DefinitionSource.INAVIGATOR:
        return inavigator.parse(data, file_name)
    raise BadInput(_("Onbekende bron '%(s)s' voor zaaktypen.") % {"s": source})


def import_definitions(user, workspace: Workspace, partner: Partner, data: bytes, file_name: str, source: str, *,
                       progress: Progress | None = None) -> ZaakTypeImportResult:
    """Import an Open Zaak export ZIP or an i-Navigator XML for ``partner``: all or nothing, idempotent."""
    progress = progress or Progress()
    if partner.workspace_id != workspace.pk:
        raise BadInput(_("Deze partner hoort niet bij dit samenwerkingsverband."))
    _check_edit(user, partner)
    progress.update(message=_("%(p)s: bestand lezen") % {"p": partner.name}, force=True)
    catalogue = _parse(data, file_name, source)
    result = _store(user, workspace, partner, catalogue, source, progress)
    suggest_zaaktype_correspondences(None, workspace)
    return result


def _job_user(user_id):
    if not user_id:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=user_id).first()


def start_definition_import(user, workspace: Workspace, partner: Partner, data: bytes, file_name: str, source: str):
    """Store the upload and start the import job (web UI, API)."""
    if partner.workspace_id != workspace.pk:
        raise BadInput(_("Deze partner hoort niet bij dit samenwerkingsverband."))
    _check_edit(user, partner)
    if source not in (DefinitionSource.OPENZAAK_ZIP, DefinitionSource.INAVIGATOR):
        raise BadInput(_("Onbekende bron '%(s)s' voor zaaktypen.") % {"s": source})
    if not data:
        raise BadInput(_("Bestand '%(f)s' is leeg.") % {"f": file_name})
    with transaction.atomic():
        upload = DefinitionUpload.objects.create(
            workspace=workspace, partner=partner, source=source, file_name=file_name[:300], content=data,
            uploaded_by=user if getattr(user, "is_authenticated", False) else None)
        return start_job(ZAAKTYPE_IMPORT_JOB, label=_("Zaaktypen %(p)s (%(f)s)") % {"p": partner.name, "f": file_name},
                         params={"upload_id": upload.pk, "user_id": getattr(user, "pk", None)},
                         workspace=workspace, user=user)


@register_job(ZAAKTYPE_IMPORT_JOB)
def definition_import_job(progress, upload_id, user_id=None) -> dict:
    upload = DefinitionUpload.objects.select_related("workspace", "partner").filter(pk=upload_id).first()
    if upload is None:
        raise BadInput(_("Het geüploade bestand is niet meer aanwezig; upload het opnieuw."))
    try:
        with transaction.atomic():
            result = import_definitions(_job_user(user_id), upload.workspace, upload.partner, bytes(upload.content),
                                        upload.file_name, upload.source, progress=progress)
    finally:
        DefinitionUpload.objects.filter(pk=upload_id).delete()
    from django.urls import reverse

    return {**result.as_dict(), "url": reverse("processes:zaaktypen", args=[upload.workspace.slug]),
            "url_label": _("Naar de zaaktypen")}


# --- ZGW Catalogi API -----------------------------------------------------------------------------


def _require_https(url: str):
    """In production the token (signed with the secret) only travels over TLS."""
    if getattr(settings, "PRODUCTION", False) and not (url or "").lower().startswith("https://"):
        raise BadInput(_("Gebruik een https-adres voor de Catalogi API ('%(url)s'): het token mag niet onversleuteld "
                         "over het netwerk.") % {"url": url})


def save_zgw_connection(user, partner: Partner, *, base_url: str, client_id: str, secret_env: str,
                        catalogus_url: str = "") -> ZgwConnection:
    """Store where and how to reach the partner's Catalogi API. The secret itself is never stored."""
    _check_edit(user, partner)
    _require_https(base_url)
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,99}", secret_env or ""):
        raise BadInput(_("'%(v)s' is geen geldige naam van een omgevingsvariabele (letters, cijfers en _).")
                       % {"v": secret_env})
    with transaction.atomic():
        before = ZgwConnection.objects.filter(partner=partner).first()
        connection, created = ZgwConnection.objects.update_or_create(
            partner=partner, defaults={"base_url": base_url, "client_id": client_id, "secret_env": secret_env,
                                       "catalogus_url": catalogus_url})
        record_change(user, partner.workspace, AuditAction.CREATE if created else AuditAction.UPDATE, connection,
                      before={"base_url": before.base_url, "client_id": before.client_id,
                              "secret_env": before.secret_env} if before else None,
                      after={"base_url": base_url, "client_id": client_id, "secret_env": secret_env,
                             "catalogus_url": catalogus_url})
    return connection


def fetch_zgw(user, workspace: Workspace, partner: Partner, *, progress: Progress | None = None,
              environ=None) -> ZaakTypeImportResult:
    progress = progress or Progress()
    _check_edit(user, partner)
    connection = ZgwConnection.objects.filter(partner=partner).first()
    if connection is None:
        raise BadInput(_("%(p)s heeft nog geen ZGW-koppeling; vul eerst het adres, de client-id en de naam van de "
                         "omgevingsvariabele in.") % {"p": partner.name})
    _require_https(connection.base_url)
    environ = os.environ if environ is None else environ
    secret = environ.get(connection.secret_env, "")
    if not secret:
        raise BadInput(_("De omgevingsvariabele %(env)s met het geheim van de ZGW-koppeling van %(p)s is niet gezet "
                         "op de server (en de taakverwerker).") % {"env": connection.secret_env, "p": partner.name})
    who = getattr(user, "username", "") or "harmonie"
    client = zgw.ZgwClient(connection.base_url, connection.client_id, secret, user_id=who[:255],
                           user_representation=(getattr(user, "get_full_name", lambda: "")() or who)[:255])
    catalogue = client.fetch_catalogue(connection.catalogus_url, progress=progress)
    result = _store(user, workspace, partner, catalogue, DefinitionSource.ZGW_API, progress)
    suggest_zaaktype_correspondences(None, workspace)
    return result


def start_zgw_fetch(user, workspace: Workspace, partner: Partner):
    _check_edit(user, partner)
    if not ZgwConnection.objects.filter(partner=partner).exists():
        raise BadInput(_("%(p)s heeft nog geen ZGW-koppeling.") % {"p": partner.name})
    return start_job(ZAAKTYPE_FETCH_JOB,
                     label=_("Zaaktypen ophalen uit de Catalogi API van %(p)s") % {"p": partner.name},
                     params={"partner_id": partner.pk, "user_id": getattr(user, "pk", None)}, workspace=workspace,
                     user=user)


@register_job(ZAAKTYPE_FETCH_JOB)
def zgw_fetch_job(progress, partner_id, user_id=None) -> dict:
    partner = Partner.objects.select_related("workspace").filter(pk=partner_id).first()
    if partner is None:
        raise BadInput(_("Deze partner bestaat niet meer."))
    with transaction.atomic():
        result = fetch_zgw(_job_user(user_id), partner.workspace, partner, progress=progress)
    return result.as_dict()


# --- matching and comparison ----------------------------------------------------------------------


def zaaktypen_of(workspace: Workspace, partner: Partner | None = None):
    qs = ZaakType.objects.filter(workspace=workspace).select_related("partner").prefetch_related(
        "statustypen", "resultaattypen")
    if partner is not None:
        qs = qs.filter(partner=partner)
    return qs.order_by("partner__name", "omschrijving", "-versie")


def _latest(zaaktypen) -> list[ZaakType]:
    """Per partner and identificatie the newest version."""
    best: dict[tuple, ZaakType] = {}
    for zt in zaaktypen:
        key = (zt.partner_id, zt.identificatie)
        if key not in best or (zt.versie or "") > (best[key].versie or ""):
            best[key] = zt
    return list(best.values())


def zaaktype_info(zt: ZaakType) -> analysis.ZaakTypeInfo:
    api = (zt.details or {}).get("zaaktype", {})
    products = tuple(p for p in [*(zt.producten_of_diensten or []), zt.upl_uri] if p)
    return analysis.ZaakTypeInfo(
        partner=zt.partner.name, key=zt.identificatie, label=zt.omschrijving,
        other_labels=tuple(x for x in (api.get("omschrijvingGeneriek"), api.get("onderwerp")) if x),
        procestype=zt.selectielijst_procestype, products=products, doorlooptijd=zt.doorlooptijd,
        servicenorm=zt.servicenorm, vertrouwelijkheid=zt.vertrouwelijkheidaanduiding,
        statustypen=tuple(analysis.StatusInfo(s.volgnummer, s.omschrijving) for s in zt.statustypen.all()),
        resultaattypen=tuple(analysis.ResultInfo(r.omschrijving, r.selectielijstklasse, r.archiefnominatie,
                                                 r.archiefactietermijn) for r in zt.resultaattypen.all()),
    )


def suggest_zaaktype_correspondences(user, workspace: Workspace, threshold: float = 0.6) -> int:
    """(Re)compute the suggestions; confirmed and rejected correspondences are kept as people decided."""
    if user is not None and not can_manage(user, workspace):
        raise NotAllowed(_("Alleen de coördinator mag de voorstellen opnieuw laten berekenen."))
    latest = _latest(zaaktypen_of(workspace))
    by_key = {(zt.partner.name, zt.identificatie): zt for zt in latest}
    matches = analysis.match_zaaktypen([zaaktype_info(zt) for zt in latest], threshold)
    with transaction.atomic():
        decided = Correspondence.objects.filter(workspace=workspace, kind=CorrespondenceKind.ZAAKTYPE).exclude(
            status=CorrespondenceStatus.SUGGESTED)
        decided_keys = {(c.a_partner_id, c.a_key, c.b_partner_id, c.b_key) for c in decided}
        Correspondence.objects.filter(workspace=workspace, kind=CorrespondenceKind.ZAAKTYPE,
                                      status=CorrespondenceStatus.SUGGESTED).delete()
        created = 0
        for match in matches:
            a, b = by_key[(match.a.partner, match.a.key)], by_key[(match.b.partner, match.b.key)]
            keys = (a.partner_id, a.identificatie, b.partner_id, b.identificatie)
            if keys in decided_keys or (keys[2], keys[3], keys[0], keys[1]) in decided_keys:
                continue
            Correspondence.objects.create(workspace=workspace, kind=CorrespondenceKind.ZAAKTYPE, a_partner=a.partner,
                                          a_key=a.identificatie, a_label=a.omschrijving[:500], b_partner=b.partner,
                                          b_key=b.identificatie, b_label=b.omschrijving[:500], score=match.score)
            created += 1
    return created


def can_decide_zaaktype_correspondence(user, correspondence: Correspondence) -> bool:
    """The coördinator, or a bijdrager of one of the two partners, confirms or rejects a correspondence."""
    return (can_manage(user, correspondence.workspace) or can_edit_partner(user, correspondence.a_partner)
            or can_edit_partner(user, correspondence.b_partner))


def decide_zaaktype_correspondence(user, correspondence: Correspondence, status: str) -> Correspondence:
    if status not in (CorrespondenceStatus.CONFIRMED, CorrespondenceStatus.REJECTED, CorrespondenceStatus.SUGGESTED):
        raise BadInput(_("Onbekende status '%(s)s'.") % {"s": status})
    if user is not None and not can_decide_zaaktype_correspondence(user, correspondence):
        raise NotAllowed(_("Alleen de coördinator of een bijdrager van een van beide gemeenten mag dit beslissen."))
    before = {"status": correspondence.status}
    with transaction.atomic():
        correspondence.status = status
        correspondence.confirmed_by = user if getattr(user, "is_authenticated", False) else None
        correspondence.save(update_fields=["status", "confirmed_by", "updated_at"])
        record_change(user, correspondence.workspace, AuditAction.UPDATE, correspondence, before=before,
                      after={"status": status, "a": f"{correspondence.a_label} ({correspondence.a_partner.name})",
                             "b": f"{correspondence.b_label} ({correspondence.b_partner.name})"})
    return correspondence


def _pair(correspondence: Correspondence) -> tuple[ZaakType | None, ZaakType | None]:
    def latest(partner, key):
        versions = list(ZaakType.objects.filter(partner=partner, identificatie=key).prefetch_related(
            "statustypen", "resultaattypen").select_related("partner"))
        return max(versions, key=lambda z: z.versie or "") if versions else None

    return latest(correspondence.a_partner, correspondence.a_key), latest(correspondence.b_partner,
                                                                           correspondence.b_key)


def zaaktype_comparisons(workspace: Workspace, include_rejected: bool = False):
    """Per zaaktype correspondence: ``(correspondence, comparison | None)`` (None when a side is gone); the
    comparison carries ``reasons`` (why the pair scores as it does, recomputed now)."""
    qs = Correspondence.objects.filter(workspace=workspace, kind=CorrespondenceKind.ZAAKTYPE).select_related(
        "a_partner", "b_partner")
    if not include_rejected:
        qs = qs.exclude(status=CorrespondenceStatus.REJECTED)
    out = []
    for corr in qs.order_by("-status", "-score"):
        a, b = _pair(corr)
        comparison = None
        if a and b:
            info_a, info_b = zaaktype_info(a), zaaktype_info(b)
            comparison = analysis.compare(info_a, info_b)
            comparison.reasons = analysis.zaaktype_score(info_a, info_b)[1]
        out.append((corr, comparison))
    return out


# --- harmonised zaaktype and Open Zaak export ----------------------------------------------------------


def _uuid(*parts) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "harmonie:" + "|".join(str(p) for p in parts)))


def _slug(text: str, limit: int = 50) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (text or "").casefold()).strip("-")
    return (slug or "zaaktype")[:limit].rstrip("-")


def _most_common(values):
    values = [v for v in values if v]
    return max(sorted(set(values)), key=values.count) if values else ""


def _api(zt: ZaakType) -> dict:
    return (zt.details or {}).get("zaaktype", {})


def _bundle_list(zt: ZaakType, key: str) -> list[dict]:
    return list((zt.details or {}).get(key) or [])


# A statustype is a milestone a citizen can follow, not every work step: a reference process with more core
# steps than this gets the first step, the last step and evenly spaced core steps in between as statustypen.
MAX_STATUSTYPEN = 8


def milestones(steps: list, limit: int = MAX_STATUSTYPEN) -> list:
    """``steps`` when at most ``limit``; else the first, the last and evenly spaced ones in between, in order."""
    if len(steps) <= limit or limit < 2:
        return list(steps)
    n = len(steps)
    picks = sorted({round(i * (n - 1) / (limit - 1)) for i in range(limit)})
    return [steps[i] for i in picks]


def harmonised_zaaktype(reference_process_model: dict, base_zaaktypen: list[ZaakType], *,
                        overrides: dict | None = None, index: SelectielijstIndex | None = None,
                        labels: dict | None = None, samenwerkingsverband: str = "") -> dict:
    """One harmonised zaaktype bundle in Catalogi API representation (see the module docstring).

    The texts are neutral: ``doel`` and ``toelichting`` name the samenwerkingsverband and the partners, never one
    partner's own text. ``labels`` (activity code → display name, from the event logs) name the statustypen;
    at most ``MAX_STATUSTYPEN`` milestones (see ``milestones``)."""
    model = reference_process_model or {}
    bases = [zt for zt in base_zaaktypen if zt is not None]
    labels = labels or {}
    index = index if index is not None else selectielijst_index()
    name = str(model.get("name") or (bases[0].omschrijving if bases else "") or "").strip()
    if not name:
        raise BadInput(_("Het geharmoniseerde zaaktype heeft geen naam: geef het referentieproces een naam of kies "
                         "zaaktypen om op te baseren."))
    zt_uuid = _uuid("zaaktype", name)
    zt_url = f"{EXPORT_BASE}zaaktypen/{zt_uuid}"
    catalogus_url = f"{EXPORT_BASE}catalogussen/{_uuid('catalogus', 'harmonie')}"
    apis = [_api(zt) for zt in bases]

    # Selectielijst procestype: most common valid one.
    candidates = [zt.selectielijst_procestype for zt in bases if zt.selectielijst_procestype]
    if index.loaded:
        valid = [c for c in candidates if c in index.procestypen]
        procestype = _most_common(valid)
        if not procestype:
            raise BadInput(_("Geen van de zaaktypen waarop '%(n)s' is gebaseerd heeft een Selectielijst-procestype "
                             "dat in de geladen Selectielijst staat; leg het procestype eerst vast.") % {"n": name})
    else:
        procestype = _most_common([c for c in candidates if SELECTIELIJST_URL.match(c)])
    doorlooptijden = [(analysis.duration_days(zt.doorlooptijd), zt.doorlooptijd) for zt in bases]
    doorlooptijden = [d for d in doorlooptijden if d[0] is not None]
    doorlooptijd = min(doorlooptijden)[1] if doorlooptijden else "P56D"
    normen = sorted((analysis.duration_days(zt.servicenorm), zt.servicenorm) for zt in bases
                    if analysis.duration_days(zt.servicenorm) is not None)
    servicenorm = normen[(len(normen) - 1) // 2][1] if normen else None
    levels = [zt.vertrouwelijkheidaanduiding for zt in bases if zt.vertrouwelijkheidaanduiding in
              VERTROUWELIJKHEID_ORDER]
    vertrouwelijkheid = max(levels, key=VERTROUWELIJKHEID_ORDER.index) if levels else "zaakvertrouwelijk"
    verlenging = [a.get("verlengingstermijn") for a in apis if a.get("verlengingMogelijk") and
                  a.get("verlengingstermijn")]
    products = sorted({p for zt in bases for p in [*(zt.producten_of_diensten or []), zt.upl_uri] if p})
    first = apis[0] if apis else {}

    def pick(key, default, limit=None):
        value = _most_common([str(a.get(key) or "") for a in apis]) or default
        return value[:limit] if limit else value

    today = date.today().isoformat()
    sv = (samenwerkingsverband or (bases[0].workspace.name if bases else "")
          or str(_("het samenwerkingsverband"))).strip()
    partner_names = sorted({zt.partner.name for zt in bases if zt.partner_id}) or sorted(model.get("partners") or [])
    zaaktype = {
        "url": zt_url,
        "identificatie": _slug(name),
        "omschrijving": name[:80],
        "omschrijvingGeneriek": name[:80],
        "vertrouwelijkheidaanduiding": vertrouwelijkheid,
        "doel": _("Afhandelen van ‘%(name)s’ volgens het gezamenlijke referentieproces van samenwerkingsverband "
                  "%(sv)s.") % {"name": name, "sv": sv},
        "aanleiding": _("Een verzoek of aanvraag van een inwoner of bedrijf."),
        "toelichting": _("Geharmoniseerd zaaktype van samenwerkingsverband %(sv)s, opgesteld in Harmonie op basis "
                         "van het werkproces van: %(p)s.") % {"sv": sv, "p": ", ".join(partner_names) or "-"},
        "indicatieInternOfExtern": pick("indicatieInternOfExtern", "extern")
        if pick("indicatieInternOfExtern", "extern") in ("intern", "extern") else "extern",
        "handelingInitiator": pick("handelingInitiator", "Aanvragen", 20) or "Aanvragen",
        "onderwerp": pick("onderwerp", name, 80) or name[:80],
        "handelingBehandelaar": pick("handelingBehandelaar", "Behandelen", 20) or "Behandelen",
        "doorlooptijd": doorlooptijd,
        "servicenorm": servicenorm,
        "opschortingEnAanhoudingMogelijk": any(a.get("opschortingEnAanhoudingMogelijk") for a in apis),
        "verlengingMogelijk": bool(verlenging),
        "verlengingstermijn": (min(verlenging, key=lambda v: analysis.duration_days(v) or 0) if verlenging else None),
        "trefwoorden": [],
        "publicatieIndicatie": bool(first.get("publicatieIndicatie", False)),
        "publicatietekst": "",
        "verantwoordingsrelatie": [],
        "productenOfDiensten": products,
        "referentieproces": {"naam": (model.get("name") or name)[:80]},
        "verantwoordelijke": (pick("verantwoordelijke", "", 50)
                              or (bases[0].workspace.name[:50] if bases else "Samenwerkingsverband")),
        "catalogus": catalogus_url,
        "besluittypen": [],
        "deelzaaktypen": [],
        "zaakobjecttypen": [],
        "gerelateerdeZaaktypen": [],
        "beginGeldigheid": today,
        "eindeGeldigheid": None,
        "versiedatum": today,
    }
    if procestype:
        zaaktype["selectielijstProcestype"] = procestype
    for key, value in (overrides or {}).items():
        if key in schemas.schema()["definitions"]["ZaakType"]["properties"] and key not in ("url", "catalogus"):
            zaaktype[key] = value

    # Statustypen: the reference process's steps, else the aligned statustypen of the bases.
    steps = [str(s.get("label") or "").strip() for s in model.get("steps") or [] if isinstance(s, dict)]
    steps = [s for s in steps if s]
    if not steps and bases:
        rows = analysis.align_statustypen(*(tuple(analysis.StatusInfo(s.volgnummer, s.omschrijving)
                                                  for s in zt.statustypen.all()) for zt in bases[:2])) \
            if len(bases) >= 2 else [(analysis.StatusInfo(s.volgnummer, s.omschrijving), None, 1.0)
                                     for s in bases[0].statustypen.all()]
        steps = [(x or y).label for x, y, _s in rows]
    if not steps:
        steps = [_("Ontvangen"), _("In behandeling"), _("Afgehandeld")]
    seen, unique_steps = set(), []
    for label in milestones(steps):
        label = str(labels.get(label) or label).strip()
        if label.casefold() not in seen:
            seen.add(label.casefold())
            unique_steps.append(label)
    statustypen = [{"url": f"{EXPORT_BASE}statustypen/{_uuid('statustype', name, n, label)}",
                    "omschrijving": label[:80], "omschrijvingGeneriek": label[:80], "statustekst": "",
                    "zaaktype": zt_url, "volgnummer": n, "informeren": False}
                   for n, label in enumerate(unique_steps, start=1)]

    # Resultaattypen: union by label; each with a Selectielijst class of the procestype.
    base_results = []
    for zt in bases:
        for rt in zt.resultaattypen.all():
            if not any(analysis.label_similarity(rt.omschrijving, other.omschrijving, generic=False) >= 0.8
                       for other in base_results):
                base_results.append(rt)
    of_procestype = index.resultaten_of(procestype) if index.loaded and procestype else []
    if not base_results and of_procestype:
        base_results = [ResultaatType(omschrijving=r.get("naam", "")[:20], selectielijstklasse=r["url"])
                        for r in of_procestype if str(r.get("volledigNummer", "")).count(".") == 1]
    resultaattypen = []
    for rt in base_results:
        klasse = rt.selectielijstklasse
        if index.loaded:
            if klasse not in index.resultaten or index.resultaten[klasse].get("procesType") != procestype:
                best = max(of_procestype, default=None, key=lambda r: (
                    analysis.label_similarity(rt.omschrijving, r.get("naam", ""), generic=False),
                    -str(r.get("volledigNummer", "")).count(".")))
                if best is None:
                    raise BadInput(_("Voor resultaattype '%(rt)s' is geen Selectielijstklasse van het procestype te "
                                     "vinden.") % {"rt": rt.omschrijving})
                klasse = best["url"]
            selectie = index.resultaten[klasse]
            generic = (index.omschrijving_by_label(rt.omschrijving) or index.omschrijving_by_label(
                selectie.get("naam", "")) or {}).get("url") or rt.resultaattypeomschrijving
            if generic not in index.omschrijvingen:
                generic = (index.omschrijving_by_label("Afgehandeld") or {}).get("url", generic)
            nominatie = "blijvend_bewaren" if selectie.get("waardering") == "blijvend_bewaren" else "vernietigen"
            termijn = selectie.get("bewaartermijn") or None
        else:
            generic = rt.resultaattypeomschrijving
            nominatie = rt.archiefnominatie if rt.archiefnominatie in ("blijvend_bewaren", "vernietigen") \
                else "vernietigen"
            termijn = rt.archiefactietermijn or None
        if not klasse or not generic:
            raise BadInput(_("Resultaattype '%(rt)s' mist een Selectielijstklasse of generieke omschrijving; laad de "
                             "Selectielijst (Referentiedata) of vul ze aan in de bron.") % {"rt": rt.omschrijving})
        label = rt.omschrijving[:20]
        resultaattypen.append({
            "url": f"{EXPORT_BASE}resultaattypen/{_uuid('resultaattype', name, label)}", "zaaktype": zt_url,
            "omschrijving": label, "resultaattypeomschrijving": generic, "selectielijstklasse": klasse,
            "toelichting": "", "archiefnominatie": nominatie,
            "archiefactietermijn": termijn if nominatie == "vernietigen" else None,
            "brondatumArchiefprocedure": {"afleidingswijze": "afgehandeld", "datumkenmerk": "",
                                          "einddatumBekend": False, "registratie": "", "procestermijn": None},
        })

    # Roltypen: union by generic role, at least initiator and behandelaar.
    roles: dict[str, str] = {}
    for zt in bases:
        for rol in _bundle_list(zt, "roltypen"):
            generic = rol.get("omschrijvingGeneriek")
            if generic in schemas.schema()["definitions"]["RolType"]["properties"]["omschrijvingGeneriek"]["enum"]:
                roles.setdefault(generic, str(rol.get("omschrijving") or generic.capitalize())[:100])
    roles.setdefault("initiator", "Initiator")
    roles.setdefault("behandelaar", "Behandelaar")
    roltypen = [{"url": f"{EXPORT_BASE}roltypen/{_uuid('roltype', name, generic)}", "zaaktype": zt_url,
                 "omschrijving": label, "omschrijvingGeneriek": generic} for generic, label in sorted(roles.items())]

    # Informatieobjecttypen: union by omschrijving.
    iots, links = {}, []
    for zt in bases:
        by_url = {i.get("url"): i for i in _bundle_list(zt, "informatieobjecttypen")}
        for link in _bundle_list(zt, "zaaktypeinformatieobjecttypen"):
            iot = by_url.get(link.get("informatieobjecttype"))
            if not iot or not iot.get("omschrijving"):
                continue
            label = str(iot["omschrijving"])[:80]
            if label.casefold() in iots:
                continue
            url = f"{EXPORT_BASE}informatieobjecttypen/{_uuid('iot', label)}"
            level = iot.get("vertrouwelijkheidaanduiding")
            iots[label.casefold()] = {"url": url, "catalogus": catalogus_url, "omschrijving": label,
                                      "vertrouwelijkheidaanduiding": level if level in VERTROUWELIJKHEID_ORDER
                                      else "zaakvertrouwelijk", "informatieobjectcategorie": label[:80],
                                      "beginGeldigheid": today, "eindeGeldigheid": None}
            links.append({"url": f"{EXPORT_BASE}zaaktype-informatieobjecttypen/{_uuid('ztiot', name, label)}",
                          "zaaktype": zt_url, "informatieobjecttype": url, "volgnummer": len(links) + 1,
                          "richting": link.get("richting") if link.get("richting") in ("inkomend", "intern",
                                                                                       "uitgaand") else "intern",
                          "statustype": None})
    return {"zaaktype": zaaktype, "statustypen": statustypen, "resultaattypen": resultaattypen,
            "roltypen": roltypen, "eigenschappen": [], "informatieobjecttypen": list(iots.values()),
            "besluittypen": [], "zaaktypeinformatieobjecttypen": links}


def _catalogus(bundles: list[dict]) -> dict:
    url = (bundles[0]["zaaktype"]["catalogus"] if bundles
           else f"{EXPORT_BASE}catalogussen/{_uuid('catalogus', 'harmonie')}")
    return {"url": url, "naam": "Harmonie", "domein": "HARM", "rsin": "000000000",
            "contactpersoonBeheerNaam": "Harmonie", "contactpersoonBeheerTelefoonnummer": "",
            "contactpersoonBeheerEmailadres": "", "versie": "", "begindatumVersie": None}


def export_openzaak_zip(bundles: list[dict]) -> bytes:
    """Write zaaktype bundles as an Open Zaak import ZIP, after checking every object against the Catalogi API
    component schemas (``BadInput`` lists the problems)."""
    if not bundles:
        raise BadInput(_("Er is geen zaaktype om te exporteren."))
    resources: dict[str, list[dict]] = {res: [] for res in openzaak.FILES}
    resources["Catalogus"].append(_catalogus(bundles))
    iot_seen = set()
    for bundle in bundles:
        zt = dict(bundle["zaaktype"])
        zt["statustypen"] = [s["url"] for s in bundle["statustypen"]]
        zt["resultaattypen"] = [r["url"] for r in bundle["resultaattypen"]]
        zt["roltypen"] = [r["url"] for r in bundle["roltypen"]]
        zt["eigenschappen"] = [e["url"] for e in bundle["eigenschappen"]]
        zt["informatieobjecttypen"] = [i["url"] for i in bundle["informatieobjecttypen"]]
        zt["besluittypen"] = [b["url"] for b in bundle["besluittypen"]]
        zt["concept"] = True
        resources["ZaakType"].append(zt)
        for res, key in (("StatusType", "statustypen"), ("ResultaatType", "resultaattypen"),
                         ("RolType", "roltypen"), ("Eigenschap", "eigenschappen"),
                         ("ZaakTypeInformatieObjectType", "zaaktypeinformatieobjecttypen"),
                         ("BesluitType", "besluittypen")):
            resources[res].extend(bundle[key])
        for iot in bundle["informatieobjecttypen"]:
            if iot["url"] not in iot_seen:
                iot_seen.add(iot["url"])
                resources["InformatieObjectType"].append(iot)
    statustypen = resources["StatusType"]
    if statustypen:
        last = {}
        for st in statustypen:
            if st["zaaktype"] not in last or st["volgnummer"] > last[st["zaaktype"]]["volgnummer"]:
                last[st["zaaktype"]] = st
        for st in statustypen:
            st["isEindstatus"] = st is last[st["zaaktype"]]
    problems = []
    for res, items in resources.items():
        for number, item in enumerate(items, start=1):
            problems += [f"{openzaak.FILES[res]}, item {number}: {p}" for p in schemas.validate(res, item)]
    if problems:
        raise BadInput(_("De export voldoet niet aan de Catalogi API: %(p)s") % {"p": "; ".join(problems[:10])})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for res, file_name in openzaak.FILES.items():
            info = zipfile.ZipInfo(file_name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, json.dumps(resources[res], ensure_ascii=False, indent=2))
    return buffer.getvalue()


def _reference_bases(reference: ReferenceProcess) -> list[ZaakType]:
    """The zaaktypen the harmonised zaaktype is based on: of the partners the reference process was built from
    (``model["partners"]``; all partners when it does not say), linked by UPL or else by similar name."""
    zaaktypen = _latest(zaaktypen_of(reference.workspace))
    built_from = set((reference.model or {}).get("partners") or [])
    if built_from:
        zaaktypen = [zt for zt in zaaktypen if zt.partner.name in built_from]
    if reference.upl_uri:
        linked = [zt for zt in zaaktypen if reference.upl_uri in (zt.upl_uri, *(zt.producten_of_diensten or []))]
        if linked:
            return linked
    scored = [(analysis.label_similarity(reference.name, zt.omschrijving), zt) for zt in zaaktypen]
    return [zt for score, zt in sorted(scored, key=lambda x: -x[0]) if score >= 0.5]


def reference_openzaak_zip(reference: ReferenceProcess) -> tuple[bytes, str]:
    """The reference process as a harmonised zaaktype in an Open Zaak import ZIP (bytes, file name)."""
    model = dict(reference.model or {})
    model.setdefault("name", reference.name)
    from .logs import activity_labels

    bundle = harmonised_zaaktype(model, _reference_bases(reference), overrides=reference.zaaktype or None,
                                 labels=activity_labels(reference.workspace),
                                 samenwerkingsverband=reference.workspace.name)
    return export_openzaak_zip([bundle]), f"zaaktype-{_slug(reference.name)}.zip"


def openzaak_todo(reference: ReferenceProcess) -> list[dict]:
    """Fields of the Open Zaak ZIP that Harmonie cannot know and fills with a placeholder: the coördinator must
    set them (in Open Zaak, or in the ZIP) before the import. ``[{"field", "value", "why"}]``."""
    catalogus = _catalogus([])
    overrides = reference.zaaktype or {}
    todo = [
        {"field": "Catalogus RSIN", "value": catalogus["rsin"],
         "why": _("het RSIN van de organisatie die de catalogus beheert (9 cijfers); 000000000 is een plaatshouder")},
        {"field": "Catalogus domein", "value": catalogus["domein"],
         "why": _("de afkorting (max. 5 tekens) van het domein van de catalogus in uw Open Zaak")},
    ]
    if not overrides.get("verantwoordelijke"):
        todo.append({"field": "Verantwoordelijke", "value": reference.workspace.name[:50],
                     "why": _("de organisatie(eenheid) die verantwoordelijk is voor de zaken van dit type")})
    return todo


def pair_openzaak_zip(correspondence: Correspondence) -> tuple[bytes, str]:
    """A harmonised zaaktype from the two zaaktypen of a (confirmed or suggested) correspondence."""
    if correspondence.kind != CorrespondenceKind.ZAAKTYPE:
        raise BadInput(_("Dit is geen overeenkomst tussen zaaktypen."))
    a, b = _pair(correspondence)
    if a is None or b is None:
        raise BadInput(_("Een van beide zaaktypen bestaat niet meer."))
    bundle = harmonised_zaaktype({"name": a.omschrijving}, [a, b])
    return export_openzaak_zip([bundle]), f"zaaktype-{_slug(a.omschrijving)}.zip"
