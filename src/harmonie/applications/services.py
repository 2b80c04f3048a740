"""The one entry point of the Applicaties layer: views, API, CLI, jobs and the demo call only this.

Flow: import (CSV/XLSX/AMEFF) → normalise (dates, costs, GEMMA names/Object IDs)
→ store (atomic, idempotent, per partner) → analyse (``analysis``: overlap,
common contract window, TIME) → show / export (XLSX, AMEFF, JSON).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from harmonie.core.audit import record_import
from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.jobs import Progress, register_job, start_job
from harmonie.core.models import Partner, Workspace
from harmonie.core.permissions import can_edit_partner, can_manage
from harmonie.core.spreadsheet import safe_cell

from . import importers
from .analysis import mapping as mapping_analysis
from .analysis import overlap as overlap_analysis
from .analysis import time as time_analysis
from .analysis.archimate import Model, ModelElement, ModelRelation
from .exchange import write_model
from .models import Application, ComponentMapping, Consolidation, MappingStatus, PortfolioUpload

JOB_KIND = "applications.import"
OBJECT_TYPE = "applications.portfolio"
CONTRACT_COLUMNS = ("partner", "application", "referentiecomponent")


# --- GEMMA referentiecomponenten ----------------------------------------------------


@dataclass(frozen=True)
class ComponentRef:
    object_id: str
    name: str
    identifier: str = ""
    documentation: str = ""


def _key(text) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


class ComponentIndex:
    """Resolve a referentiecomponent by GEMMA name (case and spacing ignored), Object ID or identifier."""

    def __init__(self, components: list[ComponentRef]):
        self.components = sorted(components, key=lambda c: c.name.casefold())
        self._lookup: dict[str, ComponentRef] = {}
        for comp in self.components:
            for key in (comp.object_id, comp.identifier, comp.identifier.removeprefix("id-")):
                if key:
                    self._lookup.setdefault(_key(key), comp)
        for comp in self.components:  # names last: an id always wins
            self._lookup.setdefault(_key(comp.name), comp)

    def resolve(self, text) -> ComponentRef | None:
        key = _key(text)
        if not key:
            return None
        return self._lookup.get(key) or self._lookup.get(key.removeprefix("id-"))

    def __contains__(self, text) -> bool:
        return self.resolve(text) is not None

    def __len__(self):
        return len(self.components)


def component_index() -> ComponentIndex:
    from harmonie.reference.services import gemma_referentiecomponenten

    return ComponentIndex([ComponentRef(e.object_id, e.name, e.identifier, e.documentation)
                           for e in gemma_referentiecomponenten()])


def _gemma_version():
    from harmonie.reference.services import _current_or_excerpt

    return _current_or_excerpt("gemma")


def component_support(object_ids) -> dict[str, dict[str, list[str]]]:
    """Traceability via GEMMA: per referentiecomponent (Object ID) the application services it realises and
    the business processes and functions those services (or the component itself) serve."""
    from harmonie.reference.models import GemmaElement, GemmaRelation

    version = _gemma_version()
    object_ids = set(object_ids)
    if version is None or not object_ids:
        return {}
    components = {e.identifier: e.object_id for e in GemmaElement.objects.filter(
        version=version, object_id__in=object_ids, type="ApplicationComponent")}
    realises = list(GemmaRelation.objects.filter(version=version, source__in=components, type="Realization")
                    .values_list("source", "target"))
    service_ids = {t for _s, t in realises}
    serving = list(GemmaRelation.objects.filter(version=version, type="Serving",
                                                source__in=service_ids | set(components))
                   .values_list("source", "target"))
    names = dict(GemmaElement.objects.filter(
        version=version, identifier__in=service_ids | {t for _s, t in serving}).values_list("identifier", "name"))
    types = dict(GemmaElement.objects.filter(
        version=version, identifier__in=service_ids | {t for _s, t in serving}).values_list("identifier", "type"))
    result: dict[str, dict[str, list[str]]] = {}
    for ident, object_id in components.items():
        services = sorted({names[t] for s, t in realises if s == ident and types.get(t) == "ApplicationService"})
        served_by = {ident} | {t for s, t in realises if s == ident}
        targets = {t for s, t in serving if s in served_by}
        result[object_id] = {
            "applicatieservices": services,
            "processen": sorted({names[t] for t in targets if types.get(t) == "BusinessProcess"}),
            "functies": sorted({names[t] for t in targets if types.get(t) == "BusinessFunction"}),
        }
    return result


# --- the contract command: overlap from one CSV -------------------------------------------


def overlap_report(path, index: ComponentIndex | None = None) -> dict:
    """``harmonie landscape overlap``: the overlap JSON of a multi-partner portfolio CSV (nothing stored)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"Bestand '{path.name}' kan niet worden gelezen: {exc.strerror or exc}.") from exc
    if importers.detect(data) == "xlsx":
        portfolio = importers.parse_xlsx(data, path.name)
    else:
        portfolio = importers.parse_csv(data, path.name)
    _require_columns(data, path.name, portfolio)
    index = index or component_index()
    usages, unmapped, seen = [], [], {}
    for row in portfolio.rows:
        if not row.partner:
            raise BadInput(f"Bestand '{path.name}', regel {row.line}: veld 'partner' is leeg.")
        if not row.components:
            unmapped.append({"row": row.line, "referentiecomponent": ""})
        for text in row.components:
            comp = index.resolve(text)
            # One application of one partner may be listed on several rows for different components (or with
            # ' | ' in one cell); the same application for the same component twice is a duplicate.
            key = (_key(row.partner), _key(row.application), comp.object_id if comp else _key(text))
            if seen.get(key) == row.line:  # the same component twice in one cell
                continue
            if key in seen:
                raise BadInput(f"Bestand '{path.name}', regel {row.line}: applicatie '{row.application}' van partner "
                               f"'{row.partner}' staat voor referentiecomponent '{text}' al op regel {seen[key]}.")
            seen[key] = row.line
            if comp is None:
                unmapped.append({"row": row.line, "referentiecomponent": text})
                continue
            usages.append(overlap_analysis.Usage(row.partner, row.application, comp.object_id, comp.name,
                                                 row.contract_end, row.supplier))
    return {
        "components": [
            {
                "referentiecomponent": comp.component_name,
                "gemma_object_id": comp.component_id,
                "partners": comp.partners,
                "applications": comp.applications,
                "distinct_applications": comp.distinct_applications,
                "common_window_from": comp.common_window_from.isoformat() if comp.common_window_from else None,
            }
            for comp in overlap_analysis.overlap(usages)
        ],
        "unmapped": unmapped,
    }


def _require_columns(data: bytes, name: str, portfolio):
    from .importers.base import COLUMNS

    if portfolio.format == "csv":
        from harmonie.reference.importers.base import decode

        text, _enc = decode(data, name)
        first = text.splitlines()[0] if text.strip() else ""
        header = [h.strip().strip('"').lstrip("\ufeff").lower() for h in re.split(r"[,;\t]", first)]
    else:
        return
    for column in CONTRACT_COLUMNS:
        if not any(alias in header for alias in COLUMNS[column]):
            raise BadInput(f"Bestand '{name}', regel 1: kolom '{column}' ontbreekt; verwacht de kolommen "
                           f"partner, application, referentiecomponent, contract_end, supplier.")


# --- import per partner ------------------------------------------------------------


@dataclass
class ImportResult:
    partner: str
    file_name: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped_other_partners: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if not (self.added or self.changed or self.removed):
            return (f"{self.partner}: ongewijzigd ({self.unchanged} applicaties)")
        return (f"{self.partner}: {self.added} toegevoegd, {self.changed} gewijzigd, {self.removed} verwijderd, "
                f"{self.unchanged} ongewijzigd")

    def as_dict(self) -> dict:
        return {"partner": self.partner, "file_name": self.file_name, "added": self.added, "changed": self.changed,
                "removed": self.removed, "unchanged": self.unchanged,
                "skipped_other_partners": self.skipped_other_partners, "summary": self.summary}


def check_can_import(user, partner: Partner):
    if user is not None and not can_edit_partner(user, partner):
        raise NotAllowed(_("U mag alleen de gegevens van uw eigen gemeente importeren."))


def _partner_matches(value: str, partner: Partner) -> bool:
    return _key(value) in (_key(partner.name), _key(partner.cbs_code))


FIELDS = ("supplier", "product", "version", "contract_end", "yearly_cost", "users", "hosting")


def import_portfolio(user, workspace: Workspace, partner: Partner, data: bytes, file_name: str, *,
                     mapping: dict | None = None, progress: Progress | None = None) -> ImportResult:
    """Replace ``partner``'s portfolio with the file's applications: atomic (all or nothing) and idempotent."""
    progress = progress or Progress()
    if partner.workspace_id != workspace.pk:
        raise BadInput(_("Deze partner hoort niet bij dit samenwerkingsverband."))
    check_can_import(user, partner)
    max_bytes = int(getattr(settings, "HARMONIE_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))
    if len(data) > max_bytes:
        raise BadInput(f"Bestand '{file_name}' is te groot ({len(data)} bytes; maximaal {max_bytes} bytes).")
    progress.update(done=0, total=0, message=f"{partner.name}: bestand lezen", force=True)
    index = component_index()
    portfolio = importers.parse(data, file_name, mapping, known_components=index.__contains__)
    others = {_key(p.name) for p in workspace.partners.exclude(pk=partner.pk)} | \
             {_key(p.cbs_code) for p in workspace.partners.exclude(pk=partner.pk)}
    result = ImportResult(partner=partner.name, file_name=file_name)
    rows, seen = [], {}
    where = "element" if portfolio.format == "ameff" else "regel"
    for row in portfolio.rows:
        if row.partner and not _partner_matches(row.partner, partner):
            if _key(row.partner) in others:
                result.skipped_other_partners += 1
                continue
            raise BadInput(f"Bestand '{file_name}', {where} {row.line}: partner '{row.partner}' is niet "
                           f"'{partner.name}' en ook geen andere partner van dit samenwerkingsverband.")
        for attr, column in (("application", "name"), ("supplier", "supplier"), ("product", "product"),
                             ("version", "version"), ("hosting", "hosting")):
            limit = Application._meta.get_field(column).max_length
            if len(getattr(row, attr)) > limit:
                raise BadInput(f"Bestand '{file_name}', {where} {row.line}: veld '{attr}' is te lang "
                               f"({len(getattr(row, attr))} tekens; maximaal {limit}).")
        key = _key(row.application)
        if key in seen:
            raise BadInput(f"Bestand '{file_name}', {where} {row.line}: applicatie '{row.application}' komt al "
                           f"voor op {where} {seen[key]}.")
        seen[key] = row.line
        refs = []
        for text in row.components:
            comp = index.resolve(text)
            if comp is None:
                raise BadInput(f"Bestand '{file_name}', {where} {row.line}: referentiecomponent '{text}' staat niet "
                               f"in GEMMA (gebruik de GEMMA-naam of het Object ID).")
            if comp not in refs:
                refs.append(comp)
        rows.append((row, refs))
    if not rows:
        raise BadInput(f"Bestand '{file_name}' bevat geen applicaties voor {partner.name}.")
    progress.update(done=0, total=len(rows), message=f"{partner.name}: {len(rows)} applicaties opslaan", force=True)
    with transaction.atomic():
        existing = {_key(a.name): a for a in Application.objects.select_for_update().filter(partner=partner)
                    .prefetch_related("mappings")}
        for done, (row, refs) in enumerate(rows, start=1):
            values = {f: getattr(row, f) for f in FIELDS}
            app = existing.pop(_key(row.application), None)
            if app is None:
                app = Application.objects.create(workspace=workspace, partner=partner, name=row.application,
                                                 source=file_name[:300], **values)
                _set_import_mappings(app, refs)
                result.added += 1
            else:
                changed = app.name != row.application or any(
                    _norm_value(getattr(app, f)) != _norm_value(v) for f, v in values.items())
                if changed:
                    app.name = row.application
                    for f, v in values.items():
                        setattr(app, f, v)
                    app.source = file_name[:300]
                    app.save()
                if refs and _set_import_mappings(app, refs):
                    changed = True
                if changed:
                    result.changed += 1
                else:
                    result.unchanged += 1
            progress.update(done=done)
        removed = list(existing.values())
        result.removed = len(removed)
        if removed:
            Application.objects.filter(pk__in=[a.pk for a in removed]).delete()
        if result.added or result.changed or result.removed:
            record_import(user, workspace, object_type=OBJECT_TYPE, file_name=file_name,
                          file_sha256=portfolio.file_sha256, added=result.added, changed=result.changed,
                          removed=result.removed, object_repr=f"applicatieportfolio {partner.name}")
    progress.update(message=result.summary, force=True)
    return result


def _norm_value(value):
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"))
    return value


def _set_import_mappings(app: Application, refs: list[ComponentRef]) -> bool:
    """Make the confirmed mappings of ``app`` exactly ``refs`` (suggestions stay). True when anything changed."""
    wanted = {r.object_id: r for r in refs}
    current = {m.gemma_object_id: m for m in app.mappings.all()}
    changed = False
    for object_id, mapping in current.items():
        if object_id in wanted:
            ref = wanted[object_id]
            if mapping.status != MappingStatus.CONFIRMED or mapping.gemma_name != ref.name:
                mapping.status, mapping.gemma_name = MappingStatus.CONFIRMED, ref.name
                mapping.save(update_fields=["status", "gemma_name"])
                changed = True
        elif mapping.status == MappingStatus.CONFIRMED:
            mapping.delete()
            changed = True
    for object_id, ref in wanted.items():
        if object_id not in current:
            ComponentMapping.objects.create(application=app, gemma_object_id=object_id, gemma_name=ref.name,
                                            status=MappingStatus.CONFIRMED, origin="import")
            changed = True
    return changed


# --- background job ----------------------------------------------------------------


def _job_user(user_id):
    if not user_id:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=user_id).first()


def start_import(user, workspace: Workspace, partner: Partner, data: bytes, file_name: str,
                 mapping: dict | None = None):
    """Store the upload and start the import job (web UI, API). Permission is checked now and in the job."""
    if partner.workspace_id != workspace.pk:
        raise BadInput(_("Deze partner hoort niet bij dit samenwerkingsverband."))
    check_can_import(user, partner)
    if not data:
        raise BadInput(f"Bestand '{file_name}' is leeg.")
    with transaction.atomic():
        upload = PortfolioUpload.objects.create(workspace=workspace, partner=partner, file_name=file_name[:300],
                                                content=data, mapping=mapping or {},
                                                uploaded_by=user if getattr(user, "is_authenticated", False)
                                                else None)
        return start_job(JOB_KIND, label=f"Applicatieportfolio {partner.name} ({file_name})",
                         params={"upload_id": upload.pk, "user_id": getattr(user, "pk", None)},
                         workspace=workspace, user=user)


@register_job(JOB_KIND)
def import_job(progress, upload_id, user_id=None) -> dict:
    """Background job: import one uploaded portfolio (all or nothing); the upload is removed afterwards."""
    upload = PortfolioUpload.objects.select_related("workspace", "partner").filter(pk=upload_id).first()
    if upload is None:
        raise BadInput(_("Het geüploade bestand is niet meer aanwezig; upload het opnieuw."))
    with transaction.atomic():
        result = import_portfolio(_job_user(user_id), upload.workspace, upload.partner, bytes(upload.content),
                                  upload.file_name, mapping=upload.mapping or None, progress=progress)
        workspace_slug, partner_id, partner_name = upload.workspace.slug, upload.partner_id, upload.partner.name
        upload.delete()
    from django.urls import reverse

    return {**result.as_dict(), "url": reverse("applications:partner", args=[workspace_slug, partner_id]),
            "url_label": _("Bekijk het applicatieportfolio van %(p)s") % {"p": partner_name}}


# --- mapping suggestions ------------------------------------------------------------


def _candidates() -> list[mapping_analysis.Candidate]:
    index = component_index()
    support = component_support([c.object_id for c in index.components])
    return [mapping_analysis.Candidate(c.object_id, c.name, c.documentation,
                                       tuple(support.get(c.object_id, {}).get("applicatieservices", [])))
            for c in index.components]


def unmapped_applications(workspace: Workspace, partner: Partner | None = None):
    qs = Application.objects.filter(workspace=workspace).exclude(mappings__status=MappingStatus.CONFIRMED)
    if partner is not None:
        qs = qs.filter(partner=partner)
    return qs.select_related("partner").order_by("partner__name", "name").distinct()


def suggestions(workspace: Workspace, partner: Partner | None = None, limit: int = 3, max_apps: int = 200):
    """Per application without a confirmed referentiecomponent: the best suggestions (not stored)."""
    candidates = _candidates()
    out = []
    for app in unmapped_applications(workspace, partner)[:max_apps]:
        out.append((app, mapping_analysis.suggest(app.name, app.supplier, app.product, candidates, limit)))
    return out


def confirm_mapping(user, application: Application, component: str) -> ComponentMapping:
    """Confirm that ``application`` implements the referentiecomponent (name or Object ID)."""
    check_can_import(user, application.partner)
    ref = component_index().resolve(component)
    if ref is None:
        raise BadInput(f"Referentiecomponent '{component}' staat niet in GEMMA.")
    with transaction.atomic():
        mapping, _created = ComponentMapping.objects.update_or_create(
            application=application, gemma_object_id=ref.object_id,
            defaults={"gemma_name": ref.name, "status": MappingStatus.CONFIRMED, "origin": "handmatig",
                      "confirmed_by": user if getattr(user, "is_authenticated", False) else None},
        )
        from harmonie.core.audit import record_change
        from harmonie.core.models import AuditAction

        record_change(user, application.workspace, AuditAction.CREATE if _created else AuditAction.UPDATE, mapping,
                      after={"applicatie": application.name, "referentiecomponent": ref.name})
    return mapping


# --- analysis of a workspace --------------------------------------------------------------


def usages(workspace: Workspace) -> list[overlap_analysis.Usage]:
    # plain rows, no model instances: this runs on every diagnosis and applications page
    return [overlap_analysis.Usage(*row) for row in
            ComponentMapping.objects.filter(application__workspace=workspace, status=MappingStatus.CONFIRMED)
            .values_list("application__partner__name", "application__name", "gemma_object_id", "gemma_name",
                         "application__contract_end", "application__supplier", "application__product",
                         "application__yearly_cost", "application__users")]


@dataclass
class Landscape:
    partners: list[str]
    components: list[overlap_analysis.ComponentOverlap]
    proposals: list[time_analysis.Proposal]
    consolidations: list[Consolidation]
    support: dict
    applications: int
    unmapped: int

    @property
    def waiting(self) -> list[time_analysis.Proposal]:
        return [p for p in self.proposals if p.waits_for]

    def heat_rows(self):
        """Rows for the heatmap: component, then per partner (count, level, applications)."""
        for comp in self.components:
            cells = []
            for partner in self.partners:
                cell = comp.cells.get(partner)
                cells.append({"partner": partner, "count": cell.count if cell else 0,
                              "applications": cell.applications if cell else []})
            yield {"component": comp, "cells": cells,
                   "level": overlap_analysis.heat_level(comp.distinct_applications, len(comp.partners))}


def harmonisation_status(workspace: Workspace, components, support=None) -> dict[str, time_analysis.Harmonisation]:
    """What a consolidation per component waits for: a planned consolidation's dependency, otherwise the
    GEMMA processes the component serves (never assumed done)."""
    support = support or {}
    status = {}
    for comp in components:
        processes = support.get(comp.component_id, {}).get("processen") or \
            support.get(comp.component_id, {}).get("functies") or []
        subject = (f"procesharmonisatie ({', '.join(processes[:3])})" if processes
                   else f"proces- en productharmonisatie voor {comp.component_name}")
        status[comp.component_id] = time_analysis.Harmonisation(subject, False)
    for plan in Consolidation.objects.filter(workspace=workspace):
        status[plan.gemma_object_id] = time_analysis.Harmonisation(plan.depends_on, plan.harmonisation_done)
    return status


def landscape(workspace: Workspace) -> Landscape:
    components = overlap_analysis.overlap(usages(workspace))
    support = component_support([c.component_id for c in components])
    status = harmonisation_status(workspace, components, support)
    partners = [p.name for p in workspace.partners.order_by("name")]
    apps = Application.objects.filter(workspace=workspace)
    return Landscape(
        partners=partners, components=components, proposals=time_analysis.proposals(components, status),
        consolidations=list(Consolidation.objects.filter(workspace=workspace)), support=support,
        applications=apps.count(), unmapped=unmapped_applications(workspace).count(),
    )


def applications(workspace: Workspace, partner: Partner | None = None):
    qs = Application.objects.filter(workspace=workspace).select_related("partner").prefetch_related("mappings")
    if partner is not None:
        qs = qs.filter(partner=partner)
    return qs.order_by("partner__name", "name")


def plan_consolidation(user, workspace: Workspace, component: str, title: str, depends_on: str, *,
                       target_application: str = "", planned_from: date | None = None,
                       harmonisation_done: bool = False, notes: str = "") -> Consolidation:
    if user is not None and not can_manage(user, workspace):
        raise NotAllowed(_("Alleen de coördinator mag consolidaties plannen."))
    ref = component_index().resolve(component)
    if ref is None:
        raise BadInput(f"Referentiecomponent '{component}' staat niet in GEMMA.")
    plan, _created = Consolidation.objects.update_or_create(
        workspace=workspace, title=title,
        defaults={"gemma_object_id": ref.object_id, "gemma_name": ref.name, "depends_on": depends_on,
                  "target_application": target_application, "planned_from": planned_from,
                  "harmonisation_done": harmonisation_done, "notes": notes})
    return plan


# --- exports ------------------------------------------------------------------------------



def export_xlsx(workspace: Workspace) -> bytes:
    from openpyxl import Workbook

    land = landscape(workspace)
    book = Workbook()
    sheet = book.active
    sheet.title = "Applicaties"
    sheet.append(["partner", "application", "supplier", "product", "version", "referentiecomponent",
                  "contract_end", "yearly_cost", "users", "hosting"])
    for app in applications(workspace):
        comps = " | ".join(m.gemma_name for m in app.mappings.all() if m.status == MappingStatus.CONFIRMED)
        sheet.append([safe_cell(v) for v in (
            app.partner.name, app.name, app.supplier, app.product, app.version, comps, app.contract_end,
            float(app.yearly_cost) if app.yearly_cost is not None else None, app.users, app.hosting)])
    overlap_sheet = book.create_sheet("Overlap")
    overlap_sheet.append(["referentiecomponent", "gemma_object_id", "partners", "applications",
                          "distinct_applications", "shared_suppliers", "common_window_from"])
    for comp in land.components:
        overlap_sheet.append([safe_cell(v) for v in (
            comp.component_name, comp.component_id, " | ".join(comp.partners), " | ".join(comp.applications),
            comp.distinct_applications, " | ".join(comp.shared_suppliers), comp.common_window_from)])
    time_sheet = book.create_sheet("TIME")
    time_sheet.append(["partner", "application", "referentiecomponent", "voorstel", "doel", "wacht_op",
                       "vanaf", "redenen"])
    for p in land.proposals:
        time_sheet.append([safe_cell(v) for v in (p.partner, p.application, p.component_name, p.label, p.target,
                                                  p.waits_for, p.earliest, " ".join(p.reasons))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def gemma_model() -> Model:
    """The current GEMMA version as an exchange ``Model`` (elements, relationships, properties, folders)."""
    from harmonie.reference.models import GemmaElement, GemmaRelation

    version = _gemma_version()
    model = Model(name="GEMMA", identifier="id-gemma-model",
                  documentation=f"GEMMA, versie {version.number} in Harmonie ({version.source})" if version else "")
    if version is None:
        return model
    for e in GemmaElement.objects.filter(version=version).order_by("pk"):
        model.elements.append(ModelElement(e.identifier, e.type, e.name, e.documentation, dict(e.properties),
                                           e.folder))
    for r in GemmaRelation.objects.filter(version=version).order_by("pk"):
        model.relations.append(ModelRelation(r.identifier, r.type, r.source, r.target, r.name, r.documentation,
                                             dict(r.properties), dict(r.attributes)))
    return model


def export_gemma_ameff() -> bytes:
    return write_model(gemma_model())


def landscape_model(workspace: Workspace, target: bool = False) -> Model:
    """The current (per partner) or target landscape as an ArchiMate model on the GEMMA referentiecomponenten."""
    land = landscape(workspace)
    index = component_index()
    kind = "doellandschap" if target else "huidig landschap"
    model = Model(name=f"{workspace.name} – {kind}", identifier=f"id-harmonie-{workspace.slug}-{'doel' if target else 'ist'}",
                  documentation=("Doellandschap volgens de TIME-voorstellen van Harmonie; consolidaties die wachten "
                                 "op proces- of productharmonisatie zijn gemarkeerd.") if target else
                  "Applicatieportfolio's van de partners op de GEMMA-referentiecomponenten.")
    used = {c.component_id for c in land.components}
    refs = {c.object_id: c for c in index.components if c.object_id in used}
    for comp in land.components:
        ref = refs.get(comp.component_id)
        model.elements.append(ModelElement(
            ref.identifier if ref and ref.identifier else f"id-{comp.component_id}", "ApplicationComponent",
            comp.component_name, ref.documentation if ref else "",
            {"GEMMA type": "Referentiecomponent", "Object ID": comp.component_id}, "GEMMA/Referentiecomponenten"))
    ref_ident = {e.properties["Object ID"]: e.identifier for e in model.elements}
    n = 0
    if not target:
        actors = {}
        for partner in workspace.partners.order_by("name"):
            ident = f"id-partner-{partner.pk}"
            actors[partner.name] = ident
            model.elements.append(ModelElement(ident, "BusinessActor", partner.name, "",
                                               {"CBS-code": partner.cbs_code}, "Partners"))
        for app in applications(workspace):
            ident = f"id-app-{app.pk}"
            props = {k: v for k, v in (
                ("Partner", app.partner.name), ("Leverancier", app.supplier), ("Product", app.product),
                ("Versie", app.version), ("Contract einddatum", app.contract_end.isoformat() if app.contract_end
                                          else ""),
                ("Kosten per jaar", str(app.yearly_cost) if app.yearly_cost is not None else ""),
                ("Aantal gebruikers", str(app.users) if app.users is not None else ""), ("Hosting", app.hosting),
            ) if v}
            model.elements.append(ModelElement(ident, "ApplicationComponent", app.name, "", props,
                                               f"Applicaties/{app.partner.name}"))
            model.relations.append(ModelRelation(f"id-rel-serve-{app.pk}", "Serving", ident,
                                                 actors[app.partner.name]))
            for m in app.mappings.all():
                if m.status == MappingStatus.CONFIRMED and m.gemma_object_id in ref_ident:
                    n += 1
                    model.relations.append(ModelRelation(f"id-rel-{n}", "Specialization", ident,
                                                         ref_ident[m.gemma_object_id]))
        return model
    targets: dict[tuple[str, str], dict] = {}
    for p in land.proposals:
        name = p.target or p.application
        if p.action in (time_analysis.TOLERATE, time_analysis.INVEST) or p.target:
            entry = targets.setdefault((p.component_id, name), {"partners": set(), "waits": set(), "from": []})
            entry["partners"].add(p.partner)
            if p.waits_for:
                entry["waits"].add(p.waits_for)
            if p.earliest:
                entry["from"].append(p.earliest)
    for (component_id, name), entry in sorted(targets.items(), key=lambda kv: kv[0][1].casefold()):
        n += 1
        ident = f"id-doel-{n}"
        props = {"Partners": " | ".join(sorted(entry["partners"])),
                 "Status": "wacht op harmonisatie" if entry["waits"] else "doel"}
        if entry["waits"]:
            props["Wacht op"] = " | ".join(sorted(entry["waits"]))
        if entry["from"]:
            props["Vanaf"] = (max(entry["from"])).isoformat()
        model.elements.append(ModelElement(ident, "ApplicationComponent", name, "", props, "Doellandschap"))
        model.relations.append(ModelRelation(f"id-rel-doel-{n}", "Specialization", ident, ref_ident[component_id]))
    return model


def export_ameff(workspace: Workspace, target: bool = False) -> bytes:
    return write_model(landscape_model(workspace, target))
