"""Coördinator pages, mounted under ``w/<slug>/`` with namespace ``people``. A survey round is
chosen with ``?ronde=ID`` (GET) or the form field ``ronde`` (POST)."""

from django.urls import path

from . import views

urlpatterns = [
    path("enquetes/", views.surveys, name="surveys"),
    path("enquetes/ronde/", views.survey_detail, name="survey"),
    path("enquetes/ronde/groepen/", views.survey_group, name="survey_group"),
    path("enquetes/ronde/links/", views.survey_links, name="survey_links"),
    path("enquetes/ronde/sluiten/", views.survey_close, name="survey_close"),
    path("aansturing/", views.steering, name="steering"),
    path("aansturing/<int:partner_id>/", views.steering_edit, name="steering_edit"),
]
