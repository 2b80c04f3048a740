from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Mensen en aansturing: the layers "cultuur" (Cultuur & urgentie) and "aansturing"."""

    name = "harmonie.people"
    label = "people"
    verbose_name = "Mensen en aansturing"

    def ready(self):
        from . import demo  # noqa: F401 - registers the demo builder
