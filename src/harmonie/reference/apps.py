from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "harmonie.reference"
    label = "reference"
    verbose_name = "Referentiedata"
