"""Werkprocessen pages: definitions."""

urlpatterns = []
