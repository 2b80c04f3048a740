"""Login throttling on ``/inloggen/``: 5 failures per (username, address), 50 per address and 20 per username
in 15 minutes lock for 15 minutes."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from harmonie.core import throttle
from harmonie.core.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-123"
LOCKED = "Te veel mislukte inlogpogingen"


@pytest.fixture(autouse=True)
def private_cache(settings):
    """A cache of our own: the real one is a file cache shared with other processes."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "harmonie-throttle-tests"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user():
    return UserFactory(username="j.jansen")


def login(client, username, password, address="192.0.2.10", **extra):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address, **extra)


def fail(client, username, times, address="192.0.2.10"):
    for _ in range(times):
        response = login(client, username, "fout-wachtwoord", address)
        assert response.status_code == 200 and LOCKED not in response.content.decode()


def test_login_page_and_normal_login_still_work(client, user):
    assert client.get(reverse("login")).status_code == 200
    response = login(client, "j.jansen", PASSWORD)
    assert response.status_code == 302


def test_four_failures_then_correct_password_logs_in(client, user):
    fail(client, "j.jansen", 4)
    assert login(client, "j.jansen", PASSWORD).status_code == 302


def test_fifth_failure_locks_the_username_even_with_right_password(client, user):
    fail(client, "j.jansen", 4)
    fifth = login(client, "j.jansen", "fout-wachtwoord")
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode() and "15 minuten" in fifth.content.decode()
    # The right password from the same address is refused too.
    response = login(client, "j.jansen", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert int(response["Retry-After"]) > 0
    # The lock is per (username, address): from another address the user can still log in (the
    # per-username cap over all addresses is higher, see the many-addresses test).
    assert login(client, "j.jansen", PASSWORD, address="198.51.100.7").status_code == 302


def test_same_message_whether_or_not_the_account_exists(client, user):
    fail(client, "j.jansen", 4, address="192.0.2.1")
    fail(client, "bestaat-niet", 4, address="192.0.2.2")
    existing = login(client, "j.jansen", "x", address="192.0.2.1")
    missing = login(client, "bestaat-niet", "x", address="192.0.2.2")
    assert existing.status_code == missing.status_code == 429

    def error_text(response):
        return [str(e) for e in response.context["form"].non_field_errors()]

    assert error_text(existing) == error_text(missing)


def test_colleagues_behind_one_address_are_not_locked_out_by_one_users_mistakes(client, user):
    """A municipality's shared address: one user's five failures lock only that user there."""
    UserFactory(username="p.pietersen")
    fail(client, "p.pietersen", 4, address="203.0.113.5")
    assert login(client, "p.pietersen", "fout", address="203.0.113.5").status_code == 429
    for name in ["a", "b", "c", "d", "e"]:  # and some typos in usernames, also from that address
        login(client, name, "fout", address="203.0.113.5")
    assert login(client, "j.jansen", PASSWORD, address="203.0.113.5").status_code == 302
    # The locked colleague can still log in from another address (e.g. at home).
    assert login(client, "p.pietersen", PASSWORD, address="198.51.100.7").status_code == 302


def test_spraying_from_one_address_is_locked_at_the_per_address_cap(client, user, settings):
    settings.HARMONIE_LOGIN_MAX_FAILURES_PER_ADDRESS = 12
    for index in range(11):
        response = login(client, f"gebruiker{index}", "fout", address="203.0.113.5")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    assert login(client, "gebruiker11", "fout", address="203.0.113.5").status_code == 429
    # Now everyone at that address is refused, even with the right password ...
    assert login(client, "j.jansen", PASSWORD, address="203.0.113.5").status_code == 429
    # ... but not from another address.
    assert login(client, "j.jansen", PASSWORD, address="203.0.113.6").status_code == 302


def test_default_per_address_cap_is_fifty(client, user):
    for index in range(49):
        login(client, f"gebruiker{index}", "fout", address="203.0.113.5")
    assert login(client, "j.jansen", PASSWORD, address="203.0.113.5").status_code == 302
    client.logout()
    assert login(client, "gebruiker49", "fout", address="203.0.113.5").status_code == 429
    assert login(client, "j.jansen", PASSWORD, address="203.0.113.5").status_code == 429


def test_guessing_one_account_from_many_addresses_locks_that_account(client, user):
    for index in range(19):
        response = login(client, "j.jansen", "fout", address=f"198.51.100.{index}")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    assert login(client, "j.jansen", "fout", address="198.51.100.99").status_code == 429
    assert login(client, "j.jansen", PASSWORD, address="198.51.100.100").status_code == 429


def test_username_is_case_insensitive_for_counting(client, user):
    for name in ["J.Jansen", "j.jansen", "J.JANSEN", "j.Jansen", "j.jansen "]:
        login(client, name, "fout")
    assert login(client, "j.jansen", PASSWORD).status_code == 429


def test_empty_password_does_not_count(client, user):
    for _ in range(6):
        client.post(reverse("login"), {"username": "j.jansen", "password": ""}, REMOTE_ADDR="192.0.2.10")
    assert login(client, "j.jansen", PASSWORD).status_code == 302


def test_success_resets_the_username_counter(client, user):
    fail(client, "j.jansen", 4, address="192.0.2.1")
    assert login(client, "j.jansen", PASSWORD, address="192.0.2.2").status_code == 302
    client.logout()
    fail(client, "j.jansen", 4, address="192.0.2.3")
    assert login(client, "j.jansen", PASSWORD, address="192.0.2.4").status_code == 302


def test_lock_expires_after_the_lockout_period(client, user, monkeypatch):
    fail(client, "j.jansen", 5 - 1)
    assert login(client, "j.jansen", "fout").status_code == 429
    real_time = throttle.time.time
    monkeypatch.setattr(throttle.time, "time", lambda: real_time() + 15 * 60 + 1)
    # The cache entry may still exist (its own clock); the stored deadline has passed.
    assert throttle.locked_for("j.jansen", "192.0.2.10") == 0


def test_failures_outside_the_window_do_not_count(client, user, monkeypatch):
    real_time = throttle.time.time
    fail(client, "j.jansen", 4)
    monkeypatch.setattr(throttle.time, "time", lambda: real_time() + 16 * 60)
    assert login(client, "j.jansen", "fout").status_code == 200
    assert login(client, "j.jansen", PASSWORD).status_code == 302


def test_trusted_proxy_uses_forwarded_address(client, user, settings):
    settings.HARMONIE_TRUSTED_PROXY_COUNT = 1
    for name in ["a", "b", "c", "d", "e"]:
        login(client, name, "fout", address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    # Same proxy, another user's real address: not locked.
    assert login(client, "j.jansen", PASSWORD, address="10.0.0.1",
                 HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 302


def test_admin_form_is_throttled_too(rf, user):
    user.is_staff = True
    user.save()
    for _ in range(5):
        request = rf.post("/beheer/login/", REMOTE_ADDR="192.0.2.50")
        form = throttle.ThrottledAdminAuthenticationForm(request, data={"username": "j.jansen", "password": "x"})
        assert not form.is_valid()
    request = rf.post("/beheer/login/", REMOTE_ADDR="192.0.2.50")
    form = throttle.ThrottledAdminAuthenticationForm(request, data={"username": "j.jansen", "password": PASSWORD})
    assert not form.is_valid() and form.throttled


def test_admin_login_page_uses_the_throttled_form(client, user):
    user.is_staff = True
    user.save()
    for _ in range(5):
        client.post("/beheer/login/", {"username": "j.jansen", "password": "fout"}, REMOTE_ADDR="192.0.2.60")
    response = client.post("/beheer/login/", {"username": "j.jansen", "password": PASSWORD}, REMOTE_ADDR="192.0.2.60")
    assert response.status_code != 302 and LOCKED in response.content.decode()
