from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "harmonie.applications"
    label = "applications"
    verbose_name = _("Applicaties")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Register the job kind and the demo builder (both are registries filled on import).
        from . import demo, services  # noqa: F401
