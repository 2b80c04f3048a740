from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "harmonie.web"
    label = "web"
    verbose_name = "Harmonie web-UI"
