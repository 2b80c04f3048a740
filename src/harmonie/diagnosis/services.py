"""The one entry point of the diagnosis: views, API, CLI, jobs and the demo call these.

* ``diagnose(workspace)``: the harmonisation index (via the measure providers), agreements'
  implementation and the breekijzer-toets; ``save=True`` keeps a ``Measurement`` snapshot.
* ``roadmap(workspace)``: initiatives, the automatic sequencing proposal, the violations of
  "IT follows the business", proposed involvement initiatives and the business case.
* changes (initiatives, agreements, implementation, settings, stored comparisons): permission
  check, validation, one transaction, an audit entry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from harmonie.core import audit
from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.jobs import register_job
from harmonie.core.models import AuditAction, Partner, Workspace
from harmonie.core.permissions import can_edit_partner, can_manage

from . import measures as measures_mod
from .analysis import index as index_mod
from .analysis import rules as rules_mod
from .analysis import sequencing
from .models import (
    Agreement,
    AgreementSubject,
    CheckSettings,
    CostKey,
    Implementation,
    ImplementationStatus,
    Initiative,
    InitiativeKind,
    InitiativeStatus,
    Initiator,
    LayerEvidence,
    Measurement,
    PartnerFacts,
    ROADMAP_LAYERS,
)

LAYER_KEYS = [key for key, _label in ROADMAP_LAYERS]


def _require(condition, message):
    if not condition:
        raise NotAllowed(message)


def _require_manage(user, workspace):
    if user is not None:
        _require(can_manage(user, workspace), "Alleen de coördinator van dit samenwerkingsverband mag dit doen.")


def get_workspace(slug: str) -> Workspace:
    """For the CLI: the workspace by slug, or BadInput with a Dutch message (exit 2)."""
    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        raise BadInput(f"Samenwerkingsverband '{slug}' bestaat niet. Gebruik de korte naam (slug), "
                       f"bijvoorbeeld 'demo'.")
    return workspace


def partners(workspace) -> list[tuple[str, str]]:
    return [(p.cbs_code, p.name) for p in workspace.partners.order_by("name")]


def check_settings(workspace) -> CheckSettings:
    found = CheckSettings.objects.filter(workspace=workspace).first()
    return found or CheckSettings(workspace=workspace)


def thresholds(workspace) -> dict:
    """Defaults < ``settings.HARMONIE_DIAGNOSIS_THRESHOLDS`` < the workspace's own overrides."""
    merged = dict(getattr(settings, "HARMONIE_DIAGNOSIS_THRESHOLDS", {}) or {})
    merged.update(check_settings(workspace).thresholds or {})
    return rules_mod.thresholds(merged)


# ================================================================================= diagnosis


@dataclass
class Diagnosis:
    workspace: Workspace
    partners: list[tuple[str, str]]
    measures: dict
    layer_notes: dict
    index: dict
    findings: list
    check_notes: list
    implementation: dict
    thresholds: dict
    people: dict | None
    created_at: object = field(default_factory=timezone.now)

    def contract(self) -> dict:
        return {"index": self.index, "findings": [f.as_contract() for f in self.findings]}

    @property
    def missing_layers(self) -> list[str]:
        return [layer for layer in index_mod.INDEX_LAYERS if self.measures.get(layer) is None]

    def partner_name(self, code):
        return dict(self.partners).get(code, code or "")


def people_data(workspace) -> dict | None:
    """Per partner readiness and urgency from the newest closed survey (None: no survey at all)."""
    survey, results = measures_mod.latest_survey_results(workspace)
    if survey is None:
        people = measures_mod._service("people")
        any_survey = people is not None and hasattr(people, "surveys") and people.surveys(workspace).exists()
        return {} if any_survey else None
    out = {}
    label = f"enquête ‘{survey.title}’"
    for code, entry in results["partners"].items():
        if entry.get("suppressed") or "readiness" not in entry:
            out[code] = rules_mod.PartnerPeople(code, False, survey=label)
            continue
        out[code] = rules_mod.PartnerPeople(
            code, True, n=entry.get("n"), commitment=entry["readiness"].get("commitment"),
            efficacy=entry["readiness"].get("efficacy"), want=entry["urgency"].get("want"),
            have_to=entry["urgency"].get("have_to"), survey=label)
    return out


def _initiative_data(item: Initiative) -> rules_mod.InitiativeData:
    return rules_mod.InitiativeData(
        id=str(item.pk), title=item.title, layer=item.layer, initiated_by=item.initiated_by,
        board_mandate=item.board_mandate, board_mandate_date=item.board_mandate_date,
        primary_process_need=item.primary_process_need, information_management=item.information_management,
        start=item.start, end=item.end, dependencies=tuple(str(d.pk) for d in item.dependencies.all()),
        status=item.status, kind=item.kind, single_platform=item.single_platform,
        target_process_of=item.target_process_of, source="routekaart",
    )


def planned_consolidations(workspace, initiatives) -> list[rules_mod.InitiativeData]:
    """Consolidations planned in the Applicaties layer that the roadmap does not cover yet."""
    try:
        from harmonie.applications.models import Consolidation
    except Exception:  # noqa: BLE001 - layer app absent or in flux
        return []
    covered = {i.gemma_component.casefold() for i in initiatives if i.gemma_component}
    out = []
    for plan in Consolidation.objects.filter(workspace=workspace):
        if plan.harmonisation_done or {plan.gemma_object_id.casefold(), plan.gemma_name.casefold()} & covered:
            continue
        out.append(rules_mod.InitiativeData(
            id=f"consolidatie-{plan.pk}", title=plan.title, layer="applicaties", initiated_by="",
            start=plan.planned_from, end=None, kind="consolidatie",
            source=f"geplande consolidatie in de laag Applicaties, hangt af van: {plan.depends_on}"))
    return out


def implementation_summary(workspace) -> dict:
    """How far along: per agreement and per partner the status, and rates per layer and partner."""
    codes = [code for code, _n in partners(workspace)]
    rows, per_layer, per_partner = [], {}, {code: [] for code in codes}
    for agreement in Agreement.objects.filter(workspace=workspace).prefetch_related("implementations__partner"):
        statuses = {impl.partner.cbs_code: impl.status for impl in agreement.implementations.all()}
        cells = {code: statuses.get(code, ImplementationStatus.NIET_GESTART) for code in codes}
        rows.append({"id": agreement.pk, "title": agreement.title, "layer": agreement.layer,
                     "adopted_by": agreement.adopted_by, "adopted_on": agreement.adopted_on.isoformat(),
                     "document": agreement.document, "status": cells,
                     "rate": index_mod.implementation_rate(list(cells.values()))})
        per_layer.setdefault(agreement.layer, []).extend(cells.values())
        for code, status in cells.items():
            per_partner[code].append(status)
    return {
        "agreements": rows,
        "layers": {layer: index_mod.implementation_rate(values) for layer, values in per_layer.items()},
        "partners": {code: index_mod.implementation_rate(values) for code, values in per_partner.items()},
    }


def diagnose(workspace, *, save: bool = False, user=None) -> Diagnosis:
    measures, layer_notes = measures_mod.measure_all(workspace)
    plist = partners(workspace)
    index = index_mod.build_index([code for code, _n in plist], measures)
    initiatives = list(Initiative.objects.filter(workspace=workspace).prefetch_related("dependencies"))
    items = [_initiative_data(i) for i in initiatives] + planned_consolidations(workspace, initiatives)
    implementation = implementation_summary(workspace)
    implemented = {layer for layer, rate in implementation["layers"].items() if rate == 1.0}
    people = people_data(workspace)
    t = thresholds(workspace)
    inp = rules_mod.CheckInput(
        partners=plist, vision=workspace.vision,
        information_management_in_scope=check_settings(workspace).information_management_in_scope,
        initiatives=items, people=people, products=measures.get("products"),
        processes=measures.get("processes"), culture=measures.get("culture"), implemented_layers=implemented,
    )
    result = rules_mod.run_rules(inp, t)
    diagnosis = Diagnosis(workspace, plist, measures, layer_notes, index, result.findings, result.notes,
                          implementation, t, people)
    if save:
        _require_manage(user, workspace)
        save_measurement(diagnosis, user)
    return diagnosis


def save_measurement(diagnosis: Diagnosis, user=None) -> Measurement:
    sources = {layer: ({"formula": m.formula, "inputs": m.inputs, "source": m.source} if m else None)
               for layer, m in diagnosis.measures.items()}
    with transaction.atomic():
        measurement = Measurement.objects.create(
            workspace=diagnosis.workspace, created_by=user if getattr(user, "is_authenticated", False) else None,
            index=diagnosis.index, findings=[f.as_contract() for f in diagnosis.findings],
            implementation=diagnosis.implementation, sources=sources)
        audit.record_change(user, diagnosis.workspace, AuditAction.CREATE, measurement,
                            after={"lagen": diagnosis.index["layers"], "bevindingen": len(diagnosis.findings)})
    return measurement


def trend(workspace, limit: int = 12) -> list[dict]:
    """The kept measurements, oldest first: date and the layer values (for the trend)."""
    rows = list(Measurement.objects.filter(workspace=workspace)[:limit])
    rows.reverse()
    return [{"id": m.pk, "created_at": m.created_at, "layers": m.index.get("layers", {}),
             "findings": len(m.findings)} for m in rows]


# ================================================================================= roadmap


@dataclass
class Roadmap:
    initiatives: list  # Initiative rows
    items: list  # InitiativeData (incl. planned consolidations of the Applicaties layer)
    proposal: list  # sequencing.Proposed
    violations: dict  # initiative id -> [Violation]
    involvement: list  # sequencing.Involvement
    windows: dict  # initiative id -> date
    business_case: dict

    def proposal_for(self, item_id):
        return next((p for p in self.proposal if p.id == item_id), None)


def contract_windows(workspace, items) -> dict[str, date]:
    """Per application initiative: the common contract window of its GEMMA component."""
    services = measures_mod._service("applications")
    if services is None or not hasattr(services, "usages"):
        return {}
    try:
        from harmonie.applications.analysis.overlap import overlap
    except Exception:  # noqa: BLE001
        return {}
    windows_by_component = {}
    for comp in overlap(services.usages(workspace)):
        if comp.common_window_from:
            windows_by_component[comp.component_id.casefold()] = comp.common_window_from
            windows_by_component[comp.component_name.casefold()] = comp.common_window_from
    out = {}
    for item in items:
        if item.layer == "applicaties" and getattr(item, "gemma_component", ""):
            window = windows_by_component.get(item.gemma_component.casefold())
            if window:
                out[str(item.pk)] = window
    return out


def business_case(workspace, initiatives, facts=None) -> dict:
    codes = [code for code, _n in partners(workspace)]
    inhabitants = facts if facts is not None else {
        f.partner.cbs_code: f.inhabitants for f in PartnerFacts.objects.filter(partner__workspace=workspace)
        .select_related("partner")}
    rows, totals = [], {"one_off_costs": 0.0, "yearly_costs": 0.0, "one_off_savings": 0.0, "yearly_savings": 0.0}
    per_partner = {code: 0.0 for code in codes}
    for item in initiatives:
        values = {k: float(getattr(item, k) or 0) for k in totals}
        if not any(values.values()):
            continue
        for k, v in values.items():
            totals[k] += v
        # net effect over five years: savings minus costs
        net5 = values["one_off_savings"] - values["one_off_costs"] + 5 * (values["yearly_savings"]
                                                                           - values["yearly_costs"])
        shares, note = sequencing.cost_shares(values["one_off_costs"] + 5 * values["yearly_costs"],
                                              item.cost_key, codes, inhabitants, item.usage)
        for code, share in shares.items():
            per_partner[code] += share
        rows.append({"id": item.pk, "title": item.title, "layer": item.layer, **values, "net5": round(net5, 2),
                     "cost_key": item.get_cost_key_display(), "shares": shares, "note": note})
    net5 = totals["one_off_savings"] - totals["one_off_costs"] + 5 * (totals["yearly_savings"] - totals["yearly_costs"])
    return {"rows": rows, "totals": totals, "net5": round(net5, 2),
            "per_partner": {code: round(v, 2) for code, v in per_partner.items()}, "inhabitants": inhabitants}


def roadmap(workspace, diagnosis: Diagnosis | None = None, today: date | None = None) -> Roadmap:
    today = today or timezone.localdate()
    initiatives = list(Initiative.objects.filter(workspace=workspace).prefetch_related("dependencies"))
    items = [_initiative_data(i) for i in initiatives] + planned_consolidations(workspace, initiatives)
    windows = contract_windows(workspace, initiatives)
    start = min([i.start for i in items if i.start] + [today])
    proposal = sequencing.propose(items, start if start > today else today, windows)
    found = {}
    for violation in sequencing.violations(items):
        found.setdefault(violation.id, []).append(violation)
    diagnosis = diagnosis or diagnose(workspace)
    existing = {i.title for i in initiatives}
    involvement = sequencing.involvement_proposals(diagnosis.findings, diagnosis.partners, max(start, today),
                                                   existing)
    return Roadmap(initiatives, items, proposal, found, involvement, windows, business_case(workspace, initiatives))


# ================================================================================= changes

INITIATIVE_FIELDS = ("title", "layer", "kind", "description", "owner", "start", "end", "status", "initiated_by",
                     "primary_process_need", "board_mandate", "board_mandate_date", "information_management",
                     "single_platform", "target_process_of", "gemma_component", "one_off_costs", "yearly_costs",
                     "one_off_savings", "yearly_savings", "cost_key", "usage")


def _date(value, field_name):
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BadInput(f"Veld '{field_name}': gebruik een datum als 2027-01-31.") from None


def _money(value, field_name):
    if value in (None, ""):
        return Decimal(0)
    try:
        amount = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise BadInput(f"Veld '{field_name}': vul een bedrag in euro's in.") from None
    if amount < 0:
        raise BadInput(f"Veld '{field_name}': een bedrag kan niet negatief zijn.")
    return amount


def _choice(value, choices, field_name, default=""):
    value = value or default
    if value not in [c[0] for c in choices]:
        raise BadInput(f"Veld '{field_name}': onbekende waarde '{value}'. Kies uit: "
                       f"{', '.join(c[0] for c in choices)}.")
    return value


def _clean_initiative(workspace, data: dict, instance: Initiative | None) -> dict:
    clean = {}
    for key in INITIATIVE_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key == "title":
            value = (value or "").strip()
            if not value:
                raise BadInput("Veld 'title': vul een titel in.")
            if Initiative.objects.filter(workspace=workspace, title=value).exclude(
                    pk=instance.pk if instance else None).exists():
                raise BadInput(f"Veld 'title': er is al een initiatief ‘{value}’.")
        elif key == "layer":
            value = _choice(value, ROADMAP_LAYERS, key)
        elif key == "kind":
            value = _choice(value, InitiativeKind.choices, key, InitiativeKind.HARMONISATIE)
        elif key == "status":
            value = _choice(value, InitiativeStatus.choices, key, InitiativeStatus.GEPLAND)
        elif key == "initiated_by":
            value = _choice(value, Initiator.choices, key, Initiator.BESTUUR)
        elif key == "cost_key":
            value = _choice(value, CostKey.choices, key, CostKey.GELIJK)
        elif key in ("start", "end", "board_mandate_date"):
            value = _date(value, key)
        elif key in ("one_off_costs", "yearly_costs", "one_off_savings", "yearly_savings"):
            value = _money(value, key)
        elif key in ("primary_process_need", "information_management", "single_platform"):
            value = bool(value)
        elif key == "target_process_of":
            value = (value or "").strip()
            if value and value != "ssc" and not workspace.partners.filter(cbs_code=value).exists():
                raise BadInput(f"Veld 'target_process_of': '{value}' is geen partner (CBS-code) en niet 'ssc'.")
        elif key == "usage":
            value = value or {}
            if not isinstance(value, dict):
                raise BadInput("Veld 'usage': geef per CBS-code een getal.")
        else:
            value = (value or "").strip() if isinstance(value, str) or value is None else value
        clean[key] = value
    start = clean.get("start", instance.start if instance else None)
    end = clean.get("end", instance.end if instance else None)
    if start and end and end < start:
        raise BadInput("Veld 'end': het einde ligt vóór de start.")
    if instance is None and "layer" not in clean:
        raise BadInput("Veld 'layer': kies een laag.")
    return clean


def save_initiative(user, workspace, data: dict, instance: Initiative | None = None,
                    dependencies: list | None = None, origin: str = "handmatig") -> Initiative:
    _require_manage(user, workspace)
    clean = _clean_initiative(workspace, data, instance)
    deps = None
    if dependencies is not None:
        deps = list(Initiative.objects.filter(workspace=workspace, pk__in=[int(d) for d in dependencies if str(d).isdigit()]))
        if instance is not None:
            deps = [d for d in deps if d.pk != instance.pk]
    with transaction.atomic():
        before = audit.snapshot(instance) if instance else None
        if instance is None:
            instance = Initiative(workspace=workspace, origin=origin)
        for key, value in clean.items():
            setattr(instance, key, value)
        instance.save()
        if deps is not None:
            instance.dependencies.set(deps)
        audit.record_change(user, workspace, AuditAction.UPDATE if before else AuditAction.CREATE, instance,
                            before=before, after=audit.snapshot(instance))
    return instance


def delete_initiative(user, initiative: Initiative):
    _require_manage(user, initiative.workspace)
    with transaction.atomic():
        audit.record_change(user, initiative.workspace, AuditAction.DELETE, initiative,
                            before=audit.snapshot(initiative))
        initiative.delete()


def apply_proposal(user, workspace, ids: list[str] | None = None) -> int:
    """Adopt the proposed dates (all, or only ``ids``); returns how many initiatives moved."""
    _require_manage(user, workspace)
    plan = roadmap(workspace)
    moved = 0
    with transaction.atomic():
        for proposed in plan.proposal:
            if not proposed.id.isdigit() or (ids and proposed.id not in ids) or not proposed.moved:
                continue
            item = Initiative.objects.get(workspace=workspace, pk=int(proposed.id))
            before = {"start": str(item.start), "end": str(item.end)}
            item.start, item.end = proposed.start, proposed.end
            item.save(update_fields=["start", "end", "updated_at"])
            audit.record_change(user, workspace, AuditAction.UPDATE, item, before=before,
                                after={"start": str(item.start), "end": str(item.end),
                                       "reden": "; ".join(proposed.reasons)})
            moved += 1
    return moved


def accept_involvement(user, workspace, partner_code: str) -> Initiative:
    """Turn the proposed involvement initiative for one partner into a roadmap initiative."""
    _require_manage(user, workspace)
    plan = roadmap(workspace)
    proposal = next((p for p in plan.involvement if p.partner == partner_code), None)
    if proposal is None:
        raise BadInput(f"Er is geen voorstel voor betrokkenheid bij partner '{partner_code}'.")
    return save_initiative(user, workspace, {
        "title": proposal.title, "layer": "cultuur", "kind": "betrokkenheid", "start": proposal.start,
        "end": proposal.end, "initiated_by": "primair_proces", "primary_process_need": True,
        "owner": f"Teamleiders {proposal.partner_name}",
        "description": f"Voorgesteld door de breekijzer-toets ({', '.join(proposal.rules)}): {proposal.reason}",
    }, origin="voorstel")


def save_agreement(user, workspace, data: dict, instance: Agreement | None = None) -> Agreement:
    _require_manage(user, workspace)
    title = (data.get("title") or "").strip()
    if not title:
        raise BadInput("Veld 'title': vul de titel van de afspraak in.")
    if Agreement.objects.filter(workspace=workspace, title=title).exclude(pk=instance.pk if instance else None).exists():
        raise BadInput(f"Veld 'title': er is al een afspraak ‘{title}’.")
    adopted_by = (data.get("adopted_by") or "").strip()
    if not adopted_by:
        raise BadInput("Veld 'adopted_by': vul in wie de afspraak heeft vastgesteld.")
    adopted_on = _date(data.get("adopted_on"), "adopted_on")
    if adopted_on is None:
        raise BadInput("Veld 'adopted_on': vul de datum van het besluit in.")
    values = {
        "title": title, "layer": _choice(data.get("layer"), ROADMAP_LAYERS, "layer"),
        "subject": _choice(data.get("subject"), AgreementSubject.choices, "subject"),
        "adopted_by": adopted_by, "adopted_on": adopted_on, "document": (data.get("document") or "").strip(),
    }
    initiative_id = data.get("initiative")
    values["initiative"] = Initiative.objects.filter(workspace=workspace, pk=initiative_id).first() \
        if str(initiative_id or "").isdigit() else None
    with transaction.atomic():
        before = audit.snapshot(instance) if instance else None
        agreement = instance or Agreement(workspace=workspace)
        for key, value in values.items():
            setattr(agreement, key, value)
        agreement.save()
        for partner in workspace.partners.all():
            Implementation.objects.get_or_create(agreement=agreement, partner=partner)
        audit.record_change(user, workspace, AuditAction.UPDATE if before else AuditAction.CREATE, agreement,
                            before=before, after=audit.snapshot(agreement))
    return agreement


def set_implementation(user, agreement: Agreement, partner: Partner, status: str, note: str = "") -> Implementation:
    """A partner's implementation status of an agreement (coördinator, or that partner's bijdrager)."""
    if user is not None:
        _require(can_edit_partner(user, partner), "U mag alleen de status van uw eigen gemeente wijzigen.")
    if partner.workspace_id != agreement.workspace_id:
        raise BadInput("Deze partner hoort niet bij dit samenwerkingsverband.")
    status = _choice(status, ImplementationStatus.choices, "status")
    with transaction.atomic():
        impl, _created = Implementation.objects.get_or_create(agreement=agreement, partner=partner)
        before = {"status": impl.status, "note": impl.note}
        impl.status, impl.note = status, (note or "").strip()[:300]
        impl.updated_by = user if getattr(user, "is_authenticated", False) else None
        impl.save()
        audit.record_change(user, agreement.workspace, AuditAction.UPDATE, agreement, before=before,
                            after={"partner": partner.cbs_code, "status": status, "note": impl.note})
    return impl


def save_check_settings(user, workspace, *, information_management_in_scope=None, thresholds_=None) -> CheckSettings:
    _require_manage(user, workspace)
    overrides = {}
    for key, value in (thresholds_ or {}).items():
        if key not in rules_mod.DEFAULT_THRESHOLDS:
            raise BadInput(f"Onbekende drempel '{key}'. Kies uit: {', '.join(rules_mod.DEFAULT_THRESHOLDS)}.")
        if value in (None, ""):
            continue
        try:
            overrides[key] = float(str(value).replace(",", "."))
        except ValueError:
            raise BadInput(f"Drempel '{key}': vul een getal in.") from None
    with transaction.atomic():
        obj, _created = CheckSettings.objects.get_or_create(workspace=workspace)
        before = {"informatiehuishouding": obj.information_management_in_scope, "drempels": obj.thresholds}
        obj.information_management_in_scope = information_management_in_scope
        obj.thresholds = overrides
        obj.save()
        audit.record_change(user, workspace, AuditAction.UPDATE, workspace, before=before,
                            after={"informatiehuishouding": information_management_in_scope, "drempels": overrides})
    return obj


def record_evidence(user, workspace, layer: str, payload: dict | str, *, names: dict | None = None,
                    source: str = "") -> LayerEvidence:
    """Store the contract output of ``catalog compare`` (products) or ``processes compare`` (processes)
    for this workspace, with the mapping of its names to partners."""
    _require_manage(user, workspace)
    if layer not in ("products", "processes"):
        raise BadInput(f"Laag '{layer}': alleen 'products' en 'processes' hebben een opgeslagen vergelijking.")
    if isinstance(payload, (str, bytes)):
        try:
            payload = json.loads(payload)
        except ValueError as exc:
            raise BadInput(f"{source or 'bestand'}: geen geldige JSON ({exc}).") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("pairs"), list):
        raise BadInput(f"{source or 'bestand'}: verwacht de uitvoer van de vergelijking met een lijst 'pairs'.")
    key = "harmonisation_index" if layer == "products" else "dfg_similarity"
    for number, row in enumerate(payload["pairs"], 1):
        if not isinstance(row, dict) or not {"a", "b", key} <= set(row):
            raise BadInput(f"{source or 'bestand'}: paar {number} mist 'a', 'b' of '{key}'.")
    codes = set(workspace.partners.values_list("cbs_code", flat=True))
    for name, code in (names or {}).items():
        if code not in codes:
            raise BadInput(f"Naam '{name}': '{code}' is geen partner van dit samenwerkingsverband.")
    with transaction.atomic():
        evidence = LayerEvidence.objects.create(workspace=workspace, layer=layer, payload=payload,
                                                names=names or {}, source=source[:300])
        audit.record_change(user, workspace, AuditAction.IMPORT, evidence,
                            after={"laag": layer, "paren": len(payload["pairs"]), "bron": source})
    return evidence


def set_inhabitants(user, partner: Partner, inhabitants: int | None) -> PartnerFacts:
    _require_manage(user, partner.workspace)
    facts, _created = PartnerFacts.objects.update_or_create(partner=partner, defaults={"inhabitants": inhabitants})
    return facts


# ================================================================================= report


def report(workspace, fmt: str = "pdf", user=None) -> bytes:
    """The board report as PDF (PDF/A-3b, tagged) or HTML bytes."""
    from . import report as report_mod

    if fmt not in ("pdf", "html"):
        raise BadInput(f"Formaat '{fmt}': kies 'pdf' of 'html'.")
    return report_mod.render(workspace, fmt)


@register_job("diagnosis.measure")
def measure_job(progress, workspace_id, user_id=None) -> dict:
    from django.contrib.auth import get_user_model

    workspace = Workspace.objects.get(pk=workspace_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    progress.update(total=1, message="Meten")
    diagnosis = diagnose(workspace, save=True, user=user)
    progress.update(done=1, message=f"{len(diagnosis.findings)} bevindingen")
    from django.urls import reverse

    return {"findings": len(diagnosis.findings), "layers": diagnosis.index["layers"],
            "url": reverse("diagnosis:overview", args=[workspace.slug]), "url_label": "Bekijk de diagnose"}
