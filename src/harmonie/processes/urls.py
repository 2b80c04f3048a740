"""Mounted under ``w/<slug:slug>/`` with namespace ``processes`` (see harmonie/urls.py)."""

from .views import bpmn, definitions, logs

urlpatterns = [*logs.urlpatterns, *definitions.urlpatterns, *bpmn.urlpatterns]
