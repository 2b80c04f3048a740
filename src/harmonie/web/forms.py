"""Forms of the web UI. They only validate shape; the core services decide."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from harmonie.core.models import DeliveryState, Role, WgrForm


class WorkspaceForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"), max_length=200,
        help_text=_("De naam van het samenwerkingsverband, zoals de partners die kennen, "
                    "bijvoorbeeld ‘Werkorganisatie Duivenvoorde’."),
    )
    slug = forms.SlugField(
        label=_("Korte naam (voor het webadres)"), max_length=60, required=False,
        help_text=_("Alleen kleine letters, cijfers en koppeltekens. Laat leeg om hem uit de naam af te leiden. "
                    "Kan later niet meer worden gewijzigd."),
    )
    wgr_form = forms.ChoiceField(
        label=_("Wgr-vorm"), required=False,
        choices=[("", _("— nog niet bekend —"))] + list(WgrForm.choices),
        help_text=_("De juridische vorm volgens de Wet gemeenschappelijke regelingen (of een coöperatie)."),
    )
    vision = forms.CharField(
        label=_("Gezamenlijke visie"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Waarom werken de gemeenten samen, ook op informatiehuishouding? "
                    "Harmonisatie begint bij een behoefte van bestuur en primair proces, niet bij IT."),
    )
    goals = forms.CharField(
        label=_("Doelen"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat wil het samenwerkingsverband bereiken? Eén doel per regel."),
    )

    # Map the field names in service messages ("Veld 'naam': ...") to form fields.
    SERVICE_FIELDS = {"naam": "name", "name": "name", "slug": "slug", "wgr_form": "wgr_form"}


class WorkspaceEditForm(WorkspaceForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["slug"]


class PartnerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Zoek een gemeente"), max_length=100, required=False,
        help_text=_("Typ (een deel van) de naam of de CBS-code, bijvoorbeeld ‘Leiden’ of ‘GM0546’. "
                    "De gemeenten komen uit het officiële gemeenteregister (TOOI)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].hide_optional = True  # a search box, not a data field


class PartnerAddForm(forms.Form):
    cbs_code = forms.CharField(
        label=_("CBS-code"), max_length=10,
        help_text=_("De viercijferige CBS-gemeentecode, met of zonder ‘GM’, bijvoorbeeld GM0546 of 546."),
    )
    SERVICE_FIELDS = {}


class InviteForm(forms.Form):
    username = forms.CharField(
        label=_("Gebruikersnaam"), max_length=150,
        help_text=_("Bijvoorbeeld voornaam.achternaam. Bestaat het account al, dan krijgt het alleen de rol erbij."),
    )
    email = forms.EmailField(
        label=_("E-mailadres"), required=False,
        help_text=_("Optioneel. Harmonie stuurt zelf geen e-mail: u geeft de link zelf door."),
    )
    role = forms.ChoiceField(
        label=_("Rol"), choices=Role.choices, initial=Role.PARTNERBIJDRAGER,
        help_text=_("Coördinator: beheert alles in dit samenwerkingsverband. Partnerbijdrager: levert en "
                    "corrigeert de gegevens van één partnergemeente. Lezer / bestuurder: alleen lezen."),
    )
    partner = forms.ChoiceField(
        label=_("Partnergemeente"), required=False,
        help_text=_("Verplicht voor een partnerbijdrager: de gemeente waarvoor deze persoon levert."),
    )
    SERVICE_FIELDS = {"gebruikersnaam": "username", "rol": "role", "partner": "partner"}

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("— geen —"))] + [(str(p.pk), p.name) for p in partners]
        self.fields["partner"].hide_optional = True  # required for a partnerbijdrager, see clean()

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.PARTNERBIJDRAGER and not data.get("partner"):
            self.add_error("partner", _("Kies de partnergemeente waarvoor deze partnerbijdrager levert."))
        return data


class DeliveryStateForm(forms.Form):
    state = forms.ChoiceField(label=_("Nieuwe status"), choices=DeliveryState.choices)


_FIELD_RE = re.compile(r"^Veld '([^']+)':\s*")


def add_service_error(form, message):
    """Put a core ``BadInput`` message on the right field, or on the form."""
    match = _FIELD_RE.match(message)
    mapping = getattr(form, "SERVICE_FIELDS", {})
    if match and mapping.get(match.group(1)) in form.fields:
        form.add_error(mapping[match.group(1)], message[match.end():].strip() or message)
    else:
        form.add_error(None, message)
