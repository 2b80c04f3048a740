"""OIDC settings from ``HARMONIE_OIDC_*`` environment variables (imported by settings.py: no Django imports)."""

REQUIRED = ("CLIENT_ID", "CLIENT_SECRET", "AUTHORIZATION_ENDPOINT", "TOKEN_ENDPOINT", "USERINFO_ENDPOINT",
            "JWKS_ENDPOINT")


def settings_from_env(environ) -> dict:
    """The Django settings for OIDC from ``HARMONIE_OIDC_*`` variables ({} when not configured).

    A partial configuration is an error (a typo must not silently switch OIDC off)."""
    values = {key: environ.get(f"HARMONIE_OIDC_{key}", "").strip() for key in REQUIRED}
    if not any(values.values()):
        return {}
    missing = [f"HARMONIE_OIDC_{key}" for key, value in values.items() if not value]
    if missing:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("OIDC is half ingesteld; deze omgevingsvariabelen ontbreken: " + ", ".join(missing))
    return {
        "HARMONIE_OIDC_ENABLED": True,
        "HARMONIE_OIDC_NAME": environ.get("HARMONIE_OIDC_NAME", "").strip(),
        "OIDC_RP_CLIENT_ID": values["CLIENT_ID"],
        "OIDC_RP_CLIENT_SECRET": values["CLIENT_SECRET"],
        "OIDC_OP_AUTHORIZATION_ENDPOINT": values["AUTHORIZATION_ENDPOINT"],
        "OIDC_OP_TOKEN_ENDPOINT": values["TOKEN_ENDPOINT"],
        "OIDC_OP_USER_ENDPOINT": values["USERINFO_ENDPOINT"],
        "OIDC_OP_JWKS_ENDPOINT": values["JWKS_ENDPOINT"],
        "OIDC_RP_SIGN_ALGO": environ.get("HARMONIE_OIDC_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": environ.get("HARMONIE_OIDC_SCOPES", "openid email profile"),
        "OIDC_CREATE_USER": False,
        "OIDC_USE_NONCE": True,
        "OIDC_TIMEOUT": 10,
        "OIDC_VERIFY_SSL": environ.get("HARMONIE_OIDC_VERIFY_SSL", "1") != "0",
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_STORE_ID_TOKEN": False,
        "LOGIN_REDIRECT_URL_FAILURE": "/inloggen/?oidc=geweigerd",
    }
