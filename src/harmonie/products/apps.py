from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "harmonie.products"
    label = "products"
