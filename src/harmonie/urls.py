from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("inloggen/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="web/password_set.html", success_url="/inloggen/"), name="password_reset_confirm"),
    path("beheer/", admin.site.urls),
    path("api/v1/", include("harmonie.api.urls")),
    path("", include("harmonie.web.urls")),
]
