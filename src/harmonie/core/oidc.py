"""Login through a municipality's own identity provider (OpenID Connect, mozilla-django-oidc).

Configured only from the environment (``HARMONIE_OIDC_*``, see ``settings.py`` and
docs/beveiliging.md). When it is not configured there is no button on the login page, no
``/oidc/`` URL and no OIDC authentication backend.

Accounts are matched by e-mail address (case-insensitive) to an **existing, active** account;
nobody gets an account or a role in a samenwerkingsverband through OIDC (a coördinator or
beheerder invites people first). Two accounts with the same e-mail address: refused (ambiguous).
ID tokens must be signed (RS256 by default) and carry the nonce of this login. Users who logged
in through OIDC are marked in the session: the identity provider did the strong authentication,
so Harmonie's own TOTP step and the 2FA requirement for beheerders do not apply to that session.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .oidc_settings import REQUIRED, settings_from_env  # noqa: F401
from .twofactor import OIDC_SESSION_KEY

logger = logging.getLogger("harmonie.security")


def enabled() -> bool:
    return bool(getattr(settings, "HARMONIE_OIDC_ENABLED", False))


def button_label() -> str:
    return getattr(settings, "HARMONIE_OIDC_NAME", "") or "de inlogdienst van uw gemeente"


class HarmonieOIDCBackend(OIDCAuthenticationBackend):
    """Existing accounts only, matched by e-mail; the session remembers the OIDC login."""

    def verify_claims(self, claims):
        if not super().verify_claims(claims):
            return False
        if claims.get("email_verified") is False:
            logger.warning("OIDC-login geweigerd: e-mailadres niet geverifieerd bij de identity provider.")
            return False
        return True

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        users = get_user_model().objects.filter(email__iexact=email, is_active=True)
        if users.count() != 1:
            logger.warning("OIDC-login geweigerd: %s accounts met dit e-mailadres.", users.count())
            return self.UserModel.objects.none()
        return users

    def create_user(self, claims):  # pragma: no cover - OIDC_CREATE_USER is False; belt and braces
        return None

    def update_user(self, user, claims):
        return user  # the account is managed in Harmonie, not by the provider

    def authenticate(self, request, **kwargs):
        user = super().authenticate(request, **kwargs)
        if user is not None and request is not None:
            request.session[OIDC_SESSION_KEY] = True
        return user
