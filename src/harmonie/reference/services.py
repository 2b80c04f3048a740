"""The one entry point to reference data, used by core, CLI, API, web and jobs.

Loading: ``load_reference(kind, path)`` parses a file or folder (format
detected by content), compares the parsed content with the current version by
a canonical hash and, when it differs, stores a new version in one
transaction (the old version is kept). ``update_reference`` downloads the
current lists from the configured official URLs and loads them.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Case, IntegerField, Max, Q, Value, When

from harmonie.core.errors import BadInput, HarmonieError
from harmonie.core.jobs import Progress, register_job

from . import importers
from .importers.base import ParseResult, canonical_hash, item_hash
from .importers.gemeenten import cbs_code as _cbs_code
from .importers.gemma import GemmaElementData, GemmaRelationData
from .importers.selectielijst import SelectielijstEntry
from .models import GemmaElement, GemmaRelation, Gemeente, ReferenceVersion, SelectielijstItem, UplProduct

logger = logging.getLogger(__name__)

KINDS = tuple(importers.IMPORTERS)
LABELS = importers.LABELS

# Per kind: the item models and the field that identifies an item within a version.
ITEM_MODELS = {
    "upl": [(UplProduct, "uri")],
    "gemma": [(GemmaElement, "identifier"), (GemmaRelation, "identifier")],
    "selectielijst": [(SelectielijstItem, "url")],
    "gemeenten": [(Gemeente, "cbs_code")],
}
MODEL_FOR = {
    "UplEntry": UplProduct, "GemmaElementData": GemmaElement, "GemmaRelationData": GemmaRelation,
    "SelectielijstEntry": SelectielijstItem, "GemeenteEntry": Gemeente,
}

DEFAULT_REFERENCE_URLS = {
    "upl": "https://standaarden.overheid.nl/owms/oquery/UPL-actueel.csv",
    "gemma": "https://github.com/VNG-Realisatie/GEMMA-Archi-repository/raw/HEAD/export/GEMMA%20release.xml",
    "selectielijst": [
        "https://selectielijst.openzaak.nl/api/v1/procestypen",
        "https://selectielijst.openzaak.nl/api/v1/resultaten",
        "https://selectielijst.openzaak.nl/api/v1/resultaattypeomschrijvingen",
    ],
    "gemeenten": "https://repository.officiele-overheidspublicaties.nl/waardelijsten/rwc_gemeenten_compleet/4/json/"
                 "rwc_gemeenten_compleet_4.json",
}
DOWNLOAD_TIMEOUT = 60
MAX_PAGES = 200
BATCH = 1000


@dataclass
class LoadResult:
    kind: str
    version: int
    created: bool
    added: int = 0
    changed: int = 0
    removed: int = 0
    total: int = 0
    source: str = ""

    def summary(self) -> str:
        """Dutch one-line summary, e.g. 'UPL: versie 2 aangemaakt (12 toegevoegd, 3 gewijzigd, 1 verwijderd)'."""
        label = LABELS.get(self.kind, self.kind)
        if not self.created:
            return f"{label}: ongewijzigd (versie {self.version}, {self.total} items)"
        return (f"{label}: versie {self.version} aangemaakt ({self.added} toegevoegd, {self.changed} gewijzigd, "
                f"{self.removed} verwijderd)")


# --- codes and lookups -------------------------------------------------------


def normalise_cbs_code(value) -> str:
    """'363', '0363', 'gm0363', 'GM0363' → 'GM0363'; anything else → BadInput."""
    code = _cbs_code(value)
    if code is None or code == "GM0000":
        raise BadInput(f"'{value}' is geen geldige CBS-gemeentecode; gebruik bijvoorbeeld 'GM0363' of '0363'.")
    return code


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise BadInput(f"Onbekende soort referentiedata '{kind}'; kies uit: {', '.join(KINDS)}.")
    return kind


def current_version(kind: str) -> ReferenceVersion | None:
    return ReferenceVersion.objects.filter(kind=_check_kind(kind), is_current=True).first()


def list_versions(kind: str | None = None) -> list[ReferenceVersion]:
    """All versions of one kind, newest first (``kind=None``: of every kind)."""
    qs = ReferenceVersion.objects.all()
    if kind:
        qs = qs.filter(kind=_check_kind(kind))
    return list(qs.order_by("kind", "-number"))


def _current_or_excerpt(kind: str) -> ReferenceVersion | None:
    """The current version; on an empty installation the hand-written excerpt is loaded first."""
    version = current_version(kind)
    if version is None and not ReferenceVersion.objects.filter(kind=kind).exists():
        ensure_excerpt_loaded([kind])
        version = current_version(kind)
    return version


def get_gemeente(cbs_code) -> Gemeente | None:
    """The municipality with this CBS code in the current register, or None."""
    code = _cbs_code(cbs_code)
    version = _current_or_excerpt("gemeenten")
    if code is None or version is None:
        return None
    return Gemeente.objects.filter(version=version, cbs_code=code).first()


def _not_historic():
    return Q(end_date__isnull=True) | Q(end_date__gte=date.today())


def search_gemeenten(query, limit=20, include_historic=True) -> list[Gemeente]:
    """Municipalities whose name or CBS code contains ``query``; current ones first."""
    version = _current_or_excerpt("gemeenten")
    if version is None:
        return []
    qs = Gemeente.objects.filter(version=version)
    text = (query or "").strip()
    if text:
        condition = Q(name__icontains=text) | Q(cbs_code__icontains=text)
        code = _cbs_code(text)
        if code is not None:
            condition |= Q(cbs_code=code)
        qs = qs.filter(condition)
    if not include_historic:
        qs = qs.filter(_not_historic())
    qs = qs.annotate(_historic=Case(When(_not_historic(), then=Value(0)), default=Value(1),
                                    output_field=IntegerField()))
    return list(qs.order_by("_historic", "name", "cbs_code")[: max(int(limit), 0)])


def current_upl() -> list[UplProduct]:
    """All products of the current UPL version (``.withdrawn`` is True for names with a past end date)."""
    version = _current_or_excerpt("upl")
    if version is None:
        return []
    return list(UplProduct.objects.filter(version=version).order_by("label", "uri"))


def gemma_referentiecomponenten() -> list[GemmaElement]:
    """GEMMA referentiecomponenten (ApplicationComponent elements) of the current version."""
    version = _current_or_excerpt("gemma")
    if version is None:
        return []
    qs = GemmaElement.objects.filter(version=version, type="ApplicationComponent")
    if qs.exclude(gemma_type="").exists():
        qs = qs.filter(gemma_type="Referentiecomponent")
    return list(qs.order_by("name"))


def version_items(version: ReferenceVersion):
    """Querysets of the items of one version (for exports and comparisons)."""
    return {model.__name__: model.objects.filter(version=version) for model, _key in ITEM_MODELS[version.kind]}


# --- loading -------------------------------------------------------------------


def _max_bytes() -> int:
    return int(getattr(settings, "HARMONIE_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))


def load_reference(kind, path, *, user=None, progress=None, source=None) -> LoadResult:
    """Load a reference list from a file or folder; a new version only when the content differs."""
    _check_kind(kind)
    progress = progress or Progress()
    progress.update(done=0, total=0, message=f"{LABELS[kind]}: bestand lezen", force=True)
    result = importers.parse(kind, Path(path), max_bytes=_max_bytes())
    return _store(result, user=user, progress=progress, source=source or Path(path).name)


def _carry_over(result: ParseResult, current: ReferenceVersion | None) -> list:
    """Items of record types the input does not cover, taken from the current version."""
    if result.covers is None or current is None or result.kind != "selectielijst":
        return []
    carried = []
    for row in SelectielijstItem.objects.filter(version=current).exclude(record_type__in=result.covers):
        carried.append(SelectielijstEntry(
            record_type=row.record_type, url=row.url, jaar=row.jaar, nummer=row.nummer, naam=row.naam,
            omschrijving=row.omschrijving, procestype_url=row.procestype_url, waardering=row.waardering,
            bewaartermijn=row.bewaartermijn, data=row.data,
        ))
    return carried


def _check_lengths(result: ParseResult, source: str) -> None:
    """Every text fits its column: PostgreSQL refuses what SQLite would silently store."""
    from django.db.models import CharField

    limits: dict = {}
    for item in result.items:
        model = MODEL_FOR[type(item).__name__]
        if model not in limits:
            limits[model] = [(f.name, f.max_length, f.verbose_name) for f in model._meta.concrete_fields
                             if isinstance(f, CharField) and f.max_length]
        for field_name, max_length, label in limits[model]:
            value = getattr(item, field_name, None)
            if isinstance(value, str) and len(value) > max_length:
                raise BadInput(f"Bestand '{source}': item '{str(item.key)[:80]}': veld '{label}' is te lang "
                               f"({len(value)} tekens; maximaal {max_length}).")


def _store(result: ParseResult, *, user=None, progress=None, source="", is_excerpt=False) -> LoadResult:
    from harmonie.core.audit import record_import

    kind = result.kind
    _check_lengths(result, source)
    progress = progress or Progress()
    with transaction.atomic():
        current = (ReferenceVersion.objects.select_for_update().filter(kind=kind, is_current=True).first())
        items = list(result.items)
        covered = {i.key for i in items}
        items += [i for i in _carry_over(result, current) if i.key not in covered]
        content_hash = canonical_hash(items)
        if current is not None and current.content_sha256 == content_hash:
            progress.update(message=f"{LABELS[kind]}: ongewijzigd", force=True)
            return LoadResult(kind=kind, version=current.number, created=False, total=current.item_count,
                              source=source)
        hashes = [(item, item_hash(item)) for item in items]
        new_keys = {f"{type(i).__name__}:{i.key}": h for i, h in hashes}
        old_keys = {}
        if current is not None:
            for model, key_field in ITEM_MODELS[kind]:
                prefix = next(name for name, m in MODEL_FOR.items() if m is model)
                for key, h in model.objects.filter(version=current).values_list(key_field, "item_hash"):
                    old_keys[f"{prefix}:{key}"] = h
        added = sum(1 for k in new_keys if k not in old_keys)
        removed = sum(1 for k in old_keys if k not in new_keys)
        changed = sum(1 for k, h in new_keys.items() if k in old_keys and old_keys[k] != h)
        number = (ReferenceVersion.objects.filter(kind=kind).aggregate(n=Max("number"))["n"] or 0) + 1
        if current is not None:
            ReferenceVersion.objects.filter(pk=current.pk).update(is_current=False)
        version = ReferenceVersion.objects.create(
            kind=kind, number=number, content_sha256=content_hash, file_sha256=result.file_sha256,
            source=source[:500], source_format=result.format, is_excerpt=is_excerpt,
            loaded_by=user if user is not None and getattr(user, "is_authenticated", False) else None,
            is_current=True, item_count=len(items), added=added, changed=changed, removed=removed,
        )
        progress.update(done=0, total=len(hashes), message=f"{LABELS[kind]}: versie {number} opslaan", force=True)
        by_model: dict = {}
        for item, h in hashes:
            by_model.setdefault(MODEL_FOR[type(item).__name__], []).append((item, h))
        done = 0
        for model, rows in by_model.items():
            for start in range(0, len(rows), BATCH):
                chunk = rows[start:start + BATCH]
                model.objects.bulk_create([model(version=version, item_hash=h, **asdict(item)) for item, h in chunk])
                done += len(chunk)
                progress.update(done=done)
        record_import(user, None, object_type=f"reference.{kind}", file_name=source, file_sha256=result.file_sha256,
                      added=added, changed=changed, removed=removed, object_repr=str(version))
    load = LoadResult(kind=kind, version=number, created=True, added=added, changed=changed, removed=removed,
                      total=len(items), source=source)
    progress.update(message=load.summary(), force=True)
    return load


def ensure_excerpt_loaded(kinds=None) -> list[LoadResult]:
    """Load the hand-written excerpt for every kind that has no version at all (offline demo, fresh install)."""
    from . import excerpt

    results = []
    for kind in kinds or KINDS:
        _check_kind(kind)
        if ReferenceVersion.objects.filter(kind=kind).exists():
            continue
        result = excerpt.parse_result(kind)
        if not result.items:  # no hand-written excerpt for this kind (the Selectielijst): load the real list
            continue
        results.append(_store(result, source=f"uittreksel ({excerpt.__name__})", is_excerpt=True))
    return results


# --- downloading -----------------------------------------------------------------


def reference_urls() -> dict[str, list[str]]:
    """The official download URLs per kind: settings ``HARMONIE_REFERENCE_URLS``, then env
    ``HARMONIE_REFERENCE_URL_<KIND>`` (several URLs separated by spaces)."""
    configured = dict(DEFAULT_REFERENCE_URLS)
    configured.update(getattr(settings, "HARMONIE_REFERENCE_URLS", {}) or {})
    urls = {}
    for kind in KINDS:
        env = os.environ.get(f"HARMONIE_REFERENCE_URL_{kind.upper()}")
        value = env.split() if env else configured.get(kind, [])
        urls[kind] = [value] if isinstance(value, str) else list(value)
    return urls


def _fetch(url: str, max_bytes: int) -> bytes:
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https"):
        raise BadInput(f"URL '{url}' wordt niet ondersteund; gebruik http of https.")
    request = urllib.request.Request(url, headers={"User-Agent": "Harmonie referentiedata",
                                                   "Accept": "application/json, text/csv, application/xml, */*"})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response:  # noqa: S310 - scheme checked
            chunks, size = [], 0
            while True:
                chunk = response.read(1024 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise HarmonieError(f"Downloaden van {url} afgebroken: groter dan {max_bytes} bytes.")
                chunks.append(chunk)
    except urllib.error.HTTPError as exc:
        raise HarmonieError(f"Downloaden van {url} mislukt: HTTP {exc.code} {exc.reason}.") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise HarmonieError(f"Downloaden van {url} mislukt: {reason}.") from exc
    return b"".join(chunks)


def _download(url: str, dest: Path, index: int, max_bytes: int) -> Path:
    """Download one URL to ``dest``; a paginated API list (``next``) is followed and merged."""
    data = _fetch(url, max_bytes)
    try:
        doc = json.loads(data.decode("utf-8-sig")) if data.lstrip()[:1] in (b"{", b"[") else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        doc = None
    if isinstance(doc, dict) and isinstance(doc.get("results"), list) and doc.get("next"):
        results, total, pages, next_url = list(doc["results"]), len(data), 1, doc["next"]
        origin = urllib.parse.urlsplit(url).netloc
        while next_url:
            if urllib.parse.urlsplit(next_url).netloc != origin or pages >= MAX_PAGES:
                raise HarmonieError(f"Downloaden van {url}: vervolgpagina '{next_url}' wordt niet gevolgd.")
            page_data = _fetch(next_url, max_bytes)
            total += len(page_data)
            if total > max_bytes:
                raise HarmonieError(f"Downloaden van {url} afgebroken: groter dan {max_bytes} bytes.")
            try:
                page = json.loads(page_data.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise BadInput(f"Pagina '{next_url}': geen geldige JSON ({exc}).") from exc
            results.extend(page.get("results", []))
            next_url, pages = page.get("next"), pages + 1
        data = json.dumps({"count": len(results), "next": None, "previous": None, "results": results}).encode()
    name = Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path)).name or "download"
    target = dest / f"{index:02d}-{name}"
    if not target.suffix and isinstance(doc, (dict, list)):
        target = target.with_suffix(".json")
    target.write_bytes(data)
    return target


def update_reference(kinds=None, *, urls=None, user=None, progress=None) -> list[LoadResult]:
    """Download the current lists from the official URLs (or ``urls`` {kind: url|[urls]}) and load them."""
    configured = reference_urls()
    for kind, value in (urls or {}).items():
        configured[_check_kind(kind)] = [value] if isinstance(value, str) else list(value)
    selected = [_check_kind(k) for k in (kinds or KINDS)]
    results = []
    for kind in selected:
        kind_urls = configured.get(kind) or []
        if not kind_urls:
            raise BadInput(f"Geen download-URL ingesteld voor '{kind}' (HARMONIE_REFERENCE_URL_{kind.upper()}).")
        tmp = Path(tempfile.mkdtemp(prefix=f"harmonie-{kind}-"))
        try:
            if progress is not None:
                progress.update(message=f"{LABELS[kind]}: downloaden", force=True)
            files = [_download(url, tmp, i, _max_bytes()) for i, url in enumerate(kind_urls)]
            path = files[0] if len(files) == 1 else tmp
            results.append(load_reference(kind, path, user=user, progress=progress, source=" ".join(kind_urls)))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return results


# --- jobs --------------------------------------------------------------------------


def _job_user(user_id):
    if not user_id:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=user_id).first()


@register_job("reference.load")
def load_job(progress, kind, path, source=None, user_id=None) -> dict:
    """Background job: load one reference list from a file or folder on the server."""
    from django.urls import reverse

    return {**asdict(load_reference(kind, path, user=_job_user(user_id), progress=progress, source=source)),
            "url": reverse("reference:index"), "url_label": "Bekijk de referentiedata"}


@register_job("reference.update")
def update_job(progress, kinds=None, user_id=None) -> dict:
    """Background job: download and load the current lists from the official URLs."""
    from django.urls import reverse

    return {"results": [asdict(r) for r in update_reference(kinds, user=_job_user(user_id), progress=progress)],
            "url": reverse("reference:index"), "url_label": "Bekijk de referentiedata"}


# --- starting jobs from the web UI / API ---------------------------------------------


def start_upload_load(user, kind, uploaded_file):
    """Store an uploaded reference file and load it as a background job.

    The file is kept under ``DATA_DIR/uploads`` so a failed job can be retried
    with exactly the same input.
    """
    import uuid

    from django.utils.translation import gettext as _

    from harmonie.core.errors import NotAllowed
    from harmonie.core.jobs import start_job
    from harmonie.core.permissions import can_load_reference

    if not can_load_reference(user):
        raise NotAllowed(_("Alleen beheerders en coördinatoren mogen referentielijsten laden."))
    _check_kind(kind)
    if uploaded_file.size > _max_bytes():
        raise BadInput(_("Bestand '%(f)s' is te groot (%(s)d bytes; maximaal %(m)d).")
                       % {"f": uploaded_file.name, "s": uploaded_file.size, "m": _max_bytes()})
    name = Path(uploaded_file.name).name or "bestand"
    target = Path(settings.DATA_DIR) / "uploads" / "reference" / uuid.uuid4().hex / name
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        for chunk in uploaded_file.chunks():
            handle.write(chunk)
    return start_job("reference.load", label=f"{LABELS[kind]} laden uit {name}",
                     params={"kind": kind, "path": str(target), "source": name, "user_id": user.pk}, user=user)


def start_official_update(user, kinds=None):
    """Download the current lists from the configured official URLs, as a background job."""
    from django.utils.translation import gettext as _

    from harmonie.core.errors import NotAllowed
    from harmonie.core.jobs import start_job
    from harmonie.core.permissions import can_load_reference

    if not can_load_reference(user):
        raise NotAllowed(_("Alleen beheerders en coördinatoren mogen referentielijsten bijwerken."))
    kinds = [_check_kind(kind) for kind in kinds] if kinds else None
    label = _("Referentielijsten bijwerken vanaf de officiële bronnen")
    return start_job("reference.update", label=label, params={"kinds": kinds, "user_id": user.pk}, user=user)
