"""Two-factor authentication (TOTP, RFC 6238) for local accounts.

* Enrolment: ``start_enrolment`` makes an unconfirmed ``TotpDevice`` with a fresh secret; the page
  shows it as a QR code (segno, SVG data URI) and as a manual key. ``confirm_enrolment`` with a
  valid code confirms it and returns ten recovery codes, shown once; only their SHA-256 is stored.
* Login: the password step (``core.throttle.ThrottledLoginView``) does not log a user with a
  confirmed device in; it remembers the user in the session (``PENDING_KEY``, 5 minutes) and the
  code step (``web.twofactor_views.login_code``) calls ``verify`` before ``django.contrib.auth.login``.
  A session is therefore either fully authenticated or not at all.
* Codes: 6 digits, 30 s steps, one step of clock drift either way; a step that was accepted once is
  refused afterwards (no replay). Failed codes count in the login throttle (``core.throttle``), per
  account and per client address.
* Disabling needs the password and a current code (or a recovery code).
* ``HARMONIE_2FA_REQUIRED_FOR_BEHEERDERS``: beheerders (superusers) without 2FA are sent to the
  enrolment page by ``RequireTwoFactorMiddleware`` until they have set it up (users who logged in via
  the municipality's OIDC provider are exempt: that provider does the strong authentication).
* Audit: enabling, disabling, using a recovery code and renewing recovery codes are audit entries.
"""

import hashlib
import secrets
import time

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, throttle
from .errors import BadInput
from .models import AuditAction, RecoveryCode, TotpDevice

ISSUER = "Harmonie"
PENDING_KEY = "harmonie_2fa_pending"
PENDING_SECONDS = 300
OIDC_SESSION_KEY = "harmonie_oidc_login"
RECOVERY_CODES = 10
STEP = 30


def confirmed_device(user):
    if user is None or not getattr(user, "pk", None):
        return None
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def has_two_factor(user) -> bool:
    return confirmed_device(user) is not None


def start_enrolment(user) -> TotpDevice:
    """A new (unconfirmed) device with a fresh secret; replaces an earlier unconfirmed one."""
    if has_two_factor(user):
        raise BadInput(_("Tweestapsverificatie staat al aan."))
    device, _created = TotpDevice.objects.update_or_create(
        user=user, defaults={"secret": pyotp.random_base32(), "confirmed_at": None, "last_step": 0})
    return device


def provisioning_uri(device) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.get_username(), issuer_name=ISSUER)


def qr_data_uri(device) -> str:
    """The provisioning URI as an SVG QR code in a data: URI (allowed by the CSP's img-src)."""
    return segno.make(provisioning_uri(device), error="m").svg_data_uri(scale=5, border=2)


def manual_key(device) -> str:
    return " ".join(device.secret[i:i + 4] for i in range(0, len(device.secret), 4))


def _clean(code) -> str:
    return "".join(str(code or "").split()).replace("-", "").upper()


def _matching_step(device, code: str) -> int | None:
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(device.secret)
    now = int(time.time()) // STEP
    for step in (now, now - 1, now + 1):
        if secrets.compare_digest(totp.at(step * STEP), code) and step > device.last_step:
            return step
    return None


def _use_step(device, step) -> bool:
    """Atomically move ``last_step`` forward; False when another request used this step first."""
    return TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step) == 1


def confirm_enrolment(user, code) -> list[str]:
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        raise BadInput(_("Start eerst het instellen van tweestapsverificatie."))
    step = _matching_step(device, _clean(code))
    if step is None or not _use_step(device, step):
        raise BadInput(_("De code klopt niet. Controleer de tijd op uw telefoon en typ de code die nu getoond wordt."))
    with transaction.atomic():
        TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
        device.refresh_from_db()
        codes = _new_recovery_codes(user)
        audit.record_change(user, None, AuditAction.CREATE, device, after={"tweestapsverificatie": "aangezet"})
    return codes


def _hash(code: str) -> str:
    return hashlib.sha256(_clean(code).encode("utf-8")).hexdigest()


def _new_recovery_codes(user) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    codes = ["-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(2))
             for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_hash(code)) for code in codes)
    return codes


def renew_recovery_codes(user, code) -> list[str]:
    if not verify(user, code, allow_recovery=False):
        raise BadInput(_("De code klopt niet."))
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        device = confirmed_device(user)
        audit.record_change(user, None, AuditAction.UPDATE, device, after={"herstelcodes": "vernieuwd"})
    return codes


def remaining_recovery_codes(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def verify(user, code, *, allow_recovery=True) -> bool:
    """Check a TOTP code (or an unused recovery code); a used code or step never works again."""
    device = confirmed_device(user)
    if device is None:
        return False
    cleaned = _clean(code)
    step = _matching_step(device, cleaned)
    if step is not None:
        return _use_step(device, step)
    if allow_recovery and len(cleaned) == 10:
        with transaction.atomic():
            used = RecoveryCode.objects.filter(user=user, code_hash=_hash(cleaned), used_at__isnull=True) \
                .update(used_at=timezone.now())
            if used:
                audit.record_change(user, None, AuditAction.UPDATE, device,
                                    after={"herstelcode": "gebruikt",
                                           "herstelcodes_over": remaining_recovery_codes(user)})
                return True
    return False


def disable(user, password, code):
    if not user.check_password(password or ""):
        raise BadInput(_("Het wachtwoord klopt niet."))
    if not verify(user, code):
        raise BadInput(_("De code klopt niet."))
    with transaction.atomic():
        device = confirmed_device(user)
        audit.record_change(user, None, AuditAction.DELETE, device, before={"tweestapsverificatie": "aan"},
                            after={"tweestapsverificatie": "uitgezet"})
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()


# --- login step 2 -----------------------------------------------------------------------------------


def begin_pending_login(request, user, next_url=""):
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user_id": user.pk, "backend": getattr(user, "backend", ""), "next": next_url or "",
        "since": time.time(),
    }


def pending_user(request):
    data = request.session.get(PENDING_KEY)
    if not data or time.time() - data.get("since", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=data["user_id"], is_active=True).first()
    return user, data


def code_attempt_locked(user, request) -> int:
    return throttle.locked_for(f"2fa:{user.get_username()}", throttle.client_address(request))


def register_code_failure(user, request) -> bool:
    return throttle.register_failure(f"2fa:{user.get_username()}", throttle.client_address(request))


def register_code_success(user, request=None):
    throttle.register_success(f"2fa:{user.get_username()}", throttle.client_address(request))


def required_for(user) -> bool:
    return bool(getattr(settings, "HARMONIE_2FA_REQUIRED_FOR_BEHEERDERS", False)) and user.is_superuser


class RequireTwoFactorMiddleware:
    """Beheerders without 2FA only reach the enrolment page (and logout) when 2FA is required."""

    EXEMPT_NAMES = ("web:twofactor", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and required_for(user)
                and not request.session.get(OIDC_SESSION_KEY) and not has_two_factor(user)):
            exempt = [reverse(name) for name in self.EXEMPT_NAMES]
            if request.path not in exempt and not request.path.startswith(f"/{settings.STATIC_URL.strip('/')}/"):
                return redirect("web:twofactor")
        return self.get_response(request)
