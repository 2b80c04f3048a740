"""The one entry point for the Werkprocessen layer: CLI, web views, API and jobs call these.

``compare_logs`` reads several event logs (XES, XES.gz, CSV, Parquet), computes
per-log figures and the pairwise comparison, and returns the ``summary.json``
structure of ``harmonie processes compare``. It writes nothing: callers decide
where the result goes (the CLI writes it atomically).

Speed: XES parsing is CPU-bound Python (a SAX callback per element), so with
two or more large XES logs they are parsed in worker processes (``spawn``; one
per core, largest first) while this process imports polars and computes the
figures of the logs already parsed. CSV and Parquet are read in this process:
polars is multi-threaded already. Set ``HARMONIE_PROCESS_WORKERS=1`` to parse
everything in-process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from harmonie.core.errors import BadInput

# Parallel parsing pays off from about this much (uncompressed) XML in total.
PARALLEL_MIN_BYTES = 16 * 1024 * 1024
GZIP_RATIO = 20  # rough uncompressed/compressed size of XES


def _estimated_xml_bytes(path: Path) -> int:
    size = path.stat().st_size
    return size * GZIP_RATIO if path.name.lower().endswith(".gz") else size


def _worker_count(xes_paths) -> int:
    configured = os.environ.get("HARMONIE_PROCESS_WORKERS")
    if configured:
        try:
            limit = max(1, int(configured))
        except ValueError:
            limit = 1
    else:
        limit = os.cpu_count() or 1
    if len(xes_paths) < 2 or limit < 2:
        return 0
    if sum(_estimated_xml_bytes(p) for p in xes_paths) < PARALLEL_MIN_BYTES:
        return 0
    return min(limit, len(xes_paths))


def _check_paths(paths) -> list:
    from ..analysis.names import log_format, log_name

    if not paths:
        raise BadInput("Geef minstens één logboek op.")
    result, names = [], {}
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise BadInput(f"{raw}: bestand niet gevonden.")
        log_format(path)  # raises BadInput for unknown types
        name = log_name(path)
        if name in names:
            raise BadInput(
                f"{raw}: de naam '{name}' komt al voor ({names[name]}). Geef de logboeken verschillende bestandsnamen."
            )
        names[name] = raw
        result.append(path)
    return result


def analyse_logs(paths, progress=None, with_variant_counts: bool = False) -> list:
    """Return a ``LogStats`` per path, in the order given. Raises ``BadInput``."""
    paths = _check_paths(paths)
    from ..analysis.names import log_format

    xes = [p for p in paths if log_format(p) == "xes"]
    workers = _worker_count(xes)
    if progress is not None:
        progress.update(done=0, total=len(paths), message="Logboeken lezen")
    results = {}
    if workers:
        from concurrent.futures.process import BrokenProcessPool

        try:
            results = _analyse_parallel(paths, xes, workers, progress, with_variant_counts)
        except BrokenProcessPool:
            # e.g. a caller whose main module cannot be re-imported by "spawn": do the work here instead
            workers = 0
            if progress is not None:
                progress.update(done=0, total=len(paths))
    if not workers:
        from ..analysis.pipeline import analyse_log

        for path in paths:
            results[path] = analyse_log(path, with_variant_counts=with_variant_counts)
            if progress is not None:
                progress.advance(message=f"{path.name} gelezen")
    return [results[p] for p in paths]


def _analyse_parallel(paths, xes, workers, progress, with_variant_counts) -> dict:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from ..analysis.xes import read_xes_columns

    results = {}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = {
            pool.submit(read_xes_columns, p, p.name): p
            for p in sorted(xes, key=lambda p: p.stat().st_size, reverse=True)
        }
        try:
            # Meanwhile: import polars and do the non-XES logs here.
            from ..analysis.metrics import compute_stats
            from ..analysis.pipeline import analyse_log
            from ..analysis.names import log_name
            from ..analysis.readers import frame_from_xes_columns

            for path in paths:
                if path not in xes:
                    results[path] = analyse_log(path, with_variant_counts=with_variant_counts)
                    if progress is not None:
                        progress.advance(message=f"{path.name} gelezen")
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    path = pending.pop(future)
                    df = frame_from_xes_columns(future.result(), path.name)
                    results[path] = compute_stats(df, log_name(path), with_variant_counts=with_variant_counts)
                    if progress is not None:
                        progress.advance(message=f"{path.name} gelezen")
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    return results


def compare_logs(paths, progress=None) -> dict:
    """The ``summary.json`` structure of ``harmonie processes compare`` for these logs."""
    stats = analyse_logs(paths, progress=progress)
    from ..analysis.metrics import compare

    return compare(stats)


# --- event logs per partner in a workspace --------------------------------------------------------------------
# (the import job, the workspace comparison and the pages build on these; H5's reference process uses
# ``list_event_logs`` and ``load_events``)


def data_root() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR)


def event_log_file(event_log) -> Path:
    """Absolute path of the log's Parquet file (``parquet_path`` is relative to ``HARMONIE_DATA_DIR``)."""
    return data_root() / event_log.parquet_path


def list_event_logs(workspace):
    """The workspace's imported event logs, per partner (partner name, then log name)."""
    from ..models import EventLog

    return EventLog.objects.filter(workspace=workspace).select_related("partner").order_by("partner__name", "name")


def load_events(event_log, columns=("case_id", "activity", "timestamp")):
    """The log's events as a polars frame: ``case_id`` (str), ``activity`` (str), ``timestamp``
    (Datetime[us, UTC]), in file order (the order of the imported file; not sorted). Pseudonymised person
    columns are not returned unless asked for by name in ``columns``."""
    import polars as pl

    path = event_log_file(event_log)
    if not path.is_file():
        raise BadInput(f"Het gegevensbestand van logboek '{event_log.name}' ontbreekt; importeer het opnieuw.")
    return pl.read_parquet(path, columns=list(columns))


# --- import per partner (background job) -------------------------------------------------------------------------

IMPORT_JOB = "processes.eventlog_import"
OBJECT_TYPE = "processes.eventlog"
MAPPING_KIND = "eventlog"
UPLOAD_DIR = "uploads/eventlogs"


def _settings(name, default):
    from django.conf import settings

    return getattr(settings, name, default)


def best_thresholds() -> dict:
    """Minimum observations per partner per step for "best performer" (settings
    ``HARMONIE_PROCESS_BEST_MIN_CASES``, default 10, and ``HARMONIE_PROCESS_BEST_MIN_SHARE``, default 0.05)."""
    from ..analysis.performance import BEST_MIN_CASES, BEST_MIN_SHARE

    return {"min_count": int(_settings("HARMONIE_PROCESS_BEST_MIN_CASES", BEST_MIN_CASES)),
            "min_share": float(_settings("HARMONIE_PROCESS_BEST_MIN_SHARE", BEST_MIN_SHARE))}


def max_bytes() -> int:
    return int(_settings("HARMONIE_EVENTLOG_MAX_BYTES", 1024 * 1024 * 1024))


def person_fields() -> list:
    from ..importers.logs import PERSON_FIELDS

    return list(_settings("HARMONIE_EVENTLOG_PERSON_FIELDS", PERSON_FIELDS))


def pseudonymiser(workspace):
    """The keyed hash of ``workspace``: key from ``HARMONIE_PSEUDONYM_KEY`` (else derived from SECRET_KEY),
    salted per workspace, so pseudonyms of different workspaces cannot be linked."""
    import hashlib
    import hmac

    from django.conf import settings

    from ..importers.logs import Pseudonymiser

    secret = (_settings("HARMONIE_PSEUDONYM_KEY", "") or "harmonie-pseudonym:" + settings.SECRET_KEY).encode()
    key = hmac.new(secret, f"workspace:{workspace.pk}".encode(), hashlib.sha256).digest()
    return Pseudonymiser(key)


def _check_partner(user, workspace, partner):
    from django.utils.translation import gettext as _

    from harmonie.core.errors import NotAllowed
    from harmonie.core.permissions import can_edit_partner

    if partner.workspace_id != workspace.pk:
        raise BadInput(_("Deze partner hoort niet bij dit samenwerkingsverband."))
    if user is not None and not can_edit_partner(user, partner):
        raise NotAllowed(_("U mag alleen de logboeken van uw eigen gemeente importeren."))


def sha256_file(path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def saved_mapping(partner) -> dict:
    from harmonie.core.models import ImportColumnMapping

    row = ImportColumnMapping.objects.filter(partner=partner, kind=MAPPING_KIND).first()
    return dict(row.mapping) if row else {}


def needs_mapping(file_name: str) -> bool:
    from ..importers.logs import upload_format

    return upload_format(file_name) != "xes"


def store_upload(user, workspace, partner, uploaded, file_name: str) -> str:
    """Keep an uploaded file (Django ``UploadedFile`` or bytes) until its import job ran; returns a token.
    Refuses files over the size limit before writing anything."""
    import json
    import uuid

    from ..importers.logs import upload_format

    _check_partner(user, workspace, partner)
    file_name = Path(file_name).name[:200]
    upload_format(file_name)  # unknown type → BadInput
    size = len(uploaded) if isinstance(uploaded, (bytes, bytearray)) else uploaded.size
    if not size:
        raise BadInput(f"{file_name}: het bestand is leeg.")
    limit = max_bytes()
    if size > limit:
        raise BadInput(f"{file_name}: het bestand is {size // (1024 * 1024)} MB; de grens is "
                       f"{limit // (1024 * 1024)} MB (instelling HARMONIE_EVENTLOG_MAX_BYTES).")
    token = uuid.uuid4().hex
    folder = data_root() / UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{token}{_upload_suffix(file_name)}"
    tmp = folder / f"{token}.part"
    with open(tmp, "wb") as handle:
        if isinstance(uploaded, (bytes, bytearray)):
            handle.write(uploaded)
        else:
            for chunk in uploaded.chunks():
                handle.write(chunk)
    os.replace(tmp, target)
    meta = {"workspace": workspace.pk, "partner": partner.pk, "file_name": file_name,
            "user": getattr(user, "pk", None)}
    (folder / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def upload_info(workspace, token: str) -> dict:
    """The metadata of a stored upload of this workspace (``BadInput`` when unknown)."""
    import json
    import re

    if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
        raise BadInput("Onbekende upload.")
    meta_path = data_root() / UPLOAD_DIR / f"{token}.json"
    if not meta_path.is_file():
        raise BadInput("Het geüploade bestand is niet meer aanwezig; upload het opnieuw.")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("workspace") != workspace.pk:
        raise BadInput("Onbekende upload.")
    meta["path"] = data_root() / UPLOAD_DIR / f"{token}{_upload_suffix(meta['file_name'])}"
    return meta


def _upload_suffix(file_name: str) -> str:
    """``.upload`` plus the file's own (sanitised) extensions, so readers that look at them still work."""
    import re

    suffixes = "".join(Path(file_name).suffixes[-2:]).lower()
    return ".upload" + (suffixes if re.fullmatch(r"(\.[a-z0-9]{1,8}){1,2}", suffixes) else "")


def upload_headers(workspace, token: str) -> list:
    from ..importers.logs import table_headers

    meta = upload_info(workspace, token)
    return table_headers(meta["path"], meta["file_name"])


def discard_upload(token: str) -> None:
    import re

    if re.fullmatch(r"[0-9a-f]{32}", token or ""):
        for path in (data_root() / UPLOAD_DIR).glob(f"{token}.*"):
            path.unlink(missing_ok=True)


def start_log_import(user, workspace, partner, token: str, mapping: dict | None = None):
    """Start the import job of a stored upload (web UI, API). Permission is checked now and in the job."""
    from harmonie.core.jobs import start_job

    _check_partner(user, workspace, partner)
    meta = upload_info(workspace, token)
    if meta["partner"] != partner.pk:
        raise BadInput("Deze upload hoort bij een andere partner.")
    return start_job(IMPORT_JOB, label=f"Eventlog {partner.name} ({meta['file_name']})",
                     params={"token": token, "partner_id": partner.pk, "mapping": mapping or {},
                             "user_id": getattr(user, "pk", None)},
                     workspace=workspace, user=user)


def _job_user(user_id):
    if not user_id:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=user_id).first()


def import_log_job(progress, token, partner_id, mapping=None, user_id=None) -> dict:
    """Background job: import one stored upload (all or nothing); the upload is removed afterwards."""
    from harmonie.core.models import Partner

    partner = Partner.objects.select_related("workspace").get(pk=partner_id)
    meta = upload_info(partner.workspace, token)
    try:
        result = import_event_log(_job_user(user_id), partner.workspace, partner, meta["path"], meta["file_name"],
                                  mapping=mapping or None, progress=progress)
    finally:
        discard_upload(token)
    return result


def _register_job():
    from harmonie.core.jobs import register_job

    register_job(IMPORT_JOB)(import_log_job)


_register_job()


def _log_url(event_log) -> str:
    """The log's page, for ``Job.result["url"]`` (the job page links to the result)."""
    from django.urls import reverse

    return reverse("processes:log", kwargs={"slug": event_log.workspace.slug, "log_id": event_log.pk})


def activity_labels(workspace, logs=None) -> dict:
    """activity code → display label over the given logs (default: all of the workspace), from the labels kept
    at import (``EventLog.stats["labels"]``, e.g. BPIC's ``activityNameNL``)."""
    out = {}
    for log in (logs if logs is not None else list_event_logs(workspace)):
        for code, label in ((log.stats or {}).get("labels") or {}).items():
            out.setdefault(code, label)
    return out


def import_event_log(user, workspace, partner, path, file_name: str, *, mapping: dict | None = None,
                     progress=None) -> dict:
    """Import one event-log file of ``partner``: read, check, pseudonymise, write the Parquet file (temp file,
    then rename), then the ``EventLog`` row and the audit entry in one transaction. Idempotent: the same file
    (SHA-256) again changes nothing; a new file with the same name replaces that log. Returns a summary dict."""
    from django.db import transaction

    from harmonie.core.audit import record_import
    from harmonie.core.jobs import Progress
    from harmonie.core.models import ImportColumnMapping

    from ..analysis.names import log_name
    from ..analysis.performance import profile
    from ..importers.logs import read_upload, upload_format
    from ..models import EventLog

    progress = progress or Progress()
    _check_partner(user, workspace, partner)
    path = Path(path)
    file_name = Path(file_name).name
    name = log_name(file_name)[:300]
    progress.update(done=0, total=4, message=f"{partner.name}: {file_name} controleren", force=True)
    sha = sha256_file(path)
    existing = EventLog.objects.filter(partner=partner, file_sha256=sha).first()
    if existing is not None:
        progress.update(done=4, message=f"{file_name} was al geïmporteerd; niets gewijzigd.", force=True)
        return {"event_log": existing.pk, "name": existing.name, "status": "unchanged", "events": existing.events,
                "url": _log_url(existing), "url_label": f"Naar logboek {existing.name}"}
    progress.update(done=1, message=f"{partner.name}: {file_name} lezen", force=True)
    parsed = read_upload(path, file_name, pseudonymiser=pseudonymiser(workspace), mapping=mapping,
                         person_fields=person_fields(), max_bytes=max_bytes())
    progress.update(done=2, message=f"{partner.name}: kengetallen berekenen", force=True)
    stats = profile(parsed.frame)
    stats.update({"format": parsed.format, "duplicate_events": parsed.duplicate_events,
                  "cases_out_of_order": parsed.cases_out_of_order, "file_bytes": path.stat().st_size,
                  "labels": parsed.labels})
    progress.update(done=3, message=f"{partner.name}: opslaan", force=True)
    relative = f"eventlogs/w{workspace.pk}/p{partner.pk}/{sha}.parquet"
    target = data_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{sha}.{os.getpid()}.tmp")
    created_file = not target.exists()
    try:
        parsed.frame.write_parquet(tmp, compression="zstd", statistics=True)
        os.replace(tmp, target)
        import datetime as dt

        with transaction.atomic():
            log = EventLog.objects.select_for_update().filter(partner=partner, name=name).first()
            old_path = log.parquet_path if log is not None else None
            values = {
                "workspace": workspace, "source_name": file_name[:500], "file_sha256": sha,
                "parquet_path": relative, "cases": stats["cases"], "events": stats["events"],
                "activities": stats["activities"], "variants": stats["variants"],
                "first_event": dt.datetime.fromisoformat(stats["first_event"]),
                "last_event": dt.datetime.fromisoformat(stats["last_event"]),
                "pseudonymised_columns": parsed.person_columns, "stats": stats,
            }
            if log is None:
                log = EventLog.objects.create(partner=partner, name=name,
                                              created_by=user if getattr(user, "is_authenticated", False) else None,
                                              job_id=getattr(progress, "job_id", None), **values)
                added, changed = 1, 0
            else:
                for key, value in values.items():
                    setattr(log, key, value)
                log.job_id = getattr(progress, "job_id", None) or log.job_id
                log.save()
                added, changed = 0, 1
            if upload_format(file_name) != "xes":
                from ..importers.logs import resolve_mapping, table_headers

                used = resolve_mapping(table_headers(path, file_name), mapping, file_name)
                ImportColumnMapping.objects.update_or_create(partner=partner, kind=MAPPING_KIND,
                                                             defaults={"mapping": used})
            record_import(user, workspace, object_type=OBJECT_TYPE, file_name=file_name, file_sha256=sha,
                          added=added, changed=changed, removed=0,
                          object_repr=f"eventlog {name} ({partner.name})")
            if old_path and old_path != relative:
                transaction.on_commit(lambda: (data_root() / old_path).unlink(missing_ok=True))
    except BaseException:
        tmp.unlink(missing_ok=True)
        if created_file:
            target.unlink(missing_ok=True)
        raise
    _forget_comparisons(workspace)
    message = f"{name}: {stats['events']} gebeurtenissen in {stats['cases']} zaken geïmporteerd"
    if parsed.duplicate_events:
        message += f" (waarvan {parsed.duplicate_events} dubbele gebeurtenissen: zelfde zaak, activiteit en tijdstip)"
    progress.update(done=4, message=message + ".", force=True)
    return {"event_log": log.pk, "name": name, "status": "added" if added else "replaced", "events": stats["events"],
            "url": _log_url(log), "url_label": f"Naar logboek {name}",
            "cases": stats["cases"], "duplicate_events": parsed.duplicate_events,
            "pseudonymised_columns": parsed.person_columns}


def delete_event_log(user, event_log) -> None:
    from django.db import transaction

    from harmonie.core.audit import record_deletion

    _check_partner(user, event_log.workspace, event_log.partner)
    path = event_log_file(event_log)
    workspace = event_log.workspace
    with transaction.atomic():
        record_deletion(user, workspace, object_type=OBJECT_TYPE, object_id=event_log.pk,
                        object_repr=f"eventlog {event_log.name} ({event_log.partner.name})", removed=1)
        event_log.delete()
        transaction.on_commit(lambda: path.unlink(missing_ok=True))
    _forget_comparisons(workspace)


# --- comparison between partners in a workspace -------------------------------------------------------------

CACHE_SECONDS = 24 * 3600
# Bumped when the figures' definitions change, so cached comparisons of an older definition are not shown.
FIGURES_VERSION = 2


def _cache_version_key(workspace) -> str:
    return f"harmonie:processes:logs:w{workspace.pk}:version"


def _forget_comparisons(workspace) -> None:
    from django.core.cache import cache

    try:
        cache.incr(_cache_version_key(workspace))
    except ValueError:
        cache.set(_cache_version_key(workspace), 1, None)


def _cached(workspace, key: str, compute):
    """Comparisons are cached per workspace; any import or deletion of a log there invalidates them."""
    from django.core.cache import cache

    version = cache.get(_cache_version_key(workspace))
    if version is None:
        version = 1
        cache.set(_cache_version_key(workspace), version, None)
    logs = ";".join(f"{log.pk}:{log.file_sha256}" for log in list_event_logs(workspace))
    import hashlib

    full = "harmonie:processes:logs:" + hashlib.sha256(f"{FIGURES_VERSION}|{workspace.pk}|{version}|{logs}|{key}".encode()).hexdigest()
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, CACHE_SECONDS)
    return value


def chosen_logs(workspace, selection=()) -> dict:
    """partner → the one event log the comparison uses for it: the one chosen in ``selection`` (pairs
    ``(partner_id, log_id)``, see ``ViewOptions.logs``), otherwise the newest import of that partner. Several logs
    of one partner are never merged: they may cover different processes or periods."""
    chosen = dict(selection or ())
    out = {}
    for log in sorted(list_event_logs(workspace), key=lambda x: (x.created_at, x.pk), reverse=True):
        current = out.get(log.partner)
        if current is None or (chosen.get(log.partner_id) == log.pk and current.pk != log.pk):
            out[log.partner] = log
    return dict(sorted(out.items(), key=lambda kv: kv[0].name))


def partner_events(workspace, partner=None, selection=()) -> dict:
    """partner name → frame (``case_id, activity, timestamp``) of its chosen log (see ``chosen_logs``)."""
    frames = {}
    for p, log in chosen_logs(workspace, selection).items():
        if partner is not None and p.pk != partner.pk:
            continue
        frames[p.name] = load_events(log)
    return frames


def activity_mapping(workspace) -> dict:
    """Confirmed activity correspondences → one common label per activity: the label of the A side (the
    first partner's name for it) is used for both sides."""
    from ..models import Correspondence, CorrespondenceKind, CorrespondenceStatus

    mapping = {}
    rows = Correspondence.objects.filter(workspace=workspace, kind=CorrespondenceKind.ACTIVITY,
                                         status=CorrespondenceStatus.CONFIRMED).order_by("pk")
    for row in rows:
        common = mapping.get(row.a_key, row.a_label or row.a_key)
        mapping.setdefault(row.a_key, common)
        mapping.setdefault(row.b_key, common)
    return mapping


@dataclass(frozen=True)
class ViewOptions:
    """Abstraction and filtering chosen on the pages (see ``analysis.abstraction``), and the noise threshold
    of the cross-conformance models."""

    prefix_parts: int | None = None
    top_n: int | None = None
    min_share: float | None = None
    use_mapping: bool = True
    noise: float = 0.2
    logs: tuple = ()  # ((partner_id, log_id), ...): the log chosen per partner (default: its newest)

    @classmethod
    def from_query(cls, query) -> "ViewOptions":
        def number(name, kind, low, high):
            raw = (query.get(name) or "").strip().replace(",", ".")
            if not raw:
                return None
            try:
                value = kind(raw)
            except ValueError:
                return None
            return min(max(value, low), high)

        noise = number("ruis", float, 0.0, 1.0)
        return cls(prefix_parts=number("fase", int, 1, 5), top_n=number("top", int, 1, 1000),
                   min_share=number("min_aandeel", float, 0.0, 1.0),
                   use_mapping=query.get("koppeling", "1") != "0", noise=0.2 if noise is None else noise,
                   logs=cls.parse_logs(query))

    @staticmethod
    def parse_logs(query) -> tuple:
        """``log_<partner id>=<log id>`` parameters → sorted ``((partner_id, log_id), ...)``."""
        out = []
        for name in query:
            if name.startswith("log_") and name[4:].isdigit() and str(query.get(name) or "").isdigit():
                out.append((int(name[4:]), int(query.get(name))))
        return tuple(sorted(out))

    def key(self) -> str:
        return f"{self.prefix_parts}|{self.top_n}|{self.min_share}|{self.use_mapping}|{self.noise}|{self.logs}"

    def query(self) -> dict:
        out = {}
        if self.prefix_parts:
            out["fase"] = self.prefix_parts
        if self.top_n:
            out["top"] = self.top_n
        if self.min_share:
            out["min_aandeel"] = self.min_share
        if not self.use_mapping:
            out["koppeling"] = "0"
        if self.noise != 0.2:
            out["ruis"] = self.noise
        for partner_id, log_id in self.logs:
            out[f"log_{partner_id}"] = log_id
        return out

    @property
    def abstracted(self) -> bool:
        return bool(self.prefix_parts or self.top_n or self.min_share)


def _abstract_both(frame, options: ViewOptions, mapping: dict):
    from ..analysis import abstraction

    return abstraction.apply_with_cases(frame, mapping=mapping if options.use_mapping else None,
                                        prefix_parts=options.prefix_parts, top_n=options.top_n,
                                        min_share=options.min_share)


def _abstract(frame, options: ViewOptions, mapping: dict):
    return _abstract_both(frame, options, mapping)[0]


def _profile(frame, options: ViewOptions, mapping: dict) -> dict:
    """Profile of the abstracted frame; throughput time and rework on the unfiltered cases."""
    from ..analysis import performance

    filtered, whole = _abstract_both(frame, options, mapping)
    return performance.profile(filtered, cases=whole)


def workspace_comparison(workspace) -> dict:
    """The ``summary.json`` structure of ``harmonie processes compare`` over the partners' imported logs, with
    the partner names as log names (``a``/``b`` of the pairs). Empty dict when fewer than one log. Used by the
    diagnosis."""
    if not list_event_logs(workspace).exists():
        return {}

    def compute():
        from ..analysis.metrics import compare, compute_stats

        frames = partner_events(workspace)
        stats = [compute_stats(df.with_row_index("order"), name) for name, df in frames.items()]
        return compare(stats)

    return _cached(workspace, "summary", compute)


def log_comparison(workspace, options: ViewOptions | None = None) -> dict:
    """Everything the comparison pages show, per partner (all its logs together) and per pair:

    ``partners``: name → profile (see ``analysis.performance.profile``); ``pairs``: ``a, b, dfg_similarity,
    activity_overlap, fit_a_on_b, fit_b_on_a`` (cross-conformance, see ``analysis.conformance``);
    ``conformance``: every ordered pair including a partner on its own model; ``common_core``; ``best``: best
    performer per shared activity/edge. Abstraction options apply to all of it."""
    options = options or ViewOptions()
    if not list_event_logs(workspace).exists():
        return {}
    mapping = activity_mapping(workspace) if options.use_mapping else {}

    def compute():
        from ..analysis import conformance, performance
        from ..analysis.metrics import activity_overlap, common_core, dfg_similarity

        used = chosen_logs(workspace, options.logs)
        both = {name: _abstract_both(df, options, mapping)
                for name, df in partner_events(workspace, selection=options.logs).items()}
        frames = {name: pair[0] for name, pair in both.items()}
        profiles = {name: performance.profile(f, cases=w) for name, (f, w) in both.items()}
        fits = conformance.cross_conformance(frames, noise=options.noise)
        fit = {(r["a"], r["b"]): r for r in fits}
        names = list(frames)
        pairs = []
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                dfg_a = {(e["a"], e["b"]): e["count"] for e in profiles[a]["edges"]}
                dfg_b = {(e["a"], e["b"]): e["count"] for e in profiles[b]["edges"]}
                acts_a = [r["activity"] for r in profiles[a]["activity_table"]]
                acts_b = [r["activity"] for r in profiles[b]["activity_table"]]
                pairs.append({"a": a, "b": b, "dfg_similarity": dfg_similarity(dfg_a, dfg_b),
                              "activity_overlap": activity_overlap(acts_a, acts_b),
                              "fit_a_on_b": fit[(a, b)], "fit_b_on_a": fit[(b, a)]})
        core = common_core([r["activity"] for r in p["activity_table"]] for p in profiles.values())
        return {"partners": profiles, "pairs": pairs, "conformance": fits, "common_core": core,
                "best": performance.best_performers(profiles, **best_thresholds()), "options": options.key(),
                "used_logs": {p.name: {"id": log.pk, "name": log.name, "created_at": log.created_at.isoformat()}
                              for p, log in used.items()},
                "labels": activity_labels(workspace, list(used.values())),
                "mapped_activities": len(mapping)}

    return _cached(workspace, "full:" + options.key() + _mapping_key(mapping), compute)


def partner_map(workspace, partner, options: ViewOptions | None = None) -> dict:
    """One partner's profile (all its logs), abstracted: for the process map of one log/partner."""
    options = options or ViewOptions()
    mapping = activity_mapping(workspace) if options.use_mapping else {}

    def compute():
        frames = partner_events(workspace, partner, selection=options.logs)
        if not frames:
            return {}
        return _profile(frames[partner.name], options, mapping)

    return _cached(workspace, f"partner:{partner.pk}:" + options.key() + _mapping_key(mapping), compute)


def event_log_map(event_log, options: ViewOptions | None = None) -> dict:
    """One log's profile under the abstraction options (the stored ``stats`` when no abstraction applies)."""
    options = options or ViewOptions()
    workspace = event_log.workspace
    mapping = activity_mapping(workspace) if options.use_mapping else {}

    def compute():
        return _profile(load_events(event_log), options, mapping)

    if not options.abstracted and not mapping:
        return event_log.stats
    return _cached(workspace, f"log:{event_log.pk}:" + options.key() + _mapping_key(mapping), compute)


def _mapping_key(mapping: dict) -> str:
    import hashlib

    return ":" + hashlib.sha256(repr(sorted(mapping.items())).encode()).hexdigest()[:16] if mapping else ""
