"""Werkprocessen pages: logs."""

urlpatterns = []
