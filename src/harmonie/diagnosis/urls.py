"""Pages of the diagnosis, mounted under ``w/<slug>/`` with namespace ``diagnosis``."""

from django.urls import path

from . import views

urlpatterns = [
    path("diagnose/", views.overview, name="overview"),
    path("diagnose/meten/", views.measure, name="measure"),
    path("diagnose/routekaart/", views.roadmap, name="roadmap"),
    path("diagnose/routekaart/voorstel/", views.roadmap_apply, name="roadmap_apply"),
    path("diagnose/routekaart/nieuw/", views.initiative_new, name="initiative_new"),
    path("diagnose/routekaart/<int:initiative_id>/", views.initiative_edit, name="initiative_edit"),
    path("diagnose/afspraken/", views.agreements, name="agreements"),
    path("diagnose/afspraken/partner/<int:partner_id>/", views.implementation, name="implementation"),
    path("diagnose/rapport/", views.report, name="report"),
]
