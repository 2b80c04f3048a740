"""``harmonie workspace export`` / ``import``: a whole samenwerkingsverband round-trips identically.

The round trip is checked row by row for every exported model (every field; foreign keys through the
old→new mapping; data files by content), the audit chain stays verifiable, and hostile archives are
refused before anything is written.
"""

import hashlib
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from harmonie.core import audit, exchange
from harmonie.core.errors import BadInput
from harmonie.core.models import AuditEntry, Workspace

pytestmark = pytest.mark.django_db


def test_every_model_is_exported_or_excluded_with_a_reason():
    assert exchange.unclassified_models() == [], (
        "Nieuw model? Het hoort bij een samenwerkingsverband via een verplichte verwijzing (dan gaat het vanzelf "
        "mee) of staat in core.exchange.EXCLUDED met een reden: " + ", ".join(exchange.unclassified_models()))
    labels = {m._meta.label for m in exchange.project_models()}
    stale = sorted(set(exchange.EXCLUDED) - labels)
    assert not stale, f"EXCLUDED noemt modellen die niet (meer) bestaan: {stale}"
    assert all(reason.strip() for reason in exchange.EXCLUDED.values())
    exported = {m._meta.label for m in exchange.exported_models()}
    # the layers' own data is discovered, not listed
    assert {"core.Partner", "core.Membership", "core.DeliveryStatus", "people.SurveyResponse",
            "applications.Application", "applications.ComponentMapping", "diagnosis.Implementation",
            "processes.EventLog", "processes.StatusType", "products.ProductMapping"} <= exported


def test_no_secret_looking_field_is_exported_without_a_reason():
    import re

    suspicious = [f"{m._meta.label}.{f.name}" for m in exchange.exported_models() for f in m._meta.concrete_fields
                  if re.search(exchange.SECRET_NAME, f.name, re.I)]
    unexplained = sorted(set(suspicious) - set(exchange.SAFE_LOOKALIKES))
    assert not unexplained, ("Dit veld lijkt een geheim en zou mee-geëxporteerd worden; sluit het model uit of "
                             f"leg in SAFE_LOOKALIKES uit waarom het geen geheim is: {unexplained}")
    assert exchange.USER_FIELDS == ("username", "first_name", "last_name", "email", "is_active", "date_joined")


def test_parents_come_before_children():
    order = [m for m in exchange.exported_models()]
    position = {m: i for i, m in enumerate(order)}
    for model in order:
        for f in model._meta.fields:
            if f.is_relation and not f.null and f.related_model in position and f.related_model is not model:
                assert position[f.related_model] < position[model], (model, f.name)


@pytest.fixture
def demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "var"
    settings.DATA_DIR.mkdir()
    from harmonie.core.demo import build_demo

    result = build_demo()
    workspace = result.workspace
    partner = workspace.partners.order_by("pk").first()
    # a data file under HARMONIE_DATA_DIR (an event log's Parquet file)
    from harmonie.processes.models import EventLog, ZaakType

    zaaktype = ZaakType.objects.create(workspace=workspace, partner=partner, source="zip", identificatie="ZT-1",
                                       omschrijving="Evenementenvergunning", content_hash="a" * 64,
                                       details={"nested": [1, 2.5, "x"]})
    zaaktype.statustypen.create(volgnummer=1, omschrijving="Ontvangen")
    parquet = settings.DATA_DIR / "eventlogs" / "exchange-test.parquet"
    parquet.parent.mkdir(parents=True, exist_ok=True)
    parquet.write_bytes(b"PAR1" + bytes(range(256)) * 40 + b"PAR1")
    EventLog.objects.create(workspace=workspace, partner=partner, name="Vergunningen 2025", source_name="log.xes",
                            file_sha256="b" * 64, parquet_path="eventlogs/exchange-test.parquet", cases=3, events=9,
                            zaaktype=zaaktype, created_by=result.workspace.memberships.first().user)
    return workspace


def _values(obj, pk_map):
    """Every concrete field of a row, foreign keys translated to the imported side."""
    out = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key and not f.is_relation:
            continue
        value = getattr(obj, f.attname)
        if f.is_relation and value is not None:
            if f.related_model is get_user_model():
                value = get_user_model().objects.get(pk=value).username
            else:
                value = pk_map.get(f.related_model._meta.label, {}).get(value, ("niet meegenomen", value))
        if isinstance(f, models.BinaryField) and value is not None:
            value = bytes(value)
        if exchange._is_path_field(f) and value:
            from django.conf import settings

            value = hashlib.sha256((settings.DATA_DIR / value).read_bytes()).hexdigest()
        out[f.name] = value
    for f in obj._meta.many_to_many:
        out[f.name] = sorted(o.pk for o in getattr(obj, f.name).all())
    return out


def _translated(obj, pk_map):
    values = _values(obj, pk_map)
    for f in obj._meta.concrete_fields:
        if f.is_relation and f.related_model is not get_user_model() and getattr(obj, f.attname) is not None:
            values[f.name] = pk_map[f.related_model._meta.label][getattr(obj, f.attname)]
    for f in obj._meta.many_to_many:
        values[f.name] = sorted(pk_map[f.related_model._meta.label][pk] for pk in values[f.name])
    return values


def _target_values(obj):
    values = _values(obj, {})
    for f in obj._meta.concrete_fields:
        if f.is_relation and f.related_model is not get_user_model() and getattr(obj, f.attname) is not None:
            values[f.name] = getattr(obj, f.attname)
    return values


def test_round_trip_is_identical_row_by_row(demo, tmp_path, capsys):
    source = demo
    archive = tmp_path / "demo.zip"
    call_command("workspace", "export", source.slug, "--output", str(archive), "--stil")
    assert "Geëxporteerd naar" in capsys.readouterr().out
    before_chain = AuditEntry.objects.count()
    source_entries = list(AuditEntry.objects.filter(workspace=source).order_by("id"))
    assert source_entries, "de demo schrijft auditregels"

    result = exchange.import_workspace(archive, new_slug="demo-kopie")
    target = result.workspace
    assert target.slug == "demo-kopie" and target.name == source.name
    for f in ("wgr_form", "vision", "goals", "created_at"):
        assert getattr(target, f) == getattr(source, f)

    pk_map = result.pk_map
    compared = 0
    for model in exchange.exported_models():
        label = model._meta.label
        src_rows = list(exchange._rows(model, source))
        dst_rows = {obj.pk: obj for obj in exchange._rows(model, target)}
        assert len(src_rows) == len(dst_rows), label
        assert set(pk_map.get(label, {}).values()) == set(dst_rows), label
        for obj in src_rows:
            expected = _translated(obj, pk_map)
            actual = _target_values(dst_rows[pk_map[label][obj.pk]])
            for name in set(expected) | set(actual):
                f = model._meta.get_field(name)
                if f.is_relation and f.related_model is Workspace:
                    assert actual[name] == target.pk
                    continue
                if exchange._is_path_field(f):
                    assert actual[name] == expected[name], f"{label}.{name}: bestand verschilt"
                    continue
                assert actual[name] == expected[name], f"{label} {obj.pk}.{name}"
            compared += 1
    assert compared > 50  # the demo is a real samenwerkingsverband
    assert pk_map["processes.EventLog"] and result.files == len(pk_map["processes.EventLog"]) >= 1

    # audit: the source's entries are in the target with their original time, user and content, plus one for
    # the import, and the installation's chain is intact
    target_entries = list(AuditEntry.objects.filter(workspace=target).order_by("id"))
    assert len(target_entries) == len(source_entries) + 1
    for old, new in zip(source_entries, target_entries):
        for name in audit.HASHED_FIELDS:
            if name != "workspace_id":
                assert getattr(new, name) == getattr(old, name), name
    assert target_entries[-1].action == "import" and target_entries[-1].file_sha256 == \
        hashlib.sha256(archive.read_bytes()).hexdigest()
    assert AuditEntry.objects.count() == before_chain + len(source_entries) + 1
    assert audit.verify_chain().ok

    # users: names travel, password hashes and privileges do not
    with zipfile.ZipFile(archive) as z:
        text = z.read(exchange.USERS_MEMBER).decode()
        assert "password" not in text and "argon2" not in text and "md5$" not in text
        assert "is_superuser" not in text


def test_import_into_an_empty_installation_creates_users_without_password(demo, tmp_path):
    archive = tmp_path / "demo.zip"
    exchange.export_workspace(demo.slug, archive)
    usernames = set(demo.memberships.values_list("user__username", flat=True))
    # a fresh installation: no workspaces, no accounts, an empty audit chain
    from harmonie.core.models import AuditChainHead

    Workspace.objects.all().delete()
    AuditEntry.objects.all().delete()
    AuditChainHead.objects.all().delete()
    get_user_model().objects.filter(username__in=usernames).delete()
    result = exchange.import_workspace(archive)
    assert result.workspace.slug == demo.slug and result.users_created >= len(usernames)
    for user in get_user_model().objects.filter(username__in=usernames):
        assert not user.has_usable_password() and not user.is_superuser and not user.is_staff
    assert audit.verify_chain().ok


def test_existing_slug_is_refused_without_als(demo, tmp_path):
    archive = tmp_path / "demo.zip"
    exchange.export_workspace(demo.slug, archive)
    count = Workspace.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("workspace", "import", str(archive), "--stil")
    assert exc.value.returncode == 2 and "bestaat al" in str(exc.value) and "--als" in str(exc.value)
    assert Workspace.objects.count() == count


def _rewrite(archive, out, change):
    """Copy the archive, letting ``change(name, data)`` return new data (or None to drop it)."""
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if data is not None:
                dst.writestr(info.filename, data)
    return out


def _state():
    from harmonie.core.models import Partner

    return Workspace.objects.count(), Partner.objects.count(), AuditEntry.objects.count(), \
        get_user_model().objects.count()


@pytest.fixture
def archive(demo, tmp_path):
    path = tmp_path / "demo.zip"
    exchange.export_workspace(demo.slug, path)
    return path


def test_tampered_member_is_refused(archive, tmp_path):
    def change(name, data):
        return data.replace(b"Lindeveen", b"Lindeveeen") if name == "data/core.partner.jsonl" else data

    bad = _rewrite(archive, tmp_path / "bad.zip", change)
    before = _state()
    with pytest.raises(BadInput, match="SHA-256 klopt niet|andere grootte"):
        exchange.import_workspace(bad, new_slug="x")
    assert _state() == before


def test_tampered_audit_entry_is_refused_even_with_a_matching_manifest(archive, tmp_path):
    def change(name, data):
        if name == exchange.AUDIT_MEMBER:
            return data.replace(b'"user_display": "', b'"user_display": "X', 1)
        return data

    bad = _rewrite(archive, tmp_path / "bad.zip", change)

    def fix_manifest(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        with zipfile.ZipFile(bad) as z:
            member = z.read(exchange.AUDIT_MEMBER)
        manifest["members"][exchange.AUDIT_MEMBER] = {"sha256": hashlib.sha256(member).hexdigest(),
                                                      "size": len(member)}
        return json.dumps(manifest)

    worse = _rewrite(bad, tmp_path / "worse.zip", fix_manifest)
    before = _state()
    with pytest.raises(BadInput, match="auditregel is gewijzigd"):
        exchange.import_workspace(worse, new_slug="x")
    assert _state() == before


def test_member_that_is_not_utf8_is_refused_even_with_a_matching_manifest(archive, tmp_path):
    """Found by make fuzz: a re-signed member with invalid UTF-8 raised UnicodeDecodeError."""
    member = "data/core.partner.jsonl"
    broken = b"\xff\xfe\xfa niet utf-8\n"

    def change(name, data):
        if name == member:
            return broken
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["members"][member] = {"sha256": hashlib.sha256(broken).hexdigest(), "size": len(broken)}
            return json.dumps(manifest)
        return data

    bad = _rewrite(archive, tmp_path / "bad.zip", change)
    before = _state()
    with pytest.raises(BadInput, match="geen UTF-8"):
        exchange.import_workspace(bad, new_slug="x")
    assert _state() == before


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "data/../../evil", "files\\evil", "data/./x"])
def test_path_traversal_is_refused(archive, tmp_path, name):
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr(name, b"x")
    with pytest.raises(BadInput, match="onveilige naam"):
        exchange.import_workspace(bad, new_slug="x")
    assert not (tmp_path / "evil.txt").exists()


def test_zip_bomb_is_refused(archive, tmp_path):
    bad = _rewrite(archive, tmp_path / "bad.zip", lambda name, data: data)
    with zipfile.ZipFile(bad, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("files/bom.bin", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(BadInput, match="zipbom"):
        exchange.import_workspace(bad, new_slug="x")


def test_member_not_in_manifest_and_other_junk_is_refused(archive, tmp_path, settings):
    bad = _rewrite(archive, tmp_path / "bad.zip", lambda name, data: data)
    with zipfile.ZipFile(bad, "a") as z:
        z.writestr("data/extra.jsonl", b"{}\n")
    with pytest.raises(BadInput, match="niet in het manifest"):
        exchange.import_workspace(bad, new_slug="x")
    (tmp_path / "junk.zip").write_bytes(b"PK\x03\x04 geen zip")
    with pytest.raises(BadInput, match="geen geldig ZIP"):
        exchange.import_workspace(tmp_path / "junk.zip", new_slug="x")
    no_manifest = _rewrite(archive, tmp_path / "nm.zip", lambda n, d: None if n == "manifest.json" else d)
    with pytest.raises(BadInput, match="manifest.json ontbreekt"):
        exchange.import_workspace(no_manifest, new_slug="x")
    settings.HARMONIE_MAX_IMPORT_BYTES = 1000
    with pytest.raises(BadInput, match="meer dan toegestaan"):
        exchange.import_workspace(archive, new_slug="x")


def test_failure_halfway_leaves_nothing_behind(archive, tmp_path, settings):
    """A broken row late in the archive: no workspace, no users, no audit entries, no data files."""
    def change(name, data):
        if name == "data/processes.eventlog.jsonl":
            row = json.loads(data.splitlines()[0])
            row["cases"] = "veel"
            return json.dumps(row).encode() + b"\n"
        return data

    bad = _rewrite(archive, tmp_path / "bad.zip", change)

    def fix_manifest(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        with zipfile.ZipFile(bad) as z:
            for member in manifest["members"]:
                content = z.read(member)
                manifest["members"][member] = {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
        return json.dumps(manifest)

    worse = _rewrite(bad, tmp_path / "worse.zip", fix_manifest)
    before = _state()
    with pytest.raises(BadInput, match="processes.eventlog.jsonl, regel 1: veld 'cases'"):
        exchange.import_workspace(worse, new_slug="x")
    assert _state() == before
    assert not (settings.DATA_DIR / "werkruimte-import").exists() or \
        not any(p.is_file() for p in (settings.DATA_DIR / "werkruimte-import").rglob("*"))


def test_unknown_workspace_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("workspace", "export", "bestaat-niet", "--output", str(tmp_path / "x.zip"), "--stil")
    assert exc.value.returncode == 2 and "bestaat niet" in str(exc.value)
    assert not (tmp_path / "x.zip").exists()


def test_conflicting_rows_are_bad_input_and_nothing_is_written(archive, tmp_path):
    """Two partners with the same CBS code violate a unique constraint: a Dutch message, nothing written."""
    def change(name, data):
        if name == "data/core.partner.jsonl":
            lines = data.splitlines()
            first, second = json.loads(lines[0]), json.loads(lines[1])
            second["cbs_code"] = first["cbs_code"]
            lines[1] = json.dumps(second).encode()
            return b"\n".join(lines) + b"\n"
        return data

    bad = _rewrite(archive, tmp_path / "bad.zip", change)

    def fix_manifest(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        with zipfile.ZipFile(bad) as z:
            content = z.read("data/core.partner.jsonl")
        manifest["members"]["data/core.partner.jsonl"] = {"sha256": hashlib.sha256(content).hexdigest(),
                                                          "size": len(content)}
        return json.dumps(manifest)

    worse = _rewrite(bad, tmp_path / "worse.zip", fix_manifest)
    before = _state()
    with pytest.raises(BadInput, match="botsen"):
        exchange.import_workspace(worse, new_slug="x")
    assert _state() == before
