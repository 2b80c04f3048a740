from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "harmonie.products"
    label = "products"
    verbose_name = _("Producten en diensten")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Register the job kinds and the demo builder (both are registries filled on import).
        from . import demo, services  # noqa: F401
