"""Write audit entries: one per manual change, one per import.

This module is the only writer of ``AuditEntry``. Every entry is chained: its
``entry_hash`` is the SHA-256 of a canonical JSON of its content fields plus the
``prev_hash`` (the ``entry_hash`` of the entry written before it; the first entry
chains onto ``GENESIS_HASH``). One chain per installation, in insertion (id) order.

Concurrency: the append happens inside one transaction that locks the
``AuditChainHead`` singleton row (``select_for_update``; on PostgreSQL a row lock,
on SQLite the IMMEDIATE transaction mode already serialises writers), reads the
last hash there, inserts the entry and moves the head. Two writers therefore can
never chain onto the same predecessor. The head lock is held until the caller's
outer transaction commits.

``verify_chain()`` recomputes everything and reports the first broken entry.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from .models import AuditAction, AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64
HEAD_PK = 1

# The fields covered by the hash. ``user`` (the FK) is left out on purpose: it is set
# to NULL when an account is deleted; ``user_display`` keeps who it was.
HASHED_FIELDS = (
    "workspace_id", "user_display", "timestamp", "action", "object_type", "object_id", "object_repr",
    "before", "after", "file_name", "file_sha256", "added", "changed", "removed",
)


def snapshot(instance, fields=None) -> dict:
    """A JSON-safe dict of a model instance, for before/after."""
    data = model_to_dict(instance, fields=fields)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _json_safe(value):
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _normalise(value):
    """Make JSON values compare equal after a round trip through any database
    (PostgreSQL jsonb may print an integral float as an integer)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    return value


def _timestamp(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_content(entry, prev_hash: str) -> bytes:
    """The exact bytes that are hashed for ``entry`` (a model instance, also a historical one)."""
    content = {}
    for name in HASHED_FIELDS:
        value = getattr(entry, name)
        if name == "timestamp":
            value = _timestamp(value)
        elif name in ("before", "after"):
            value = _normalise(value)
        content[name] = value
    content["prev_hash"] = prev_hash
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def compute_hash(entry, prev_hash: str) -> str:
    return hashlib.sha256(canonical_content(entry, prev_hash)).hexdigest()


def _locked_head() -> AuditChainHead:
    """The chain head, locked for this transaction; created from the last entry if missing."""
    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
    if head is not None:
        return head
    last = AuditEntry.objects.order_by("-id").only("id", "entry_hash").first()
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(pk=HEAD_PK, last_hash=last.entry_hash if last else GENESIS_HASH,
                                          last_entry_id=last.id if last else None)
    except IntegrityError:
        pass  # another writer created it first; lock theirs
    return AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)


def _append(**fields) -> AuditEntry:
    fields["before"] = _json_safe(fields.get("before"))
    fields["after"] = _json_safe(fields.get("after"))
    with transaction.atomic():
        head = _locked_head()
        entry = AuditEntry(timestamp=timezone.now(), **fields)
        entry.prev_hash = head.last_hash or GENESIS_HASH
        entry.entry_hash = compute_hash(entry, entry.prev_hash)
        entry.save(force_insert=True)
        head.last_hash = entry.entry_hash
        head.last_entry_id = entry.id
        head.updated_at = timezone.now()
        head.save(update_fields=["last_hash", "last_entry_id", "updated_at"])
    return entry


def append_imported(workspace, values: dict) -> AuditEntry:
    """Append an entry from an imported workspace archive (``core.exchange``): its original
    timestamp, user name and content, chained onto this installation's chain (new hashes)."""
    fields = {name: values.get(name) for name in HASHED_FIELDS if name not in ("workspace_id", "timestamp")}
    fields["before"] = _json_safe(fields.get("before"))
    fields["after"] = _json_safe(fields.get("after"))
    with transaction.atomic():
        head = _locked_head()
        entry = AuditEntry(workspace=workspace, user_id=values.get("user_id"), timestamp=values["timestamp"],
                           **fields)
        entry.prev_hash = head.last_hash or GENESIS_HASH
        entry.entry_hash = compute_hash(entry, entry.prev_hash)
        entry.save(force_insert=True)
        head.last_hash = entry.entry_hash
        head.last_entry_id = entry.id
        head.updated_at = timezone.now()
        head.save(update_fields=["last_hash", "last_entry_id", "updated_at"])
    return entry


def _user_fields(user):
    if user is not None and getattr(user, "is_authenticated", False):
        return {"user": user, "user_display": user.get_username()}
    return {"user": None, "user_display": "systeem"}


def record_change(user, workspace, action, instance, before=None, after=None) -> AuditEntry:
    return _append(
        workspace=workspace,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk or ""),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
        **_user_fields(user),
    )


def record_import(user, workspace, *, object_type, file_name, file_sha256, added, changed, removed, object_repr=""):
    return _append(
        workspace=workspace,
        action=AuditAction.IMPORT,
        object_type=object_type,
        object_repr=object_repr[:300],
        file_name=file_name[:300],
        file_sha256=file_sha256,
        added=added,
        changed=changed,
        removed=removed,
        **_user_fields(user),
    )


def record_deletion(user, workspace, *, object_type, object_id="", object_repr="", removed, details=None):
    """A bulk deletion (e.g. by ``harmonie retentie``): how many rows of what, and why (``details``)."""
    return _append(
        workspace=workspace,
        action=AuditAction.DELETE,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:300],
        before=details,
        removed=removed,
        **_user_fields(user),
    )


@dataclass
class ChainReport:
    ok: bool
    checked: int
    last_hash: str
    broken_id: int | None = None
    message: str = ""


def verify_chain() -> ChainReport:
    """Recompute the whole chain in id order; report the first entry where it breaks (in Dutch)."""
    expected_prev = GENESIS_HASH
    previous_id = None
    checked = 0
    entries = AuditEntry.objects.order_by("id").only("id", "prev_hash", "entry_hash", *HASHED_FIELDS)
    for entry in entries.iterator(chunk_size=2000):
        if entry.prev_hash != expected_prev:
            after = f"regel {previous_id}" if previous_id is not None else "het begin van de keten"
            return ChainReport(False, checked, expected_prev, entry.id, (
                f"Auditlog is niet intact: auditregel {entry.id} sluit niet aan op {after}. "
                "Er is een regel verwijderd, ingevoegd of van volgorde veranderd."))
        if compute_hash(entry, entry.prev_hash) != entry.entry_hash:
            return ChainReport(False, checked, expected_prev, entry.id, (
                f"Auditlog is niet intact: auditregel {entry.id} is gewijzigd "
                "(de inhoud past niet meer bij de opgeslagen hash)."))
        expected_prev = entry.entry_hash
        previous_id = entry.id
        checked += 1

    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    head_hash = head.last_hash if head is not None else GENESIS_HASH
    if head is None and checked == 0:
        return ChainReport(True, 0, GENESIS_HASH)
    if head is None or (head_hash or GENESIS_HASH) != expected_prev:
        if head is not None and head.last_entry_id is not None and (previous_id is None
                                                                    or head.last_entry_id > previous_id):
            return ChainReport(False, checked, expected_prev, head.last_entry_id, (
                f"Auditlog is niet intact: auditregel {head.last_entry_id} (de laatst geschreven regel) "
                f"ontbreekt; de keten eindigt bij {f'regel {previous_id}' if previous_id else 'het begin'}. "
                "Er zijn regels aan het eind verwijderd."))
        broken = previous_id
        return ChainReport(False, checked, expected_prev, broken, (
            f"Auditlog is niet intact: auditregel {broken} is niet via Harmonie geschreven "
            "(de keten wijkt af van de laatst geregistreerde regel)."))
    return ChainReport(True, checked, expected_prev)
