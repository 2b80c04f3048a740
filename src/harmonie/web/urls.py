from django.urls import path

from . import twofactor_views, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("nieuw/", views.workspace_create, name="workspace_create"),
    path("wissel/", views.workspace_switch, name="workspace_switch"),
    path("account/token/", views.token, name="token"),
    path("account/2fa/", twofactor_views.twofactor_page, name="twofactor"),
    path("taken/<uuid:job_id>/", views.job_redirect, name="job_redirect"),
    path("w/<slug:slug>/", views.workspace_detail, name="workspace_detail"),
    path("w/<slug:slug>/bewerken/", views.workspace_edit, name="workspace_edit"),
    path("w/<slug:slug>/partners/", views.partners, name="partners"),
    path("w/<slug:slug>/partners/<int:partner_id>/verwijderen/", views.partner_remove, name="partner_remove"),
    path("w/<slug:slug>/leden/", views.members, name="members"),
    path("w/<slug:slug>/laag/<str:layer_key>/", views.layer, name="layer"),
    path("w/<slug:slug>/laag/<str:layer_key>/status/<int:partner_id>/", views.delivery_state,
         name="delivery_state"),
    path("w/<slug:slug>/audit/", views.audit_log, name="audit"),
    path("w/<slug:slug>/taken/", views.jobs, name="jobs"),
    path("w/<slug:slug>/taken/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("w/<slug:slug>/taken/<uuid:job_id>/voortgang/", views.job_progress, name="job_progress"),
    path("w/<slug:slug>/taken/<uuid:job_id>/opnieuw/", views.job_retry, name="job_retry"),
]
