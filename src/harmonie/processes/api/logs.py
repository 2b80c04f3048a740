"""Werkprocessen API: logs."""

urlpatterns = []
