"""Products API, included under /api/v1/ as ``api:products`` (no trailing slashes)."""

from . import catalogue, matrix

urlpatterns = [*catalogue.urlpatterns, *matrix.urlpatterns]
