from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "harmonie.core"
    label = "core"
    verbose_name = "Harmonie kern"
