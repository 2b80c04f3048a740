"""Django settings for Harmonie.

Everything that differs between a laptop, CI and production comes from the
environment (12-factor): ``DATABASE_URL``, ``HARMONIE_SECRET_KEY``,
``HARMONIE_DEBUG``, ``HARMONIE_DATA_DIR``. The embedded default is a SQLite
file in WAL mode plus a database-backed job queue, so no server is needed.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("HARMONIE_DATA_DIR", PROJECT_DIR / "var"))

DEBUG = os.environ.get("HARMONIE_DEBUG", "0") == "1"
# Production mode (behind a TLS-terminating proxy): secrets only from the environment.
PRODUCTION = os.environ.get("HARMONIE_PRODUCTION", "0") == "1"
SECRET_KEY = os.environ.get("HARMONIE_SECRET_KEY") or ""
if not SECRET_KEY:
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("HARMONIE_SECRET_KEY ontbreekt: zet een lange, willekeurige sleutel in de omgeving.")
    SECRET_KEY = "dev-only-insecure-key-change-me-0123456789abcdef"
ALLOWED_HOSTS = os.environ.get("HARMONIE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "harmonie.core",
    "harmonie.reference",
    "harmonie.web",
    "harmonie.api",
    "harmonie.products",
    "harmonie.processes",
    "harmonie.people",
    "harmonie.applications",
    "harmonie.diagnosis",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "harmonie.core.twofactor.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "harmonie.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "harmonie.core.context_processors.harmonie",
            ],
        },
    },
]

WSGI_APPLICATION = "harmonie.wsgi.application"

DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'harmonie.sqlite3'}",
        # Each web process keeps its connection (a new PostgreSQL connection per request costs a server process
        # start); the health check replaces one the server closed in the meantime.
        conn_max_age=int(os.environ.get("HARMONIE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE avoids
    # lock upgrades failing halfway through an import transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

CACHES = {
    # Shared between web and worker processes: live job progress lives here.
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("HARMONIE_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
# Only Dutch until an English catalogue exists: offering "en" made an English browser get English dates and
# decimal points (and lang="en") on pages whose text is all Dutch.
LANGUAGES = [("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [PROJECT_DIR / "build" / "static"] if (PROJECT_DIR / "build" / "static").exists() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    DEBUG = False
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_AGE = 8 * 3600

# Strict CSP: no inline script or style, no eval. Vega uses its expression
# interpreter (vega-interpreter) so charts work without 'unsafe-eval'.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "harmonie.api.exceptions.problem_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Harmonie API",
    "DESCRIPTION": "REST API van Harmonie, de werkbank voor I&A-samenwerkingsverbanden van gemeenten.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "CONTACT": {"name": "Harmonie"},
    "LICENSE": {"name": "EUPL-1.2"},
}

# Background jobs: a running job's worker writes a heartbeat every few seconds; a job
# without one for HARMONIE_JOB_STALE_SECONDS is considered dead (marked failed, retryable).
HARMONIE_JOB_HEARTBEAT_SECONDS = float(os.environ.get("HARMONIE_JOB_HEARTBEAT_SECONDS", "5"))
HARMONIE_JOB_STALE_SECONDS = float(os.environ.get("HARMONIE_JOB_STALE_SECONDS", "60"))

# Upper bound for any uploaded or loaded file (bytes); importers refuse larger input.
HARMONIE_MAX_UPLOAD_BYTES = int(os.environ.get("HARMONIE_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Product catalogues (products): size limit per catalogue file (bytes; .csv.gz also after unpacking) and the
# national Samenwerkende Catalogi search service (SRU) the harvester asks; a partner may have its own address.
HARMONIE_CATALOGUE_MAX_BYTES = int(os.environ.get("HARMONIE_CATALOGUE_MAX_BYTES", str(50 * 1024 * 1024)))
HARMONIE_SC_SRU_URL = os.environ.get("HARMONIE_SC_SRU_URL", "https://zoekdienst.overheid.nl/sru/Search")
HARMONIE_SC_SRU_TIMEOUT = float(os.environ.get("HARMONIE_SC_SRU_TIMEOUT", "30"))
HARMONIE_SC_SRU_PAGE_SIZE = int(os.environ.get("HARMONIE_SC_SRU_PAGE_SIZE", "100"))

# Login throttling (core.throttle): after N failures per (username, address), per address or per
# username within the window, logins are refused for the lockout period. Behind reverse proxies set
# the number of proxies that append to X-Forwarded-For, so the real client address is used.
HARMONIE_LOGIN_MAX_FAILURES = int(os.environ.get("HARMONIE_LOGIN_MAX_FAILURES", "5"))
HARMONIE_LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("HARMONIE_LOGIN_MAX_FAILURES_PER_ADDRESS", "50"))
HARMONIE_LOGIN_MAX_FAILURES_PER_USER = int(os.environ.get("HARMONIE_LOGIN_MAX_FAILURES_PER_USER", "20"))
HARMONIE_LOGIN_WINDOW_SECONDS = int(os.environ.get("HARMONIE_LOGIN_WINDOW_SECONDS", str(15 * 60)))
HARMONIE_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("HARMONIE_LOGIN_LOCKOUT_SECONDS", str(15 * 60)))
HARMONIE_TRUSTED_PROXY_COUNT = int(os.environ.get("HARMONIE_TRUSTED_PROXY_COUNT", "0"))
# Retention (harmonie retentie): survey answers of rounds closed longer than this are deleted.
HARMONIE_RETENTION_SURVEY_DAYS = int(os.environ.get("HARMONIE_RETENTION_SURVEY_DAYS", "730"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Event logs (processes): person-related fields are replaced at import by a keyed hash (HMAC-SHA-256 with
# this key and a per-workspace salt); without HARMONIE_PSEUDONYM_KEY the key is derived from SECRET_KEY.
# Changing the key changes the pseudonyms of logs imported afterwards. Size limit per event-log file (bytes;
# XES.gz also after unpacking, times 20) and the field names treated as person-related (comma-separated).
HARMONIE_PSEUDONYM_KEY = os.environ.get("HARMONIE_PSEUDONYM_KEY", "")
HARMONIE_EVENTLOG_MAX_BYTES = int(os.environ.get("HARMONIE_EVENTLOG_MAX_BYTES", str(1024 * 1024 * 1024)))
HARMONIE_EVENTLOG_PERSON_FIELDS = [f.strip() for f in os.environ.get(
    "HARMONIE_EVENTLOG_PERSON_FIELDS",
    "org:resource,resource,monitoringResource,user,username,user_id,gebruiker,medewerker,behandelaar,employee,"
    "uitvoerder,actor").split(",") if f.strip()]

# Two-factor authentication (core.twofactor): beheerders (superusers) must set up TOTP before they can
# use Harmonie. On by default in production, off elsewhere; HARMONIE_2FA_REQUIRED_FOR_BEHEERDERS=0/1 overrides.
HARMONIE_2FA_REQUIRED_FOR_BEHEERDERS = os.environ.get(
    "HARMONIE_2FA_REQUIRED_FOR_BEHEERDERS", "1" if PRODUCTION else "0") == "1"

# Login through the municipality's identity provider (core.oidc): only when HARMONIE_OIDC_CLIENT_ID,
# _CLIENT_SECRET, _AUTHORIZATION_ENDPOINT, _TOKEN_ENDPOINT, _USERINFO_ENDPOINT and _JWKS_ENDPOINT are set.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
HARMONIE_OIDC_ENABLED = False
from harmonie.core.oidc_settings import settings_from_env as _oidc_settings  # noqa: E402

globals().update(_oidc_settings(os.environ))
if HARMONIE_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("harmonie.core.oidc.HarmonieOIDCBackend")

# Upper bound for 'harmonie workspace import' (bytes, after unpacking).
HARMONIE_MAX_IMPORT_BYTES = int(os.environ.get("HARMONIE_MAX_IMPORT_BYTES", str(2 * 1024 ** 3)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HARMONIE_LOG_LEVEL", "WARNING")},
}
