from django.urls import path

from . import views

app_name = "reference"
urlpatterns = [
    path("", views.index, name="index"),
    path("bijwerken/", views.update, name="update"),
    path("taken/<uuid:job_id>/", views.job, name="job"),
    path("taken/<uuid:job_id>/voortgang/", views.job_progress, name="job_progress"),
    path("taken/<uuid:job_id>/opnieuw/", views.job_retry, name="job_retry"),
]
