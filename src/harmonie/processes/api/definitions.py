"""Werkprocessen API: definitions."""

urlpatterns = []
