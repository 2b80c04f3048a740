"""Werkprocessen pages: bpmn."""

urlpatterns = []
