from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "harmonie.api"
    label = "api"
    verbose_name = "Harmonie REST API"
