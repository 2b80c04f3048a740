from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "harmonie.web"
    label = "web"
    verbose_name = "Harmonie web-UI"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        user_logged_out.connect(_confirm_logout, dispatch_uid="harmonie-logout-message")


def _confirm_logout(sender, request, user, **kwargs):
    from django.contrib import messages
    from django.utils.translation import gettext as _

    if request is not None:
        messages.info(request, _("U bent uitgelogd."), fail_silently=True)
