from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    name = "harmonie.processes"
    label = "processes"
