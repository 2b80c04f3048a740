from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "harmonie.processes"
    label = "processes"
    verbose_name = _("Werkprocessen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Register the job kinds and the demo builders (registries filled on import); zaaktypen first,
        # so logs and models can link to them.
        from . import services  # noqa: F401
        from .demo import definitions  # noqa: F401  isort: skip
        from .demo import logs  # noqa: F401  isort: skip
        from .demo import bpmn  # noqa: F401  isort: skip
