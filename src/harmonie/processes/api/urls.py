"""Werkprocessen API, included under /api/v1/ as ``api:processes`` (no trailing slashes)."""

from . import bpmn, definitions, logs

urlpatterns = [*logs.urlpatterns, *definitions.urlpatterns, *bpmn.urlpatterns]
