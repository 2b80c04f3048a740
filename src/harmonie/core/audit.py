"""Write audit entries: one per manual change, one per import."""

from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict
import json

from .models import AuditAction, AuditEntry


def snapshot(instance, fields=None) -> dict:
    """A JSON-safe dict of a model instance, for before/after."""
    data = model_to_dict(instance, fields=fields)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _user_fields(user):
    if user is not None and getattr(user, "is_authenticated", False):
        return {"user": user, "user_display": user.get_username()}
    return {"user": None, "user_display": "systeem"}


def record_change(user, workspace, action, instance, before=None, after=None) -> AuditEntry:
    return AuditEntry.objects.create(
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
    return AuditEntry.objects.create(
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
