"""Process models (BPMN 2.0), activity matching across partners and the harmonised reference process.

The one entry point for views, API, CLI, jobs and the demo:

* ``import_model`` / ``start_model_import`` — a partner's BPMN file, stored as ``ProcessModel`` (atomic,
  idempotent: the same file under the same name changes nothing; audited). Files above
  ``INLINE_IMPORT_BYTES`` are imported by a background job.
* ``suggest_correspondences`` / ``decide_correspondence`` — activity matches between two models (or event
  logs), confirmed or rejected per row and stored as ``Correspondence`` (kind ``activiteit``).
* ``build_reference`` / ``start_reference_build`` / ``set_adopted`` — the reference process of a workspace
  from the partners' event logs and/or models, stored as ``ReferenceProcess`` with its BPMN export.
* ``match_bpmn_files`` — the ``harmonie processes match-activities`` contract (no database).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from harmonie.core.audit import record_change, record_import
from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.jobs import Progress, register_job, start_job
from harmonie.core.models import AuditAction, Partner, Workspace
from harmonie.core.permissions import can_edit_partner, can_manage

from ..analysis import matching
from ..analysis import reference as reference_analysis
from ..analysis.bpmn import BpmnModel
from ..importers.bpmn import parse_bpmn, parse_bpmn_file, sha256
from ..models import (
    Correspondence,
    CorrespondenceKind,
    CorrespondenceStatus,
    ProcessModel,
    ReferenceProcess,
)

__all__ = [
    "match_bpmn_files", "parse_model", "import_model", "start_model_import", "process_models", "model_for",
    "suggest_correspondences", "decide_correspondence", "log_sources", "build_reference",
    "start_reference_build", "set_adopted", "reference_bpmn", "reference_structure", "MODEL_IMPORT_JOB",
    "REFERENCE_JOB",
]

MODEL_IMPORT_JOB = "processes.bpmn_import"
REFERENCE_JOB = "processes.reference_build"
INLINE_IMPORT_BYTES = 2 * 1024 * 1024
OBJECT_TYPE = "processes.processmodel"


# --- the contract command -----------------------------------------------------------------------------------


def match_bpmn_files(path_a, path_b) -> list[matching.Match]:
    """``harmonie processes match-activities``: the proposed correspondences between two BPMN files."""
    model_a, model_b = parse_bpmn_file(path_a), parse_bpmn_file(path_b)
    for path, model in ((path_a, model_a), (path_b, model_b)):
        if not model.activities():
            raise BadInput(f"Bestand '{Path(path).name}': het model heeft geen taken, subprocessen of benoemde "
                           f"gebeurtenissen om te vergelijken.")
    return matching.match_activities(matching.ActivityModel.from_bpmn(model_a),
                                     matching.ActivityModel.from_bpmn(model_b))


# --- import per partner --------------------------------------------------------------------------------------


def parse_model(process_model: ProcessModel) -> BpmnModel:
    return parse_bpmn(process_model.bpmn_xml.encode("utf-8"), process_model.source_name or process_model.name)


def _check_partner(user, workspace: Workspace, partner: Partner):
    if partner.workspace_id != workspace.pk:
        raise BadInput(_("Deze partner hoort niet bij dit samenwerkingsverband."))
    if user is not None and not can_edit_partner(user, partner):
        raise NotAllowed(_("U mag alleen de gegevens van uw eigen gemeente importeren."))


@dataclass
class ModelImportResult:
    partner: str
    name: str
    status: str  # "toegevoegd", "gewijzigd", "ongewijzigd"
    model_id: int
    summary: dict

    def as_dict(self) -> dict:
        return {"partner": self.partner, "name": self.name, "status": self.status, "model_id": self.model_id,
                "summary": self.summary}

    @property
    def message(self) -> str:
        return _("Procesmodel '%(name)s' van %(partner)s: %(status)s (%(tasks)s taken, %(gateways)s gateways, "
                 "%(lanes)s lanes).") % {"name": self.name, "partner": self.partner, "status": self.status,
                                         "tasks": self.summary.get("taken", 0),
                                         "gateways": self.summary.get("gateways", 0),
                                         "lanes": self.summary.get("lanes", 0)}


def import_model(user, workspace: Workspace, partner: Partner, data: bytes, file_name: str, name: str = "",
                 progress: Progress | None = None) -> ModelImportResult:
    """Store (or replace) one BPMN model of ``partner``. The model's name is ``name``, else the process name in
    the file, else the file name without extension. Same name + same file → nothing changes."""
    progress = progress or Progress()
    _check_partner(user, workspace, partner)
    progress.update(done=0, total=2, message=_("%(p)s: BPMN lezen") % {"p": partner.name}, force=True)
    model = parse_bpmn(data, file_name)
    if not model.activities():
        raise BadInput(f"Bestand '{file_name}': het model heeft geen taken, subprocessen of benoemde gebeurtenissen.")
    text = _as_utf8_text(data, file_name)
    name = (name or model.name or Path(file_name).stem).strip()[:300]
    digest = sha256(data)
    summary = model.summary()
    with transaction.atomic():
        existing = ProcessModel.objects.select_for_update().filter(partner=partner, name=name).first()
        if existing is not None and existing.file_sha256 == digest:
            status, obj = "ongewijzigd", existing
        else:
            status = "gewijzigd" if existing else "toegevoegd"
            obj = existing or ProcessModel(workspace=workspace, partner=partner, name=name)
            obj.source_name, obj.file_sha256, obj.bpmn_xml, obj.summary = file_name[:500], digest, text, summary
            obj.save()
            record_import(user, workspace, object_type=OBJECT_TYPE, file_name=file_name, file_sha256=digest,
                          added=int(status == "toegevoegd"), changed=int(status == "gewijzigd"), removed=0,
                          object_repr=f"procesmodel {name} ({partner.name})")
    result = ModelImportResult(partner.name, name, status, obj.pk, {k: v for k, v in summary.items()
                                                                   if k != "activiteiten"})
    progress.update(done=2, message=result.message, force=True)
    return result


def _as_utf8_text(data: bytes, file_name: str) -> str:
    """The XML as text, stored as UTF-8: decoded by its byte-order mark or declaration, with the declaration's
    encoding set to UTF-8 (so a UTF-16 or Latin-1 upload parses the same way again later)."""
    import re

    from harmonie.reference.importers.base import decode

    head = data[:200].decode("ascii", errors="ignore")
    declared = re.search(r'encoding=["\']([A-Za-z0-9._-]+)["\']', head)
    text = None
    if declared and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        try:
            text = data.decode(declared.group(1))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text, _encoding = decode(data, file_name)
    text = text.lstrip("\ufeff")
    return re.sub(r'^(<\?xml[^>]*?encoding=)["\'][A-Za-z0-9._-]+["\']', r'\1"UTF-8"', text, count=1)


def _upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_model_import(user, workspace: Workspace, partner: Partner, data: bytes, file_name: str, name: str = ""):
    """Web/API entry: small files are imported at once (returns ``ModelImportResult``), large ones by a
    background job (returns the ``Job``). Permission is checked now and again in the job."""
    _check_partner(user, workspace, partner)
    if not data:
        raise BadInput(f"Bestand '{file_name}' is leeg.")
    max_bytes = int(getattr(settings, "HARMONIE_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))
    if len(data) > max_bytes:
        raise BadInput(f"Bestand '{file_name}' is te groot ({len(data)} bytes; maximaal {max_bytes} bytes).")
    if len(data) <= INLINE_IMPORT_BYTES:
        return import_model(user, workspace, partner, data, file_name, name)
    stored = _upload_dir() / f"bpmn-{uuid.uuid4().hex}.bpmn"
    stored.write_bytes(data)
    return start_job(MODEL_IMPORT_JOB, label=f"Procesmodel {partner.name} ({file_name})",
                     params={"path": str(stored), "file_name": file_name, "name": name, "partner_id": partner.pk,
                             "user_id": getattr(user, "pk", None)}, workspace=workspace, user=user)


def _job_user(user_id):
    if not user_id:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=user_id).first()


@register_job(MODEL_IMPORT_JOB)
def model_import_job(progress, path, file_name, partner_id, name="", user_id=None) -> dict:
    partner = Partner.objects.select_related("workspace").filter(pk=partner_id).first()
    stored = Path(path)
    if partner is None or not stored.is_file():
        raise BadInput(_("Het geüploade bestand of de partner is niet meer aanwezig; upload het opnieuw."))
    try:
        result = import_model(_job_user(user_id), partner.workspace, partner, stored.read_bytes(), file_name, name,
                              progress=progress)
    finally:
        stored.unlink(missing_ok=True)
    from django.urls import reverse

    return {**result.as_dict(), "url": reverse("processes:models", args=[partner.workspace.slug]),
            "url_label": _("Naar de procesmodellen")}


def process_models(workspace: Workspace, partner: Partner | None = None):
    qs = ProcessModel.objects.filter(workspace=workspace).select_related("partner")
    return qs.filter(partner=partner) if partner is not None else qs


def model_for(workspace: Workspace, model_id) -> ProcessModel | None:
    try:
        return process_models(workspace).filter(pk=int(model_id)).first()
    except (TypeError, ValueError):
        return None


# --- activity matching ---------------------------------------------------------------------------------------


def log_sources(workspace: Workspace) -> list:
    """The workspace's event logs (H6's ``list_event_logs``), or [] when that part is not there."""
    from . import logs as log_services

    lister = getattr(log_services, "list_event_logs", None)
    return list(lister(workspace)) if lister else []


def _log_sequences(event_log, limit_cases: int | None = None) -> list[tuple[tuple[str, ...], int]]:
    import polars as pl

    from . import logs as log_services

    frame = log_services.load_events(event_log)
    frame = frame.with_row_index("_order").sort(["case_id", "timestamp", "_order"])
    grouped = frame.group_by("case_id", maintain_order=True).agg(pl.col("activity"))
    if limit_cases:
        grouped = grouped.head(limit_cases)
    return list(Counter(tuple(a) for a in grouped["activity"].to_list()).items())


def _activity_model(source) -> matching.ActivityModel:
    if isinstance(source, ProcessModel):
        return matching.ActivityModel.from_bpmn(parse_model(source))
    sequences = [list(trace) for trace, _count in _log_sequences(source, limit_cases=5000)]
    return matching.ActivityModel.from_sequences(sequences)


def _context(a, b) -> str:
    """Where a correspondence holds: the two models (or logs) it was made for, e.g. ``bpmn:3~bpmn:7``."""
    def kind(x):
        return "bpmn" if isinstance(x, ProcessModel) else "log"

    return f"{kind(a)}:{a.pk}~{kind(b)}:{b.pk}"


def suggest_correspondences(workspace: Workspace, source_a, source_b) -> list[dict]:
    """The matcher's proposals between two models (or two event logs) of different partners, with the stored
    decision per row; confirmed rows the matcher did not propose are listed too."""
    if source_a.workspace_id != workspace.pk or source_b.workspace_id != workspace.pk:
        raise BadInput(_("Kies twee modellen van dit samenwerkingsverband."))
    context = _context(source_a, source_b)
    stored = {(c.a_key, c.b_key): c for c in Correspondence.objects.filter(
        workspace=workspace, kind=CorrespondenceKind.ACTIVITY, context=context)}
    rows = []
    for m in matching.match_activities(_activity_model(source_a), _activity_model(source_b)):
        decision = stored.pop((m.a_id, m.b_id), None)
        rows.append({"a_key": m.a_id, "a_label": m.a_label, "b_key": m.b_id, "b_label": m.b_label,
                     "score": m.score, "status": decision.status if decision else "", "id": decision.pk
                     if decision else None})
    for c in stored.values():
        rows.append({"a_key": c.a_key, "a_label": c.a_label, "b_key": c.b_key, "b_label": c.b_label,
                     "score": c.score, "status": c.status, "id": c.pk})
    return rows


def decide_correspondence(user, workspace: Workspace, source_a, source_b, a_key: str, b_key: str, decision: str,
                          a_label: str = "", b_label: str = "", score: float | None = None) -> Correspondence:
    """Confirm or reject 'activity a_key of A is b_key of B'. Allowed for the coördinator and the
    contributors of either partner."""
    if decision not in (CorrespondenceStatus.CONFIRMED, CorrespondenceStatus.REJECTED):
        raise BadInput(_("Kies bevestigen of afwijzen."))
    if source_a.workspace_id != workspace.pk or source_b.workspace_id != workspace.pk:
        raise BadInput(_("Kies twee modellen van dit samenwerkingsverband."))
    if user is not None and not (can_edit_partner(user, source_a.partner) or can_edit_partner(user, source_b.partner)):
        raise NotAllowed(_("U mag alleen overeenkomsten bevestigen waarbij uw eigen gemeente betrokken is."))
    if not a_key or not b_key:
        raise BadInput(_("Geef de twee activiteiten op."))
    context = _context(source_a, source_b)
    with transaction.atomic():
        obj = Correspondence.objects.select_for_update().filter(
            workspace=workspace, kind=CorrespondenceKind.ACTIVITY, context=context, a_partner=source_a.partner,
            a_key=a_key[:500], b_partner=source_b.partner, b_key=b_key[:500]).first()
        before = {"status": obj.status} if obj else None
        if obj is None:
            obj = Correspondence(workspace=workspace, kind=CorrespondenceKind.ACTIVITY, context=context,
                                 a_partner=source_a.partner, a_key=a_key[:500], b_partner=source_b.partner,
                                 b_key=b_key[:500])
        obj.a_label = (a_label or obj.a_label or a_key)[:500]
        obj.b_label = (b_label or obj.b_label or b_key)[:500]
        if score is not None:
            obj.score = score
        obj.status = decision
        obj.confirmed_by = user if getattr(user, "is_authenticated", False) else None
        obj.save()
        record_change(user, workspace, AuditAction.UPDATE if before else AuditAction.CREATE, obj, before=before,
                      after={"status": obj.status, "a": obj.a_label, "b": obj.b_label})
    return obj


# --- reference process ---------------------------------------------------------------------------------------


def _canonical_names(workspace: Workspace, items: list[tuple[str, str, str]]) -> dict[tuple[str, str], str]:
    """(partner name, key) → shared activity name, merging confirmed correspondences (union-find) and equal
    labels (case, spacing and accents ignored). ``items`` are (partner name, key, label)."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}
    label_of = {(p, k): lab for p, k, lab in items}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x, y):
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    by_label: dict[str, tuple[str, str]] = {}
    for p, k, lab in items:
        norm = " ".join(matching.tokenize(lab)) or lab
        if norm in by_label:
            union(by_label[norm], (p, k))
        else:
            by_label[norm] = (p, k)
            find((p, k))
    for c in Correspondence.objects.filter(workspace=workspace, kind=CorrespondenceKind.ACTIVITY,
                                           status=CorrespondenceStatus.CONFIRMED).select_related("a_partner",
                                                                                                 "b_partner"):
        x, y = (c.a_partner.name, c.a_key), (c.b_partner.name, c.b_key)
        if x in label_of and y in label_of:
            union(x, y)
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for key in label_of:
        groups.setdefault(find(key), []).append(key)
    names = {}
    for members in groups.values():
        # the label used by most partners, then the shortest, names the shared activity
        counts = Counter(label_of[m] for m in members)
        name = sorted(counts, key=lambda lab: (-counts[lab], len(lab), lab))[0]
        for m in members:
            names[m] = name
    return names


def _behaviours(workspace: Workspace, source: str, progress: Progress, only: list[str] | None = None
                ) -> tuple[list, str]:
    logs = log_sources(workspace) if source in ("auto", "logs") else []
    models = list(process_models(workspace)) if source in ("auto", "models") else []
    if only:
        wanted = set(only)
        logs = [log for log in logs if f"log:{log.pk}" in wanted]
        models = [m for m in models if f"bpmn:{m.pk}" in wanted]
    if source == "auto" and logs:
        with_logs = {log.partner_id for log in logs}
        models = [m for m in models if m.partner_id not in with_logs]
    raw = []  # (partner name, kind, payload)
    progress.update(done=0, total=len(logs) + len(models), message=_("Gegevens van de partners lezen"), force=True)
    for log in logs:
        raw.append((log.partner.name, "log", _log_sequences(log)))
        progress.advance()
    for model in models:
        raw.append((model.partner.name, "model", parse_model(model)))
        progress.advance()
    items = []
    for partner, kind, payload in raw:
        if kind == "log":
            acts = {a for trace, _c in payload for a in trace}
            items += [(partner, a, a) for a in acts]
        else:
            items += [(partner, n.id, n.label or n.id) for n in payload.activities()]
    names = _canonical_names(workspace, items)
    merged: dict[str, reference_analysis.Behaviour] = {}
    for partner, kind, payload in raw:
        behaviour = merged.setdefault(partner, reference_analysis.Behaviour(partner))
        if kind == "log":
            for trace, count in payload:
                behaviour.traces.append((tuple(names[(partner, a)] for a in trace), count))
        else:
            graph = payload.activity_graph()
            for node, targets in graph.items():
                behaviour.graph.setdefault(names[(partner, node)], set()).update(names[(partner, t)] for t in targets)
            for node, pos in payload.positions().items():
                behaviour.positions[names[(partner, node)]] = pos
    kinds = sorted({"logs" if k == "log" else "models" for _p, k, _x in raw})
    return list(merged.values()), "+".join(kinds)


def build_reference(user, workspace: Workspace, name: str = "", *, source: str = "auto", reference=None,
                    only: list[str] | None = None, progress: Progress | None = None,
                    **parameters) -> ReferenceProcess:
    """Compute the reference process from the workspace's event logs and/or models and store it (a new one, or
    ``reference`` updated). ``source``: "auto" (logs where a partner has them, else its models), "logs" or
    "models"; ``only``: just these sources ("bpmn:ID", "log:ID"; e.g. the models of one process when partners
    have several). When updating without ``only``, the selection stored with the reference is used again.
    Coördinator only."""
    progress = progress or Progress()
    if user is not None and not can_manage(user, workspace):
        raise NotAllowed(_("Alleen de coördinator van dit samenwerkingsverband mag een referentieproces maken."))
    if source not in ("auto", "logs", "models"):
        raise BadInput(_("Onbekende bron '%(s)s'; kies auto, logs of models.") % {"s": source})
    if only is None and reference is not None:
        only = (reference.model or {}).get("parameters", {}).get("sources") or None
    behaviours, kinds = _behaviours(workspace, source, progress, only)
    if not behaviours:
        raise BadInput(_("Er zijn nog geen logboeken of procesmodellen van partners in dit samenwerkingsverband; "
                         "importeer die eerst."))
    progress.update(message=_("Kern en varianten bepalen"), force=True)
    model = reference_analysis.build_reference(behaviours, source=kinds, **parameters)
    model["parameters"]["sources"] = sorted(only) if only else []
    name = (name or (reference.name if reference else "") or _("Referentieproces %(w)s") % {"w": workspace.name})
    xml = reference_analysis.to_bpmn(model, name[:200])
    with transaction.atomic():
        if reference is not None:
            if reference.workspace_id != workspace.pk:
                raise BadInput(_("Dit referentieproces hoort niet bij dit samenwerkingsverband."))
            before = {"name": reference.name, "steps": len(reference.model.get("steps", [])),
                      "variants": len(reference.model.get("variants", []))}
            obj = reference
            obj.name, obj.model, obj.bpmn_xml = name[:300], model, xml
            obj.save()
            record_change(user, workspace, AuditAction.UPDATE, obj, before=before,
                          after={"name": obj.name, "steps": len(model["steps"]), "variants": len(model["variants"])})
        else:
            obj = ReferenceProcess.objects.create(workspace=workspace, name=name[:300], model=model, bpmn_xml=xml,
                                                  created_by=user if getattr(user, "is_authenticated", False)
                                                  else None)
            record_change(user, workspace, AuditAction.CREATE, obj,
                          after={"name": obj.name, "steps": len(model["steps"]), "variants": len(model["variants"])})
    progress.update(message=_("Referentieproces '%(n)s': %(s)s stappen in de kern, %(v)s variant(en).")
                    % {"n": obj.name, "s": len(model["steps"]), "v": len(model["variants"])}, force=True)
    return obj


def start_reference_build(user, workspace: Workspace, name: str = "", source: str = "auto", reference=None,
                          only: list[str] | None = None):
    if user is not None and not can_manage(user, workspace):
        raise NotAllowed(_("Alleen de coördinator van dit samenwerkingsverband mag een referentieproces maken."))
    return start_job(REFERENCE_JOB, label=_("Referentieproces bepalen"),
                     params={"workspace_id": workspace.pk, "name": name, "source": source, "only": only or None,
                             "reference_id": reference.pk if reference else None,
                             "user_id": getattr(user, "pk", None)}, workspace=workspace, user=user)


@register_job(REFERENCE_JOB)
def reference_job(progress, workspace_id, name="", source="auto", reference_id=None, user_id=None,
                  only=None) -> dict:
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        raise BadInput(_("Het samenwerkingsverband bestaat niet meer."))
    reference = ReferenceProcess.objects.filter(pk=reference_id, workspace=workspace).first() if reference_id else None
    obj = build_reference(_job_user(user_id), workspace, name, source=source, reference=reference, only=only,
                          progress=progress)
    from django.urls import reverse

    return {"reference_id": obj.pk, "steps": len(obj.model.get("steps", [])),
            "variants": len(obj.model.get("variants", [])),
            # the job page links to the result (Job.result["url"], optional "url_label")
            "url": reverse("processes:reference", args=[workspace.slug, obj.pk]),
            "url_label": _("Naar het referentieproces %(n)s") % {"n": obj.name}}


def set_adopted(user, reference: ReferenceProcess, adopted: bool) -> ReferenceProcess:
    if user is not None and not can_manage(user, reference.workspace):
        raise NotAllowed(_("Alleen de coördinator van dit samenwerkingsverband mag een referentieproces vaststellen."))
    with transaction.atomic():
        before = {"adopted": reference.adopted}
        reference.adopted = bool(adopted)
        reference.save(update_fields=["adopted", "updated_at"])
        record_change(user, reference.workspace, AuditAction.UPDATE, reference, before=before,
                      after={"adopted": reference.adopted})
    return reference


def reference_bpmn(reference: ReferenceProcess) -> str:
    """The stored BPMN export (made again from the model when it is missing)."""
    return reference.bpmn_xml or reference_analysis.to_bpmn(reference.model, reference.name)


def reference_structure(reference: ReferenceProcess) -> dict:
    """Core and variants for the page and the API: step labels resolved in the flows."""
    model = reference.model or {}

    def flows(items, steps):
        labels = {s["id"]: s["label"] for s in steps}
        return [{**f, "source_label": labels.get(f["source"], f["source"]),
                 "target_label": labels.get(f["target"], f["target"])} for f in items]

    def steps_with_next(steps, items):
        labels = {s["id"]: s["label"] for s in steps}
        return [{**s, "next": [labels.get(f["target"], f["target"]) for f in items if f["source"] == s["id"]]}
                for s in steps]

    return {
        "partners": model.get("partners", []),
        "source": model.get("source", ""),
        "steps": steps_with_next(model.get("steps", []), model.get("flows", [])),
        "flows": flows(model.get("flows", []), model.get("steps", [])),
        "variants": [{**v, "steps": steps_with_next(v.get("steps", []), v.get("flows", [])),
                      "flows": flows(v.get("flows", []), v.get("steps", []))} for v in model.get("variants", [])],
        "similarity": [{"partner": p, "values": [model.get("similarity", {}).get(p, {}).get(q)
                                                  for q in model.get("partners", [])]}
                       for p in model.get("partners", []) if p in model.get("similarity", {})],
    }
