from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosisConfig(AppConfig):
    name = "harmonie.diagnosis"
    label = "diagnosis"
    verbose_name = _("Diagnose & routekaart")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The demo builder and the report job register themselves on import.
        from . import demo, services  # noqa: F401
