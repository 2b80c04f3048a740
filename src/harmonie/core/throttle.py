"""Login throttling: refuse logins after too many failures, counted so that colleagues behind one
shared address (a municipality's proxy or NAT) do not lock each other out.

Three counters, each within ``HARMONIE_LOGIN_WINDOW_SECONDS`` (15 minutes); reaching a cap refuses
further attempts for ``HARMONIE_LOGIN_LOCKOUT_SECONDS`` (15 minutes) without checking the password:

* per (username, address): ``HARMONIE_LOGIN_MAX_FAILURES`` (5). One user's typing mistakes lock
  only that user at that address; guessing one account's password from one address is stopped.
* per address: ``HARMONIE_LOGIN_MAX_FAILURES_PER_ADDRESS`` (50), any usernames. Stops password
  spraying (a few guesses at many accounts) from one address, high enough that a municipality
  with many users behind one address is not locked out by a few colleagues' mistakes.
* per username, any address: ``HARMONIE_LOGIN_MAX_FAILURES_PER_USER`` (20). Stops guessing one
  account's password from many addresses.

The message is the same whether or not the account exists (no account enumeration); failures for
unknown usernames count too. The two-factor code step (``core.twofactor``) uses the same counters
with the subject ``2fa:<username>``; there the per-username cap stays at the strict
``HARMONIE_LOGIN_MAX_FAILURES`` (the password is already known, only a 6-digit code is left).

State lives in Django's default cache (a file-based cache shared by all web processes), keyed
by a SHA-256 of the lower-cased username and/or the address. A successful login clears that
username's failures (per username and for the pair), not the address's: one valid account must
not reset an attacker's counter. Only real authentication failures count; a form with an empty
field does not.

The client address is ``REMOTE_ADDR``; behind ``HARMONIE_TRUSTED_PROXY_COUNT`` reverse proxies
it is taken from ``X-Forwarded-For`` (the entry those proxies appended), otherwise every user
would share the proxy's address.
"""

import hashlib
import logging
import time

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

logger = logging.getLogger("harmonie.security")

PREFIX = "harmonie-login"


def max_failures() -> int:
    return int(getattr(settings, "HARMONIE_LOGIN_MAX_FAILURES", 5))


def max_failures_per_address() -> int:
    return int(getattr(settings, "HARMONIE_LOGIN_MAX_FAILURES_PER_ADDRESS", 50))


def max_failures_per_user() -> int:
    return int(getattr(settings, "HARMONIE_LOGIN_MAX_FAILURES_PER_USER", 20))


def window_seconds() -> int:
    return int(getattr(settings, "HARMONIE_LOGIN_WINDOW_SECONDS", 15 * 60))


def lockout_seconds() -> int:
    return int(getattr(settings, "HARMONIE_LOGIN_LOCKOUT_SECONDS", 15 * 60))


def client_address(request) -> str:
    if request is None:
        return ""
    proxies = int(getattr(settings, "HARMONIE_TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _subjects(username: str, address: str) -> list[tuple[str, int]]:
    """The counters one attempt touches, each with its cap."""
    subjects = []
    name = username.strip().lower() if username else ""
    if name:
        per_user = max_failures() if name.startswith("2fa:") else max(max_failures(), max_failures_per_user())
        subjects.append(("user:" + name, per_user))
        if address:
            subjects.append(("pair:" + address + "|" + name, max_failures()))
    if address:
        subjects.append(("addr:" + address, max(max_failures(), max_failures_per_address())))
    return subjects


def _key(kind: str, subject: str) -> str:
    return f"{PREFIX}:{kind}:{hashlib.sha256(subject.encode('utf-8')).hexdigest()}"


def locked_for(username: str, address: str) -> int:
    """Seconds the login for this username or address is still refused (0: not refused)."""
    now = time.time()
    remaining = 0
    for subject, _cap in _subjects(username, address):
        until = cache.get(_key("lock", subject))
        if until:
            remaining = max(remaining, int(until - now) + 1)
    return remaining


def register_failure(username: str, address: str) -> bool:
    """Count one failed login; True when it caused a lockout."""
    now = time.time()
    locked = False
    for subject, cap in _subjects(username, address):
        key = _key("fail", subject)
        recent = [t for t in (cache.get(key) or []) if now - t < window_seconds()]
        recent.append(now)
        cache.set(key, recent, window_seconds())
        if len(recent) >= cap:
            cache.set(_key("lock", subject), now + lockout_seconds(), lockout_seconds())
            cache.delete(key)
            locked = True
            logger.warning("Inloggen geblokkeerd na %s mislukte pogingen (%s).", len(recent), subject.split(":")[0])
    return locked


def register_success(username: str, address: str = "") -> None:
    """Clear the username's failures (overall and from this address); the address counter stays."""
    for subject, _cap in _subjects(username, address):
        if not subject.startswith("addr:"):
            cache.delete(_key("fail", subject))


def locked_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "Te veel mislukte inlogpogingen. Inloggen is tijdelijk geblokkeerd; probeer het over %(n)d minuut opnieuw.",
        "Te veel mislukte inlogpogingen. Inloggen is tijdelijk geblokkeerd; probeer het over %(n)d minuten opnieuw.",
        minutes,
    ) % {"n": minutes}


class ThrottleMixin:
    """Adds the throttle to an ``AuthenticationForm`` subclass; refused attempts never reach
    the password check."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        address = client_address(self.request)
        self.throttled = False
        remaining = locked_for(username, address)
        if remaining:
            self.throttled = True
            raise forms.ValidationError(locked_message(remaining), code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError as exc:
            if username and password and getattr(exc, "code", None) in ("invalid_login", "inactive"):
                if register_failure(username, address):
                    self.throttled = True
                    raise forms.ValidationError(locked_message(lockout_seconds()), code="throttled") from exc
            raise
        register_success(username, address)
        return cleaned


class ThrottledAuthenticationForm(ThrottleMixin, AuthenticationForm):
    """The login form of ``/inloggen/``."""


class ThrottledAdminAuthenticationForm(ThrottleMixin, AdminAuthenticationForm):
    """For ``admin.site.login_form``, so ``/beheer/login/`` is throttled the same way.

    Accounts with two-factor authentication cannot log in here (this form has no code step):
    they use ``/inloggen/`` and then go to ``/beheer/``."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        from .twofactor import has_two_factor

        if has_two_factor(user):
            raise forms.ValidationError(
                _("Dit account gebruikt tweestapsverificatie. Log in via de gewone inlogpagina (/inloggen/) "
                  "en ga daarna naar het beheer."), code="two_factor")


class ThrottledLoginView(LoginView):
    """The ``login`` view: throttled form; a refused attempt answers 429 Too Many Requests."""

    form_class = ThrottledAuthenticationForm

    def get_context_data(self, **kwargs):
        from . import oidc

        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc.enabled()
        context["oidc_label"] = oidc.button_label()
        context["oidc_refused"] = self.request.GET.get("oidc") == "geweigerd"
        return context

    def form_valid(self, form):
        """Users with two-factor authentication are not logged in yet: first the code step."""
        from django.shortcuts import redirect

        from .twofactor import begin_pending_login, has_two_factor

        user = form.get_user()
        if has_two_factor(user):
            begin_pending_login(self.request, user, self.get_redirect_url())
            return redirect("login_code")
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "throttled", False):
            response.status_code = 429
            response["Retry-After"] = str(locked_for(form.cleaned_data.get("username") or "",
                                                     client_address(self.request)) or lockout_seconds())
        return response
