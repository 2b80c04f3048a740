"""TOTP two-factor authentication: enrolment, login step 2, recovery codes, replay, throttling, disabling."""

import re
import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from harmonie.core import twofactor
from harmonie.core.factories import UserFactory
from harmonie.core.models import AuditEntry, RecoveryCode, TotpDevice

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-42"


@pytest.fixture(autouse=True)
def clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user():
    user = UserFactory(username="anne")
    user.set_password(PASSWORD)
    user.save()
    return user


def code_at(secret, offset_steps=0):
    return pyotp.TOTP(secret).at(int(time.time()) + offset_steps * 30)


def next_code(secret):
    """The code of the first time step after the last accepted one (valid now: at most one step ahead)."""
    spent = TotpDevice.objects.get(secret=secret).last_step
    return pyotp.TOTP(secret).at((spent + 1) * 30)


def spent_code(secret):
    return pyotp.TOTP(secret).at(TotpDevice.objects.get(secret=secret).last_step * 30)


def enrol_via_pages(client, user):
    client.force_login(user)
    page = client.post(reverse("web:twofactor"), {"actie": "starten"}, follow=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html and "QR-code" in html
    manual = re.search(r'id="totp-sleutel">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    assert manual == TotpDevice.objects.get(user=user).secret
    wrong = client.post(reverse("web:twofactor"), {"actie": "bevestigen", "code": "000000"})
    assert wrong.status_code == 400 and "klopt niet" in wrong.content.decode()
    assert not twofactor.has_two_factor(user)
    done = client.post(reverse("web:twofactor"), {"actie": "bevestigen", "code": code_at(manual)}, follow=True)
    html = done.content.decode()
    codes = re.findall(r"<li>([A-Z2-9]{5}-[A-Z2-9]{5})</li>", html)
    assert len(codes) == 10 and twofactor.has_two_factor(user)
    # shown once; only hashes are stored
    again = client.get(reverse("web:twofactor")).content.decode()
    assert codes[0] not in again and "10 ongebruikte herstelcodes" in again
    stored = set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert not any(code in stored or code.replace("-", "") in stored for code in codes)
    client.logout()
    return manual, codes


def password_step(client, username="anne", password=PASSWORD, next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def test_enrolment_and_login_with_code(user):
    client = Client()
    secret, _codes = enrol_via_pages(client, user)
    step1 = password_step(client, next_url="/wissel/")
    assert step1.status_code == 302 and step1["Location"] == reverse("login_code")
    # not logged in yet: pages still need a login
    assert client.get(reverse("web:home"))["Location"].startswith(reverse("login"))
    wrong = client.post(reverse("login_code"), {"code": "123456"})
    assert wrong.status_code == 200 and "klopt niet" in wrong.content.decode()
    # the step used to confirm the enrolment is spent; the next one works
    assert client.post(reverse("login_code"), {"code": spent_code(secret)}).status_code == 200
    ok = client.post(reverse("login_code"), {"code": next_code(secret)})
    assert ok.status_code == 302 and ok["Location"] == "/wissel/"
    assert client.get(reverse("web:home")).status_code == 200
    actions = list(AuditEntry.objects.filter(object_type="core.totpdevice").values_list("action", flat=True))
    assert actions == ["create"]


def test_code_cannot_be_replayed(user):
    client = Client()
    secret, _codes = enrol_via_pages(client, user)
    code = next_code(secret)  # a step not used during enrolment
    password_step(client)
    assert client.post(reverse("login_code"), {"code": code}).status_code == 302
    other = Client()
    password_step(other)
    replay = other.post(reverse("login_code"), {"code": code})
    assert replay.status_code == 200 and "al gebruikt" in replay.content.decode()


def test_recovery_code_works_once_and_is_audited(user):
    client = Client()
    _secret, codes = enrol_via_pages(client, user)
    password_step(client)
    assert client.post(reverse("login_code"), {"code": codes[3].lower()}).status_code == 302
    client.logout()
    password_step(client)
    assert client.post(reverse("login_code"), {"code": codes[3]}).status_code == 200
    assert twofactor.remaining_recovery_codes(user) == 9
    entry = AuditEntry.objects.filter(object_type="core.totpdevice", action="update").get()
    assert entry.after["herstelcode"] == "gebruikt" and entry.workspace is None


def test_code_step_without_password_step_goes_to_login(db):
    response = Client().post(reverse("login_code"), {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_pending_login_expires(user, monkeypatch):
    client = Client()
    secret, _codes = enrol_via_pages(client, user)
    password_step(client)
    monkeypatch.setattr(twofactor, "PENDING_SECONDS", -1)
    response = client.post(reverse("login_code"), {"code": next_code(secret)})
    assert response["Location"] == reverse("login")


def test_code_attempts_are_throttled(user, settings):
    settings.HARMONIE_LOGIN_MAX_FAILURES = 3
    client = Client()
    secret, _codes = enrol_via_pages(client, user)
    password_step(client)
    statuses = [client.post(reverse("login_code"), {"code": f"00000{i}"}).status_code for i in range(3)]
    assert statuses == [200, 200, 429]
    locked = client.post(reverse("login_code"), {"code": next_code(secret)})
    assert locked.status_code == 429 and "geblokkeerd" in locked.content.decode()
    assert not client.session.get("_auth_user_id")


def test_disable_needs_password_and_code(user):
    client = Client()
    secret, _codes = enrol_via_pages(client, user)
    client.force_login(user)
    bad = client.post(reverse("web:twofactor"), {"actie": "uitzetten", "password": "fout", "code": code_at(secret)})
    assert bad.status_code == 400 and twofactor.has_two_factor(user)
    ok = client.post(reverse("web:twofactor"), {"actie": "uitzetten", "password": PASSWORD,
                                                "code": next_code(secret)})
    assert ok.status_code == 302 and not twofactor.has_two_factor(user)
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(object_type="core.totpdevice", action="delete").count() == 1
    client.logout()
    step1 = password_step(client)
    assert step1["Location"] == reverse("web:home")  # no code step any more


def test_renew_recovery_codes(user):
    client = Client()
    secret, codes = enrol_via_pages(client, user)
    client.force_login(user)
    page = client.post(reverse("web:twofactor"), {"actie": "herstelcodes", "code": next_code(secret)},
                       follow=True).content.decode()
    new = re.findall(r"<li>([A-Z2-9]{5}-[A-Z2-9]{5})</li>", page)
    assert len(new) == 10 and not set(new) & set(codes)
    assert not twofactor.verify(user, codes[0])


def test_admin_login_refuses_accounts_with_two_factor(user):
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client()
    enrol_via_pages(client, user)
    response = client.post("/beheer/login/", {"username": "anne", "password": PASSWORD, "next": "/beheer/"})
    assert response.status_code == 200 and "tweestapsverificatie" in response.content.decode()
    assert not client.session.get("_auth_user_id")


def test_beheerders_must_enrol_when_required(user, settings):
    settings.HARMONIE_2FA_REQUIRED_FOR_BEHEERDERS = True
    user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    assert client.get(reverse("web:home"))["Location"] == reverse("web:twofactor")
    assert client.get(reverse("web:twofactor")).status_code == 200
    secret, _codes = enrol_via_pages(client, user)
    password_step(client)
    client.post(reverse("login_code"), {"code": next_code(secret)})
    assert client.get(reverse("web:home")).status_code == 200
    # an ordinary user is not affected
    other = UserFactory()
    plain = Client()
    plain.force_login(other)
    assert plain.get(reverse("web:home")).status_code == 200
