from django import forms
from django.utils.translation import gettext_lazy as _

from .importers import LABELS


class ReferenceUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort lijst"),
        choices=list(LABELS.items()),
        help_text=_("UPL: de officiële CSV of de OWMS-waardelijst (JSON). GEMMA: een ArchiMate-uitwisselbestand "
                    "(AMEFF, XML). Selectielijst: de JSON van de Selectielijst-API. Gemeenten: het TOOI-register "
                    "als JSON of CSV."),
    )
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("Harmonie herkent de vorm en de tekenset (UTF-8, UTF-8 met BOM of Windows-1252) zelf. "
                    "Een lijst met dezelfde inhoud als de actuele versie verandert niets."),
    )
