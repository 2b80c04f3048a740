"""Anonymous respondent pages, mounted at ``/enquete/`` (outside the workspaces)."""

from django.urls import path

from . import views

app_name = "enquete"
urlpatterns = [
    path("bedankt/", views.respondent_thanks, name="thanks"),
    path("<str:token>/", views.respondent_survey, name="survey"),
]
