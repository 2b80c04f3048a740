"""The tamper-evident audit log: hash chain written by ``core.audit``, checked by ``harmonie audit verify``."""

import pytest
from django.apps import apps as global_apps
from django.core.management import call_command
from django.core.management.base import CommandError

from harmonie.core import audit, services
from harmonie.core.factories import UserFactory
from harmonie.core.models import AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(role_users, workspace):
    """A few real service calls, each writing one audit entry."""
    coordinator = role_users["coordinator"]
    services.create_workspace(UserFactory(), name="Servicepunt Holland Rijnland", vision="Eén visie")
    services.update_workspace(coordinator, workspace, vision="Samen beter")
    services.update_workspace(coordinator, workspace, goals="Minder applicaties")
    services.remove_partner(coordinator, role_users["other"])
    services.update_workspace(coordinator, workspace, vision="Nog beter")
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) >= 5
    return entries


def verify_exit(capsys):
    try:
        call_command("audit", "verify")
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, capsys.readouterr().out


def test_chain_is_intact_after_service_calls(chain, capsys):
    assert chain[0].prev_hash == audit.GENESIS_HASH
    for previous, entry in zip(chain, chain[1:]):
        assert entry.prev_hash == previous.entry_hash
        assert len(entry.entry_hash) == 64
    head = AuditChainHead.objects.get()
    assert head.last_hash == chain[-1].entry_hash and head.last_entry_id == chain[-1].id
    code, out = verify_exit(capsys)
    assert code == 0
    assert f"{len(chain)} regels gecontroleerd" in out


def test_empty_log_is_intact(db, capsys):
    AuditEntry.objects.all().delete()
    AuditChainHead.objects.all().delete()
    assert verify_exit(capsys)[0] == 0


def test_hash_survives_a_database_round_trip(chain):
    for entry in AuditEntry.objects.order_by("id"):
        assert audit.compute_hash(entry, entry.prev_hash) == entry.entry_hash


def test_edited_entry_is_detected(chain, capsys):
    target = chain[2]
    AuditEntry.objects.filter(pk=target.pk).update(after={"vision": "Iets anders"})
    code, message = verify_exit(capsys)
    assert code == 1
    assert f"auditregel {target.pk} is gewijzigd" in message


def test_edited_user_display_or_timestamp_is_detected(chain, capsys):
    target = chain[1]
    AuditEntry.objects.filter(pk=target.pk).update(user_display="iemand-anders")
    code, message = verify_exit(capsys)
    assert code == 1 and f"auditregel {target.pk}" in message


def test_deleted_user_account_does_not_break_the_chain(chain, capsys):
    """The user FK is set to NULL when an account is removed; ``user_display`` is what is hashed."""
    user = chain[1].user
    assert user is not None
    user.delete()
    assert verify_exit(capsys)[0] == 0


def test_deleted_entry_is_detected(chain, capsys):
    AuditEntry.objects.filter(pk=chain[2].pk).delete()
    code, message = verify_exit(capsys)
    assert code == 1
    assert f"auditregel {chain[3].pk} sluit niet aan op regel {chain[1].pk}" in message


def test_deleted_last_entry_is_detected(chain, capsys):
    AuditEntry.objects.filter(pk=chain[-1].pk).delete()
    code, message = verify_exit(capsys)
    assert code == 1
    assert f"auditregel {chain[-1].pk}" in message and "ontbreekt" in message


def test_reordered_entries_are_detected(chain, capsys):
    """Swap the complete rows (content and hashes) of two entries: the links no longer match."""
    first, second = chain[1], chain[2]
    fields = [f.attname for f in AuditEntry._meta.concrete_fields if f.attname != "id"]
    values_first = {name: getattr(first, name) for name in fields}
    values_second = {name: getattr(second, name) for name in fields}
    AuditEntry.objects.filter(pk=first.pk).update(**values_second)
    AuditEntry.objects.filter(pk=second.pk).update(**values_first)
    code, message = verify_exit(capsys)
    assert code == 1
    assert f"auditregel {first.pk} sluit niet aan" in message


def test_inserted_entry_is_detected(chain, capsys):
    """A forged row with a correct-looking hash in place of a removed one breaks the link after it."""
    victim = chain[2]
    AuditEntry.objects.filter(pk=victim.pk).delete()
    forged = AuditEntry(id=victim.pk, timestamp=victim.timestamp, action="update", object_type="core.workspace",
                        object_repr="vervalst", user_display="hacker", workspace_id=victim.workspace_id)
    forged.prev_hash = chain[1].entry_hash
    forged.entry_hash = audit.compute_hash(forged, forged.prev_hash)
    forged.save(force_insert=True)
    code, message = verify_exit(capsys)
    assert code == 1
    assert f"auditregel {chain[3].pk} sluit niet aan op regel {victim.pk}" in message


def test_entry_appended_outside_harmonie_is_detected(chain, capsys):
    """Appending a correctly chained row directly in the database does not move the locked head."""
    forged = AuditEntry(action="update", object_type="core.workspace", object_repr="vervalst", user_display="x")
    forged.prev_hash = chain[-1].entry_hash
    forged.entry_hash = audit.compute_hash(forged, forged.prev_hash)
    forged.save(force_insert=True)
    code, message = verify_exit(capsys)
    assert code == 1
    assert f"auditregel {forged.pk} is niet via Harmonie geschreven" in message


def test_missing_head_is_recreated_from_last_entry(chain, capsys):
    AuditChainHead.objects.all().delete()
    services.update_workspace(chain[-1].user, chain[-1].workspace, vision="Weer anders")
    assert verify_exit(capsys)[0] == 0


def test_json_values_are_canonical(workspace):
    entry = audit.record_change(None, workspace, "update", workspace,
                                before={"b": 2.0, "a": [1, {"z": "é", "y": None}]}, after={"n": 0.1})
    entry.refresh_from_db()
    assert audit.compute_hash(entry, entry.prev_hash) == entry.entry_hash
    assert entry.user_display == "systeem"


def test_migration_backfills_existing_entries(chain, capsys):
    """Entries written before the chain existed get hashes from the data migration."""
    from importlib import import_module

    migration = import_module("harmonie.core.migrations.0002_audit_hash_chain")
    AuditEntry.objects.update(prev_hash="", entry_hash="")
    AuditChainHead.objects.all().delete()
    assert verify_exit(capsys)[0] == 1
    migration.backfill_hash_chain(global_apps, None)
    assert verify_exit(capsys)[0] == 0
    # And new entries continue the back-filled chain.
    services.update_workspace(chain[-1].user, chain[-1].workspace, vision="Daarna")
    assert verify_exit(capsys)[0] == 0
