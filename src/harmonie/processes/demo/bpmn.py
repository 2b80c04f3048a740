"""Demo BPMN models for the fictional partners: the same permit process ("omgevingsvergunning") modelled by four
municipalities in their own words, two of them with a preliminary consultation, a welstand and a leges step and
publication (two "flavours"); the coördinator
has confirmed the matcher's suggestions for some pairs, and a reference process is derived from the models."""

from harmonie.core.demo import register_demo_builder

REFERENCE_NAME = "Omgevingsvergunning (referentie)"

OUTLINES = [
    """
    start s0 Aanvraag omgevingsvergunning ontvangen @Frontoffice
    task t1 Aanvraag registreren
    task t2 Ontvankelijkheid toetsen @Vergunningverlening
    xor
      task t3 Aanvullende gegevens opvragen
    |
    /
    task t4 Toetsen aan het omgevingsplan
    task t5 Besluit voorbereiden
    task t6 Besluit nemen
    task t7 Besluit verzenden @Frontoffice
    end s9 Aanvraag afgehandeld
    """,
    """
    start s0 Vergunningaanvraag binnengekomen
    task t1 Aanvraag vastleggen in zaaksysteem
    task t2 Volledigheid controleren
    xor
      task t3 Aanvrager om aanvulling vragen
    |
    /
    task t4 Toets omgevingsplan uitvoeren
    task t5 Conceptbesluit opstellen
    task t6 Besluit nemen
    task t7 Beschikking versturen
    end s9 Zaak gesloten
    """,
    """
    start s0 Aanvraag ontvangen @Klantcontactcentrum
    task t11 Vooroverleg met initiatiefnemer voeren
    task t1 Aanvraag registreren
    task t2 Aanvraag op volledigheid toetsen @Backoffice vergunningen
    xor
      task t3 Ontbrekende gegevens opvragen
    |
    /
    task t4 Toetsen aan het omgevingsplan
    task t8 Welstandsadvies inwinnen
    task t5 Ontwerpbesluit opstellen
    task t6 Besluit nemen
    task t10 Leges berekenen
    task t7 Beschikking en legesnota verzenden @Klantcontactcentrum
    task t12 Besluit publiceren in het gemeenteblad
    end s9 Aanvraag afgehandeld
    """,
    """
    start s0 Omgevingsvergunning aangevraagd
    task t11 Vooroverleg houden met de initiatiefnemer
    task t1 Zaak aanmaken
    task t2 Volledigheid van de aanvraag controleren
    xor
      task t3 Aanvulling vragen aan aanvrager
    |
    /
    task t4 Omgevingsplan toetsen
    task t8 Advies welstandscommissie vragen
    task t5 Besluit voorbereiden
    task t6 Besluit nemen
    task t10 Leges vaststellen
    task t7 Besluit bekendmaken en verzenden
    task t12 Publicatie in het gemeenteblad
    end s9 Zaak afgesloten
    """,
]
CONFIRMED_PAIRS = [(0, 1), (0, 2), (0, 3), (2, 3)]


def model_xml(index: int, partner_name: str) -> bytes:
    from harmonie.processes.analysis.layout import process_from_outline, write_bpmn

    name = f"Omgevingsvergunning behandelen ({partner_name})"
    proc = process_from_outline(OUTLINES[index % len(OUTLINES)], f"Process_{index + 1}", name)
    return write_bpmn([proc], name).encode("utf-8")


@register_demo_builder
def build_bpmn_demo(workspace, partners):
    from harmonie.processes import services
    from harmonie.processes.models import CorrespondenceStatus, ReferenceProcess

    ordered = sorted(partners, key=lambda p: p.cbs_code)[:len(OUTLINES)]
    models = []
    for index, partner in enumerate(ordered):
        result = services.import_model(None, workspace, partner, model_xml(index, partner.name),
                                       f"omgevingsvergunning-{partner.name.lower()}.bpmn",
                                       name="Omgevingsvergunning behandelen")
        models.append(services.model_for(workspace, result.model_id))
    for i, j in CONFIRMED_PAIRS:
        if j >= len(models):
            continue
        for row in services.suggest_correspondences(workspace, models[i], models[j]):
            if not row["status"]:
                services.decide_correspondence(None, workspace, models[i], models[j], row["a_key"], row["b_key"],
                                               CorrespondenceStatus.CONFIRMED, a_label=row["a_label"],
                                               b_label=row["b_label"], score=row["score"])
    existing = ReferenceProcess.objects.filter(workspace=workspace, name=REFERENCE_NAME).first()
    if existing is None and len(models) >= 2:
        services.build_reference(None, workspace, REFERENCE_NAME, source="models")
