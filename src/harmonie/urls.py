import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from harmonie.web.twofactor_views import login_code
from harmonie.web.views import PasswordSetView

from harmonie.core.throttle import ThrottledAdminAuthenticationForm, ThrottledLoginView

admin.site.login_form = ThrottledAdminAuthenticationForm  # /beheer/login/ is throttled like /inloggen/

urlpatterns = [
    path("inloggen/", ThrottledLoginView.as_view(template_name="web/login.html"), name="login"),
    path("inloggen/code/", login_code, name="login_code"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord/<uidb64>/<token>/", PasswordSetView.as_view(), name="password_reset_confirm"),
    path("beheer/", admin.site.urls),
    path("api/v1/", include("harmonie.api.urls")),
    path("referentiedata/", include("harmonie.reference.urls")),
    path("enquete/", include("harmonie.people.respondent_urls")),
    path("", include("harmonie.web.urls")),
]


def _layer_app_urls():
    """Layer apps add their pages in ``<app>/urls.py``, mounted under ``w/<slug>/``
    with the app label as namespace (e.g. ``applications:overview``)."""
    patterns = []
    for config in apps.get_app_configs():
        if not config.name.startswith("harmonie.") or config.label in ("web", "api", "core", "reference"):
            continue
        module_name = f"{config.name}.urls"
        if importlib.util.find_spec(module_name) is not None:
            module = importlib.import_module(module_name)
            patterns.append(path("w/<slug:slug>/", include((module.urlpatterns, config.label),
                                                             namespace=config.label)))
    return patterns


urlpatterns[-1:-1] = _layer_app_urls()

# OIDC login (core.oidc): only when configured through HARMONIE_OIDC_* environment variables.
if getattr(settings, "HARMONIE_OIDC_ENABLED", False):
    urlpatterns.insert(1, path("oidc/", include("mozilla_django_oidc.urls")))
