"""Werkprocessen API: bpmn."""

urlpatterns = []
