"""Export and import a whole samenwerkingsverband (workspace) as one ZIP file.

``harmonie workspace export SLUG --output FILE`` / ``harmonie workspace import FILE [--als SLUG]``.

Which models travel
-------------------
Discovered, not listed: every concrete model of a ``harmonie.*`` app that reaches ``core.Workspace``
through a chain of **non-null** foreign keys (``workspace``, ``partner``, or a parent that does) is
exported, so models added later are included automatically. ``EXCLUDED`` names the models that are
deliberately left out, each with a reason; ``tests`` assert that every model of the project is
either exported or excluded (a new model cannot be forgotten). Special cases:

* users (``auth.User``) referenced by exported rows (memberships, ``created_by``, ...) travel as
  username, names, e-mail and ``is_active`` only: **no password hash, no superuser/staff flag, no
  2FA secret, no API token**. On import an existing account with the same username is reused
  unchanged; a new account gets an unusable password (a beheerder sends a password-set link).
* the workspace's audit entries travel with their original hashes. On export each entry's own
  hash is checked (content + ``prev_hash`` → ``entry_hash``); on import the archive's entries are
  checked again and then appended, in order, to this installation's chain with their original
  timestamp and user name (new ``prev_hash``/``entry_hash``), followed by one audit entry for the
  import itself naming the archive's SHA-256 and the first/last original hash. ``harmonie audit
  verify`` therefore stays green after an import.
* fields named ``*_path`` are files under ``HARMONIE_DATA_DIR`` (e.g. an event log's Parquet
  file): the file travels in the archive under ``files/`` and is written to a new location on
  import.
* jobs are transient and not exported; a foreign key to a job becomes empty.

The archive
-----------
``manifest.json`` (format, version, workspace, per member its SHA-256, size and row count) plus one
JSON-lines file per model under ``data/`` and the data files under ``files/``. The import checks the
manifest before touching the database: no member outside the manifest, no unsafe names (absolute,
``..``, backslashes), sizes and SHA-256s match, total size within ``HARMONIE_MAX_IMPORT_BYTES``, no
member with a suspicious compression ratio (zip bomb); reading stops at the declared size. The
import runs in one transaction: it either lands completely or not at all.
"""

import datetime
import hashlib
import io
import json
import os
import uuid
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from . import audit
from .errors import BadInput
from .jobs import Progress
from .models import AuditAction, AuditEntry, Workspace

FORMAT = "harmonie-werkruimte"
VERSION = 1
MANIFEST = "manifest.json"
USERS_MEMBER = "data/auth.user.jsonl"
AUDIT_MEMBER = "data/core.auditentry.jsonl"
USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active", "date_joined")
MAX_RATIO = 200  # uncompressed / compressed above this (for members > 1 MB) is treated as a zip bomb

# Models deliberately NOT exported, with the reason (the test requires every model to be here or exported).
EXCLUDED = {
    "core.Workspace": "de wortel: wordt apart in het manifest en als eerste rij meegenomen",
    "core.AuditEntry": "apart meegenomen (data/core.auditentry.jsonl) en bij import opnieuw aan de keten gehangen",
    "core.AuditChainHead": "installatiebreed: de kop van de auditketen van deze installatie",
    "core.Job": "achtergrondtaken zijn tijdelijk; verwijzingen naar een taak worden leeg",
    "core.TotpDevice": "geheim (TOTP-sleutel) van een account, niet van een samenwerkingsverband",
    "core.RecoveryCode": "geheim (herstelcodes) van een account, niet van een samenwerkingsverband",
    "reference.ReferenceVersion": "installatiebrede referentiedata (UPL, GEMMA, Selectielijst, gemeenten)",
    "reference.UplProduct": "installatiebrede referentiedata",
    "reference.GemmaElement": "installatiebrede referentiedata",
    "reference.GemmaRelation": "installatiebrede referentiedata",
    "reference.SelectielijstItem": "installatiebrede referentiedata",
    "reference.Gemeente": "installatiebrede referentiedata",
    "products.UplModel": "installatiebreed geleerd UPL-matchmodel, niet van één samenwerkingsverband",
    "people.RespondentLink": "respondentlinks zijn toegangssleutels (token-hashes); na import nieuwe links maken",
    "people.UsedLink": "hoort bij een respondentlink (niet meegenomen)",
    "people.Draft": "concept-antwoorden achter een respondentlink (niet meegenomen)",
}


# Field names that look like secrets; every exported field matching this must be listed in SAFE_LOOKALIKES
# with the reason it is not a secret (the test enforces this, so a new secret field cannot slip into exports).
SECRET_NAME = r"secret|passw|token|api_?key|credential|private"
SAFE_LOOKALIKES = {
    "processes.ZgwConnection.secret_env": "de NAAM van de omgevingsvariabele met het geheim, niet het geheim zelf",
}


def _label(model) -> str:
    return model._meta.label  # "app.Model"


def _member_name(model) -> str:
    return f"data/{model._meta.label_lower}.jsonl"


def _is_path_field(f) -> bool:
    return isinstance(f, models.CharField) and f.name.endswith("_path")


def project_models():
    """Every concrete, non-proxy model of a ``harmonie.*`` app."""
    return [m for m in apps.get_models()
            if m.__module__.startswith("harmonie.") and not m._meta.proxy and not m._meta.abstract]


def _owner_paths() -> dict:
    """Model → ORM lookup to its workspace (``"workspace"``, ``"product__workspace"``, ...), for every
    model that reaches Workspace through non-null foreign keys."""
    paths = {Workspace: "pk"}
    changed = True
    candidates = [m for m in project_models() if _label(m) not in EXCLUDED]
    while changed:
        changed = False
        for model in candidates:
            if model in paths:
                continue
            for f in model._meta.fields:
                if not f.is_relation or f.null or f.related_model is None:
                    continue
                target = f.related_model
                if target is Workspace:
                    paths[model] = f.name
                elif target in paths and target is not model:
                    paths[model] = f"{f.name}__{paths[target]}"
                else:
                    continue
                changed = True
                break
    paths.pop(Workspace)
    return paths


def _dependencies(model, exported: set) -> set:
    return {f.related_model for f in model._meta.fields
            if f.is_relation and f.related_model in exported and f.related_model is not model}


def exported_models() -> list:
    """The exported models in insertion order (a parent before its children)."""
    paths = _owner_paths()
    pending = sorted(paths, key=_label)
    exported = set(pending)
    ordered, placed = [], set()
    while pending:
        progressed = False
        for model in list(pending):
            deps = _dependencies(model, exported)
            if deps <= placed:
                ordered.append(model)
                placed.add(model)
                pending.remove(model)
                progressed = True
        if not progressed:  # a cycle through nullable keys: the deferred pass fills those later
            model = pending.pop(0)
            ordered.append(model)
            placed.add(model)
    return ordered


def unclassified_models() -> list[str]:
    """Models that are neither exported nor in ``EXCLUDED`` (must be empty)."""
    exported = {_label(m) for m in _owner_paths()}
    return sorted(_label(m) for m in project_models()
                  if _label(m) not in exported and _label(m) not in EXCLUDED)


def _rows(model, workspace):
    lookup = _owner_paths()[model]
    return model._default_manager.filter(**{lookup: workspace}).order_by("pk")


def _field_value(f, obj):
    value = f.value_from_object(obj)
    if isinstance(f, models.BinaryField) and value is not None:
        import base64

        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _serialise(obj) -> dict:
    row = {"pk": obj.pk}
    for f in obj._meta.concrete_fields:
        if f.primary_key and not f.is_relation:
            continue
        if f.is_relation:
            row[f.attname] = getattr(obj, f.attname)
        else:
            row[f.name] = _field_value(f, obj)
    for f in obj._meta.many_to_many:
        if f.remote_field.through._meta.auto_created:
            row[f.name] = sorted(o.pk for o in f.value_from_object(obj))
    return row


class _Encoder(DjangoJSONEncoder):
    """Like Django's, but datetimes and times keep their microseconds (Django rounds to milliseconds),
    so rows and audit hashes survive the round trip exactly."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def _jsonl(rows) -> bytes:
    return b"".join(json.dumps(r, cls=_Encoder, ensure_ascii=False, sort_keys=True).encode() + b"\n"
                    for r in rows)


def _data_dir() -> Path:
    return Path(settings.DATA_DIR).resolve()


@dataclass
class ExportResult:
    path: Path
    counts: dict
    files: int
    sha256: str


def export_workspace(slug: str, output, *, progress: Progress | None = None) -> ExportResult:
    """Write the workspace ``slug`` to the ZIP file ``output``."""
    progress = progress or Progress()
    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        raise BadInput(f"Samenwerkingsverband '{slug}' bestaat niet.")
    models_in_order = exported_models()
    progress.update(done=0, total=len(models_in_order) + 2, message="Exporteren")
    members: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    user_ids: set = set()
    files: dict[str, dict] = {}
    file_sources: dict[str, Path] = {}
    User = get_user_model()

    members["data/core.workspace.jsonl"] = _jsonl([_serialise(workspace)])
    for model in models_in_order:
        rows = []
        for obj in _rows(model, workspace).iterator(chunk_size=2000):
            row = _serialise(obj)
            for f in model._meta.concrete_fields:
                if f.is_relation and f.related_model is User and row.get(f.attname) is not None:
                    user_ids.add(row[f.attname])
                if _is_path_field(f) and row.get(f.name):
                    source = (_data_dir() / row[f.name]).resolve()
                    if not source.is_relative_to(_data_dir()) or not source.is_file():
                        raise BadInput(f"{_label(model)} {obj.pk}: bestand '{row[f.name]}' ontbreekt in de datamap.")
                    name = f"files/{model._meta.label_lower}/{obj.pk}/{f.name}/{source.name}"
                    file_sources[name] = source
                    row[f.name] = name
            rows.append(row)
        members[_member_name(model)] = _jsonl(rows)
        counts[_label(model)] = len(rows)
        progress.advance(message=f"Exporteren: {model._meta.verbose_name_plural}")

    entries = list(AuditEntry.objects.filter(workspace=workspace).order_by("id"))
    audit_rows = []
    for entry in entries:
        if audit.compute_hash(entry, entry.prev_hash) != entry.entry_hash:
            raise BadInput(f"Auditregel {entry.id} klopt niet met zijn hash; draai 'harmonie audit verify'.")
        if entry.user_id:
            user_ids.add(entry.user_id)
        row = {name: getattr(entry, name) for name in audit.HASHED_FIELDS}
        row.update(pk=entry.pk, user_id=entry.user_id, prev_hash=entry.prev_hash, entry_hash=entry.entry_hash)
        audit_rows.append(row)
    members[AUDIT_MEMBER] = _jsonl(audit_rows)
    users = User.objects.filter(pk__in=user_ids).order_by("pk")
    members[USERS_MEMBER] = _jsonl([{"pk": u.pk, **{name: getattr(u, name) for name in USER_FIELDS}}
                                    for u in users])
    progress.advance(message="Exporteren: gebruikers en auditlog")

    manifest = {
        "format": FORMAT, "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "workspace": {"slug": workspace.slug, "name": workspace.name, "id": workspace.pk},
        "models": {label: n for label, n in counts.items()},
        "audit": {"entries": len(audit_rows),
                  "first_hash": audit_rows[0]["entry_hash"] if audit_rows else "",
                  "last_hash": audit_rows[-1]["entry_hash"] if audit_rows else ""},
        "members": {},
    }
    for name, data in members.items():
        manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    for name, source in file_sources.items():
        digest, size = _hash_file(source)
        manifest["members"][name] = {"sha256": digest, "size": size}
        files[name] = manifest["members"][name]

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.{uuid.uuid4().hex}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, cls=_Encoder, indent=2, ensure_ascii=False))
            for name, data in members.items():
                archive.writestr(name, data)
            for name, source in file_sources.items():
                archive.write(source, name)
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    progress.advance(message="Export klaar")
    digest, _size = _hash_file(output)
    return ExportResult(output, counts, len(file_sources), digest)


def _hash_file(path: Path) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


# --- import -------------------------------------------------------------------------------------


def max_import_bytes() -> int:
    return int(getattr(settings, "HARMONIE_MAX_IMPORT_BYTES", 2 * 1024 ** 3))


def _safe_member_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or ":" in name.split("/")[0]:
        return False
    parts = PurePosixPath(name).parts
    return all(part not in ("", ".", "..") for part in parts) and name == "/".join(parts)


class _Archive:
    """A validated archive: manifest checked, every member read within its declared size and hash."""

    def __init__(self, path):
        self.path = Path(path)
        if not self.path.is_file():
            raise BadInput(f"{self.path.name}: bestand bestaat niet.")
        try:
            self.zip = zipfile.ZipFile(self.path)
        # NotImplementedError: the central directory asks for a ZIP version/feature zipfile lacks
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise BadInput(f"{self.path.name}: geen geldig ZIP-bestand ({exc}).") from exc
        infos = self.zip.infolist()
        names = [info.filename for info in infos]
        for name in names:
            if not _safe_member_name(name):
                raise BadInput(f"{self.path.name}: onveilige naam in het archief: '{name}' (padtraversal geweigerd).")
        if len(set(names)) != len(names):
            raise BadInput(f"{self.path.name}: het archief bevat dubbele namen.")
        total = sum(info.file_size for info in infos)
        if total > max_import_bytes():
            raise BadInput(f"{self.path.name}: uitgepakt {total} bytes, meer dan toegestaan "
                           f"({max_import_bytes()} bytes).")
        for info in infos:
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise BadInput(f"{self.path.name}: '{info.filename}' pakt verdacht sterk uit (zipbom geweigerd).")
        if MANIFEST not in names:
            raise BadInput(f"{self.path.name}: manifest.json ontbreekt; dit is geen Harmonie-export.")
        try:
            self.manifest = json.loads(self._read(MANIFEST, 10 * 1024 * 1024))
        except (ValueError, RecursionError) as exc:  # RecursionError: JSON nested thousands of levels deep
            raise BadInput(f"{self.path.name}: manifest.json is geen geldige JSON ({exc}).") from exc
        if not isinstance(self.manifest, dict) or self.manifest.get("format") != FORMAT:
            raise BadInput(f"{self.path.name}: manifest.json: onbekend formaat (verwacht '{FORMAT}').")
        if self.manifest.get("version") != VERSION:
            raise BadInput(f"{self.path.name}: manifest.json: versie {self.manifest.get('version')!r} wordt "
                           f"niet ondersteund (verwacht {VERSION}).")
        members = self.manifest.get("members")
        if not isinstance(members, dict):
            raise BadInput(f"{self.path.name}: manifest.json: 'members' ontbreekt.")
        extra = sorted(set(names) - set(members) - {MANIFEST})
        if extra:
            raise BadInput(f"{self.path.name}: '{extra[0]}' staat niet in het manifest.")
        missing = sorted(set(members) - set(names))
        if missing:
            raise BadInput(f"{self.path.name}: '{missing[0]}' staat in het manifest maar ontbreekt in het archief.")
        for name, meta in members.items():
            if not isinstance(meta, dict) or not isinstance(meta.get("size"), int) \
                    or not isinstance(meta.get("sha256"), str):
                raise BadInput(f"{self.path.name}: manifest.json: onvolledige gegevens voor '{name}'.")
            if self.zip.getinfo(name).file_size != meta["size"]:
                raise BadInput(f"{self.path.name}: '{name}' heeft een andere grootte dan het manifest zegt.")

    def _read(self, name, limit) -> bytes:
        buf = io.BytesIO()
        try:
            with self.zip.open(name) as handle:
                while chunk := handle.read(1 << 20):
                    buf.write(chunk)
                    if buf.tell() > limit:
                        raise BadInput(f"{self.path.name}: '{name}' is groter dan aangegeven (geweigerd).")
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
            raise BadInput(f"{self.path.name}: '{name}' is niet te lezen (beschadigd of versleuteld: {exc}).") from exc
        return buf.getvalue()

    def read(self, name) -> bytes:
        meta = self.manifest["members"].get(name)
        if meta is None:
            raise BadInput(f"{self.path.name}: '{name}' ontbreekt in het manifest.")
        data = self._read(name, meta["size"])
        if hashlib.sha256(data).hexdigest() != meta["sha256"]:
            raise BadInput(f"{self.path.name}: '{name}': SHA-256 klopt niet met het manifest (bestand beschadigd "
                           "of gewijzigd).")
        return data

    def rows(self, name):
        if name not in self.manifest["members"]:
            return []
        out = []
        try:
            text = self.read(name).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadInput(f"{self.path.name}: {name} is geen UTF-8-tekst ({exc}).") from exc
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except (ValueError, RecursionError) as exc:
                raise BadInput(f"{self.path.name}: {name}, regel {number}: geen geldige JSON ({exc}).") from exc
            if not isinstance(row, dict) or "pk" not in row:
                raise BadInput(f"{self.path.name}: {name}, regel {number}: rij zonder 'pk'.")
            out.append((number, row))
        return out


@dataclass
class ImportResult:
    workspace: Workspace
    counts: dict
    users_created: int
    audit_entries: int
    files: int
    pk_map: dict = field(default_factory=dict)  # label → {old pk: new pk}


def _to_python(f, value, where):
    if value is None:
        return None
    try:
        if isinstance(f, models.BinaryField):
            import base64

            return base64.b64decode(value)
        if isinstance(f, models.JSONField):
            return value
        return f.to_python(value)
    except Exception as exc:  # noqa: BLE001 - any conversion problem is bad input
        raise BadInput(f"{where}: veld '{f.name}': ongeldige waarde {str(value)[:60]!r}.") from exc


def _pk(model, value, where):
    try:
        return model._meta.pk.to_python(value)
    except Exception as exc:  # noqa: BLE001
        raise BadInput(f"{where}: ongeldige sleutel {str(value)[:60]!r}.") from exc


def import_workspace(path, *, new_slug: str | None = None, new_name: str | None = None, user=None,
                     progress: Progress | None = None) -> ImportResult:
    """Import an archive made by ``export_workspace``; atomic; refuses an existing slug."""
    progress = progress or Progress()
    archive = _Archive(path)
    source = archive.manifest.get("workspace") or {}
    slug = new_slug or source.get("slug")
    if not slug or not isinstance(slug, str):
        raise BadInput(f"{archive.path.name}: manifest.json: de korte naam (slug) ontbreekt.")
    slug_field = Workspace._meta.get_field("slug")
    try:
        slug_field.run_validators(slug)
        for validator in slug_field.validators:
            validator(slug)
    except Exception as exc:  # noqa: BLE001
        raise BadInput(f"Ongeldige korte naam '{slug}': alleen letters, cijfers, '-' en '_'.") from exc
    if Workspace.objects.filter(slug=slug).exists():
        raise BadInput(f"Samenwerkingsverband '{slug}' bestaat al. Kies een andere korte naam met --als NIEUWE_SLUG.")

    models_in_order = exported_models()
    known = {m._meta.label_lower: m for m in models_in_order}
    for name in archive.manifest["members"]:
        if name.startswith("data/") and name not in (USERS_MEMBER, AUDIT_MEMBER, "data/core.workspace.jsonl"):
            label = name[len("data/"):-len(".jsonl")]
            if label not in known:
                raise BadInput(f"{archive.path.name}: '{name}': onbekend gegevenstype '{label}' in deze versie van "
                               "Harmonie.")
    progress.update(done=0, total=len(models_in_order) + 3, message="Importeren")
    written: list[Path] = []
    try:
        with transaction.atomic():
            result = _import(archive, slug, new_name, user, models_in_order, progress, written)
    except IntegrityError as exc:
        for file in written:
            file.unlink(missing_ok=True)
        raise BadInput(f"{archive.path.name}: de gegevens botsen met wat al in deze installatie staat of zijn "
                       f"onderling tegenstrijdig ({exc}). Er is niets geïmporteerd.") from exc
    except BaseException:
        for file in written:
            file.unlink(missing_ok=True)
        raise
    return result


def _import(archive, slug, new_name, user, models_in_order, progress, written) -> ImportResult:
    User = get_user_model()
    pk_map: dict[str, dict] = defaultdict(dict)
    where_name = archive.path.name

    # Users: reuse an existing account by username, otherwise create one without a usable password.
    users_created = 0
    user_map = pk_map[_label(User)]
    for number, row in archive.rows(USERS_MEMBER):
        username = row.get("username")
        if not isinstance(username, str) or not username.strip():
            raise BadInput(f"{where_name}: {USERS_MEMBER}, regel {number}: gebruikersnaam ontbreekt.")
        existing = User.objects.filter(username=username).first()
        if existing is None:
            existing = User(username=username, first_name=str(row.get("first_name") or "")[:150],
                            last_name=str(row.get("last_name") or "")[:150], email=str(row.get("email") or "")[:254],
                            is_active=bool(row.get("is_active", True)), is_staff=False, is_superuser=False)
            if row.get("date_joined"):
                existing.date_joined = _to_python(User._meta.get_field("date_joined"), row["date_joined"],
                                                  f"{USERS_MEMBER}, regel {number}")
            existing.set_unusable_password()
            existing.save()
            users_created += 1
        user_map[row["pk"]] = existing.pk
    progress.advance(message="Importeren: gebruikers")

    ws_rows = archive.rows("data/core.workspace.jsonl")
    if len(ws_rows) != 1:
        raise BadInput(f"{where_name}: data/core.workspace.jsonl moet precies één samenwerkingsverband bevatten.")
    counts = {}
    deferred: list = []  # (model, new pk, field, old target pk)
    files = 0
    file_dir = f"werkruimte-import/{slug}-{uuid.uuid4().hex[:8]}"

    for model in [Workspace, *models_in_order]:
        label = _label(model)
        member = "data/core.workspace.jsonl" if model is Workspace else _member_name(model)
        rows = ws_rows if model is Workspace else archive.rows(member)
        m2m_later = []
        for number, row in rows:
            where = f"{where_name}: {member}, regel {number}"
            obj = model()
            for f in model._meta.concrete_fields:
                if f.primary_key and not f.is_relation:
                    if isinstance(f, models.UUIDField):
                        setattr(obj, f.attname, uuid.uuid4())
                    continue
                if f.is_relation:
                    old = row.get(f.attname)
                    if old is not None:
                        old = _pk(f.related_model, old, where)
                    if old is None:
                        if not f.null and not f.primary_key:
                            raise BadInput(f"{where}: verplichte verwijzing '{f.name}' ontbreekt.")
                        setattr(obj, f.attname, None)
                        continue
                    target_label = _label(f.related_model)
                    if f.related_model is model and old not in pk_map[target_label] and f.null:
                        deferred.append((model, number, f, old, obj))
                        setattr(obj, f.attname, None)
                        continue
                    if f.related_model not in (User, Workspace, *models_in_order):
                        if not f.null:
                            raise BadInput(f"{where}: verwijzing '{f.name}' naar {target_label} kan niet mee.")
                        setattr(obj, f.attname, None)  # e.g. a job: not exported
                        continue
                    new = pk_map[target_label].get(old)
                    if new is None:
                        raise BadInput(f"{where}: '{f.name}' verwijst naar {target_label} {old!r}, die niet in het "
                                       "archief staat.")
                    setattr(obj, f.attname, new)
                    continue
                if f.name not in row:
                    continue  # a field added after the export: its default stays
                value = _to_python(f, row[f.name], where)
                if _is_path_field(f) and value:
                    value = _restore_file(archive, value, file_dir, written, where)
                    files += 1
                setattr(obj, f.attname, value)
            if model is Workspace:
                obj.slug = slug
                if new_name:
                    obj.name = new_name
            models.Model.save_base(obj, raw=True, force_insert=True)
            pk_map[label][_pk(model, row["pk"], where)] = obj.pk
            for f in model._meta.many_to_many:
                if f.remote_field.through._meta.auto_created and row.get(f.name):
                    m2m_later.append((obj, f, row[f.name], where))
        if model is not Workspace:
            counts[label] = len(rows)
        for obj, f, old_ids, where in m2m_later:
            target_label = _label(f.related_model)
            try:
                new_ids = [pk_map[target_label][_pk(f.related_model, old, where)] for old in old_ids]
            except (KeyError, TypeError) as exc:
                raise BadInput(f"{where}: '{f.name}' verwijst naar een onbekende {target_label}.") from exc
            getattr(obj, f.name).set(new_ids)
        progress.advance(message=f"Importeren: {model._meta.verbose_name_plural}")

    for model, number, f, old, obj in deferred:
        new = pk_map[_label(model)].get(old)
        if new is None:
            raise BadInput(f"{where_name}: {_member_name(model)}, regel {number}: '{f.name}' verwijst naar een "
                           "onbekende rij.")
        model._default_manager.filter(pk=obj.pk).update(**{f.attname: new})
    workspace = Workspace.objects.get(pk=pk_map["core.Workspace"][ws_rows[0][1]["pk"]])

    audit_count = _import_audit(archive, workspace, user_map, where_name)
    progress.advance(message="Importeren: auditlog")
    archive_sha, _size = _hash_file(archive.path)
    audit_info = archive.manifest.get("audit") or {}
    audit.record_import(
        user, workspace, object_type="core.workspace", file_name=archive.path.name, file_sha256=archive_sha,
        added=sum(counts.values()), changed=0, removed=0,
        object_repr=(f"Import van samenwerkingsverband '{(archive.manifest.get('workspace') or {}).get('slug', '')}'"
                     f" ({audit_count} auditregels, oorspronkelijke keten {audit_info.get('first_hash', '')[:12]}…"
                     f"{audit_info.get('last_hash', '')[:12]})"),
    )
    progress.advance(message="Import klaar")
    return ImportResult(workspace, counts, users_created, audit_count, files, dict(pk_map))


def _restore_file(archive, member, file_dir, written, where) -> str:
    if member not in archive.manifest["members"] or not member.startswith("files/"):
        raise BadInput(f"{where}: bestand '{member}' staat niet in het archief.")
    data = archive.read(member)
    relative = f"{file_dir}/{'/'.join(PurePosixPath(member).parts[1:])}"
    target = (_data_dir() / relative).resolve()
    if not target.is_relative_to(_data_dir()):
        raise BadInput(f"{where}: onveilig bestandspad '{member}'.")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    written.append(target)
    return relative


def _import_audit(archive, workspace, user_map, where_name) -> int:
    rows = archive.rows(AUDIT_MEMBER)
    source_ws = (archive.manifest.get("workspace") or {}).get("id")
    fields = []
    for number, row in rows:
        where = f"{where_name}: {AUDIT_MEMBER}, regel {number}"
        original = AuditEntry(workspace_id=row.get("workspace_id"))
        for name in audit.HASHED_FIELDS:
            if name == "workspace_id":
                continue
            value = row.get(name)
            if name == "timestamp":
                value = _to_python(AuditEntry._meta.get_field("timestamp"), value, where)
            setattr(original, name, value)
        if row.get("workspace_id") != source_ws:
            raise BadInput(f"{where}: auditregel van een ander samenwerkingsverband.")
        if audit.compute_hash(original, row.get("prev_hash") or "") != row.get("entry_hash"):
            raise BadInput(f"{where}: de auditregel is gewijzigd (hash klopt niet).")
        values = {name: getattr(original, name) for name in audit.HASHED_FIELDS if name != "workspace_id"}
        values["user_id"] = user_map.get(row.get("user_id"))
        fields.append(values)
    for values in fields:
        audit.append_imported(workspace, values)
    return len(fields)

