"""Mounted under ``w/<slug:slug>/`` with namespace ``products`` (see harmonie/urls.py)."""

from .views import catalogue, matrix

urlpatterns = [*catalogue.urlpatterns, *matrix.urlpatterns]
