from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "harmonie.reference"
    label = "reference"
    verbose_name = "Referentiedata"

    def ready(self):
        from . import services  # noqa: F401 - registers the reference.* job kinds
