"""Login step 2 (TOTP code) and the 2FA page of the account (``core.twofactor`` does the work)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from harmonie.core import throttle, twofactor
from harmonie.core.errors import BadInput


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=20,
        help_text=gettext_lazy("De 6 cijfers uit uw authenticator-app, of een van uw herstelcodes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autocapitalize": "off", "spellcheck": "false"}),
    )


class ConfirmForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code uit de app"), max_length=10,
        help_text=gettext_lazy("Typ de 6 cijfers die de app nu toont."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class DisableForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Wachtwoord"), widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))
    code = forms.CharField(label=gettext_lazy("Code of herstelcode"), max_length=20, widget=forms.TextInput(
        attrs={"autocomplete": "one-time-code"}))


@require_http_methods(["GET", "POST"])
def login_code(request):
    """``/inloggen/code/``: the second login step for accounts with 2FA."""
    if request.user.is_authenticated:
        return redirect("web:home")
    user, pending = twofactor.pending_user(request)
    if user is None:
        messages.info(request, _("Log eerst in met uw gebruikersnaam en wachtwoord."))
        return redirect("login")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        remaining = twofactor.code_attempt_locked(user, request)
        if remaining:
            form.add_error(None, throttle.locked_message(remaining))
            status = 429
        elif twofactor.verify(user, form.cleaned_data["code"]):
            twofactor.register_code_success(user, request)
            request.session.pop(twofactor.PENDING_KEY, None)
            login(request, user, backend=pending.get("backend") or None)
            next_url = pending.get("next") or ""
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                next_url = ""
            return redirect(next_url or "web:home")
        elif twofactor.register_code_failure(user, request):
            form.add_error(None, throttle.locked_message(throttle.lockout_seconds()))
            status = 429
        else:
            form.add_error("code", _("Deze code klopt niet of is al gebruikt."))
    return render(request, "web/login_code.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def twofactor_page(request):
    """``/account/2fa/``: set up, check and switch off two-factor authentication."""
    user = request.user
    action = request.POST.get("actie", "") if request.method == "POST" else ""
    confirm_form, disable_form, renew_form = ConfirmForm(), DisableForm(), CodeForm()
    if action == "starten":
        try:
            twofactor.start_enrolment(user)
        except BadInput as exc:
            messages.error(request, exc.message)
        return redirect("web:twofactor")
    if action == "bevestigen":
        confirm_form = ConfirmForm(request.POST)
        if confirm_form.is_valid():
            try:
                request.session["harmonie_recovery_codes"] = twofactor.confirm_enrolment(
                    user, confirm_form.cleaned_data["code"])
            except BadInput as exc:
                confirm_form.add_error("code", exc.message)
            else:
                messages.success(request, _("Tweestapsverificatie staat aan."))
                return redirect("web:twofactor")
    if action == "uitzetten":
        disable_form = DisableForm(request.POST)
        if disable_form.is_valid():
            try:
                twofactor.disable(user, disable_form.cleaned_data["password"], disable_form.cleaned_data["code"])
            except BadInput as exc:
                disable_form.add_error(None, exc.message)
            else:
                messages.success(request, _("Tweestapsverificatie staat uit."))
                return redirect("web:twofactor")
    if action == "herstelcodes":
        renew_form = CodeForm(request.POST)
        if renew_form.is_valid():
            try:
                request.session["harmonie_recovery_codes"] = twofactor.renew_recovery_codes(
                    user, renew_form.cleaned_data["code"])
            except BadInput as exc:
                renew_form.add_error("code", exc.message)
            else:
                messages.success(request, _("Er zijn nieuwe herstelcodes; de oude werken niet meer."))
                return redirect("web:twofactor")
    device = twofactor.confirmed_device(user)
    pending = None if device else user.totp_device if hasattr(user, "totp_device") else None
    context = {
        "section": "twofactor", "device": device, "pending": pending,
        "required": twofactor.required_for(user),
        "recovery_codes": request.session.pop("harmonie_recovery_codes", None),
        "remaining": twofactor.remaining_recovery_codes(user) if device else 0,
        "confirm_form": confirm_form, "disable_form": disable_form, "renew_form": renew_form,
    }
    if pending is not None:
        context.update(qr=twofactor.qr_data_uri(pending), manual_key=twofactor.manual_key(pending))
    status = 200 if not any(f.errors for f in (confirm_form, disable_form, renew_form)) else 400
    return render(request, "web/twofactor.html", context, status=status)
