from django import forms

from .models import ROADMAP_LAYERS, AgreementSubject, CostKey, InitiativeKind, InitiativeStatus, Initiator

DATE = forms.DateInput(attrs={"type": "date", "class": "utrecht-textbox utrecht-textbox--html-input"})
TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
AREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 3}
CHECK = {"class": "utrecht-checkbox utrecht-checkbox--html-input"}


class InitiativeForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=200, widget=forms.TextInput(attrs=TEXT))
    layer = forms.ChoiceField(label="Laag", choices=ROADMAP_LAYERS, widget=forms.Select(attrs=SELECT))
    kind = forms.ChoiceField(label="Soort", choices=InitiativeKind.choices, widget=forms.Select(attrs=SELECT))
    owner = forms.CharField(label="Eigenaar", max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))
    start = forms.DateField(label="Start", required=False, widget=DATE)
    end = forms.DateField(label="Einde", required=False, widget=DATE)
    status = forms.ChoiceField(label="Status", choices=InitiativeStatus.choices, widget=forms.Select(attrs=SELECT))
    dependencies = forms.MultipleChoiceField(label="Afhankelijk van (moet eerst klaar zijn)", required=False,
                                             widget=forms.SelectMultiple(attrs={**SELECT, "size": 8}))
    initiated_by = forms.ChoiceField(label="Geïnitieerd door", choices=Initiator.choices,
                                     widget=forms.Select(attrs=SELECT))
    primary_process_need = forms.BooleanField(label="Behoefte vanuit het primaire proces vastgelegd", required=False,
                                              widget=forms.CheckboxInput(attrs=CHECK))
    board_mandate = forms.CharField(label="Bestuursbesluit (opdracht)", max_length=300, required=False,
                                    widget=forms.TextInput(attrs=TEXT))
    board_mandate_date = forms.DateField(label="Datum bestuursbesluit", required=False, widget=DATE)
    information_management = forms.BooleanField(label="Informatiehuishouding in scope", required=False,
                                                widget=forms.CheckboxInput(attrs=CHECK))
    single_platform = forms.BooleanField(label="Eén platform voor alle partners", required=False,
                                         widget=forms.CheckboxInput(attrs=CHECK))
    target_process_of = forms.ChoiceField(label="Doelproces van", required=False, widget=forms.Select(attrs=SELECT))
    gemma_component = forms.CharField(label="GEMMA-referentiecomponent (voor het contractvenster)", max_length=300,
                                      required=False, widget=forms.TextInput(attrs=TEXT))
    one_off_costs = forms.DecimalField(label="Eenmalige kosten (€)", required=False, min_value=0,
                                       widget=forms.NumberInput(attrs=TEXT))
    yearly_costs = forms.DecimalField(label="Jaarlijkse kosten (€)", required=False, min_value=0,
                                      widget=forms.NumberInput(attrs=TEXT))
    one_off_savings = forms.DecimalField(label="Eenmalige besparing (€)", required=False, min_value=0,
                                         widget=forms.NumberInput(attrs=TEXT))
    yearly_savings = forms.DecimalField(label="Jaarlijkse besparing (€)", required=False, min_value=0,
                                        widget=forms.NumberInput(attrs=TEXT))
    cost_key = forms.ChoiceField(label="Verdeelsleutel", choices=CostKey.choices, widget=forms.Select(attrs=SELECT))
    description = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs=AREA))

    def __init__(self, *args, workspace=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        others = workspace.initiatives.all() if workspace else []
        if instance is not None:
            others = others.exclude(pk=instance.pk)
        self.fields["dependencies"].choices = [(str(i.pk), i.title) for i in others]
        self.fields["target_process_of"].choices = [("", "— geen —"), ("ssc", "het SSC")] + [
            (p.cbs_code, p.name) for p in workspace.partners.all()] if workspace else []


class AgreementForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=200, widget=forms.TextInput(attrs=TEXT))
    layer = forms.ChoiceField(label="Laag", choices=ROADMAP_LAYERS, widget=forms.Select(attrs=SELECT))
    subject = forms.ChoiceField(label="Onderwerp", choices=AgreementSubject.choices, widget=forms.Select(attrs=SELECT))
    adopted_by = forms.CharField(label="Vastgesteld door", max_length=200, widget=forms.TextInput(attrs=TEXT))
    adopted_on = forms.DateField(label="Vastgesteld op", widget=DATE)
    document = forms.CharField(label="Besluitdocument", max_length=300, required=False,
                               widget=forms.TextInput(attrs=TEXT))
