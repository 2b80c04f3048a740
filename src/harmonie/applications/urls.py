"""Mounted under ``w/<slug:slug>/`` with namespace ``applications`` (see harmonie/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("applicaties/", views.overview, name="overview"),
    path("applicaties/partners/<int:partner_id>/", views.partner_detail, name="partner"),
    path("applicaties/partners/<int:partner_id>/importeren/", views.import_portfolio, name="import"),
    path("applicaties/partners/<int:partner_id>/koppelen/", views.confirm_mapping, name="confirm_mapping"),
    path("applicaties/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("applicaties/export-ameff.xml", views.export_ameff, name="export_ameff"),
]
