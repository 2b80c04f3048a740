"""Demo data for the people layer: a CLOSED survey round for the four fictional partners with
synthetic respondents (fixed seed), one group too small to show (suppressed), low felt urgency
at Heidemeer ("moeten" well above "willen"), and steering answers with a KPI that is defined
differently. Idempotent: an existing demo round is left as it is."""

import datetime
import hashlib
import random

from django.db import transaction
from django.utils import timezone

from harmonie.core.demo import register_demo_builder

from .instruments import (
    CULTURE_DIMENSION_KEYS,
    CULTURE_TYPE_KEYS,
    URGENCY_HAVE_TO,
    URGENCY_WANT,
    culture_field,
)

DEMO_TITLE = "Cultuur- en urgentiemeting (demo)"
SEED = 20260301

# cbs code -> (groups [(name, respondents)], respondents without group, culture now weights,
#              culture preferred weights, ORIC mean, "willen" mean, "moeten" mean)
PROFILES = {
    "GM9901": ([("Publiekszaken", 12), ("Vergunningen", 9), ("Informatiebeheer", 3)], 5,
               (38, 22, 15, 25), (40, 27, 12, 21), 4.0, 4.2, 2.0),
    "GM9902": ([("Burgerzaken", 10), ("Omgeving", 8)], 0,
               (20, 12, 23, 45), (32, 22, 18, 28), 3.5, 3.6, 2.6),
    "GM9903": ([], 15, (18, 25, 40, 17), (25, 30, 28, 17), 3.8, 3.9, 2.3),
    "GM9904": ([("Sociaal domein", 9), ("Bedrijfsvoering", 7)], 0,
               (15, 8, 17, 60), (35, 20, 15, 30), 2.4, 2.0, 4.3),
}
COMMENTS = [
    "Meer tijd om samen met de collega's van de andere gemeenten de processen door te nemen.",
    "Graag eerst afspraken over de werkwijze, daarna pas een nieuw systeem.",
    "Goed dat we dit meten.",
    "De communicatie over de samenwerking kan beter.",
]

STEERING = {
    "GM9901": ({"besluit_applicatie": "Bestuur van de samenwerking", "besluit_proces": "Bestuur van de samenwerking",
                "mandaat": "Uitvoering en inkoop", "begroting": "Vaste verdeelsleutel (inwoners)",
                "rapportage": "Per kwartaal", "evaluatie": "Evaluatie elke vier jaar",
                "uittreding": "Uittreding met uittreedsom (kosten voor de uittreder)", "opzegtermijn": "Twee jaar"},
               {"doorlooptijd_vergunning": ("Kalenderdagen van ontvangst aanvraag tot verzending besluit.", "8 weken"),
                "klanttevredenheid": ("Gemiddeld rapportcijfer uit de KTO na afhandeling.", "7,5")}),
    "GM9902": ({"besluit_applicatie": "Eigen college van B&W", "besluit_proces": "Gemeentesecretaris / directie",
                "mandaat": "Alleen uitvoering", "begroting": "Vaste verdeelsleutel (inwoners)",
                "rapportage": "Per vier maanden", "evaluatie": "Evaluatie elke vier jaar",
                "uittreding": "Uittreding met uittreedsom (kosten voor de uittreder)", "opzegtermijn": "Twee jaar"},
               {"doorlooptijd_vergunning": ("Werkdagen vanaf het moment dat de aanvraag volledig is.", "40 werkdagen"),
                "klanttevredenheid": ("Gemiddeld rapportcijfer uit de KTO na afhandeling.", "7,5")}),
    "GM9903": ({"besluit_applicatie": "Bestuur van de samenwerking", "besluit_proces": "Bestuur van de samenwerking",
                "mandaat": "Uitvoering en inkoop", "begroting": "Combinatie", "rapportage": "Per kwartaal",
                "evaluatie": "Evaluatie elke vier jaar",
                "uittreding": "Uittreding met uittreedsom (kosten voor de uittreder)", "opzegtermijn": "Twee jaar"},
               {"doorlooptijd_vergunning": ("Kalenderdagen van ontvangst aanvraag tot verzending besluit.", "8 weken")}),
    "GM9904": ({"besluit_applicatie": "Directeur van de samenwerkingsorganisatie",
                "besluit_proces": "Directeur van de samenwerkingsorganisatie", "mandaat": "Uitvoering, inkoop en budget",
                "begroting": "Naar afname (dienstverlening)", "rapportage": "Jaarlijks", "evaluatie": "Weet ik niet",
                "uittreding": "Weet ik niet"},
               {"doorlooptijd_vergunning": ("Aantal dagen dat de zaak in het zaaksysteem openstaat.", "56 dagen"),
                "klanttevredenheid": ("Percentage tevreden klanten (4 of 5 sterren) bij de balie.", "80%")}),
}


def _points(rng, weights, spread=8):
    raw = [max(0.5, w + rng.gauss(0, spread)) for w in weights]
    total = sum(raw)
    points = [int(round(100 * r / total)) for r in raw]
    points[points.index(max(points))] += 100 - sum(points)
    return points


def _likert(rng, mean):
    return max(1, min(5, int(round(rng.gauss(mean, 0.7)))))


def _answers(rng, profile):
    _groups, _rest, now, preferred, oric, want, have_to = profile
    data = {}
    for perspective, weights in (("nu", now), ("gewenst", preferred)):
        for dimension in CULTURE_DIMENSION_KEYS:
            for type_key, value in zip(CULTURE_TYPE_KEYS, _points(rng, weights)):
                data[culture_field(perspective, dimension, type_key)] = value
    for number in range(1, 13):
        data[f"oric-{number}"] = _likert(rng, oric)
    for number, _text in URGENCY_WANT:
        data[f"willen-{number}"] = _likert(rng, want)
    for number, _text in URGENCY_HAVE_TO:
        data[f"moeten-{number}"] = _likert(rng, have_to)
    return data


@register_demo_builder
@transaction.atomic
def build_people_demo(workspace, partners):
    from . import services
    from .analysis.validation import validate_all
    from .models import LinkBatch, RespondentLink, Survey, SurveyGroup, SurveyResponse, UsedLink

    by_code = {p.cbs_code: p for p in partners}
    if not Survey.objects.filter(workspace=workspace, is_demo=True).exists():
        today = timezone.localdate()
        survey = services.create_survey(
            None, workspace, title=DEMO_TITLE, opens_on=today - datetime.timedelta(days=90),
            closes_on=today - datetime.timedelta(days=60), partners=[p.pk for p in partners],
            change_subject="het harmoniseren van onze werkprocessen met de partnergemeenten", is_demo=True)
        rng = random.Random(SEED)
        serial = 0
        for code, profile in PROFILES.items():
            partner = by_code.get(code)
            if partner is None:
                continue
            groups, rest, *_ = profile
            cohorts = [(SurveyGroup.objects.create(survey=survey, partner=partner, name=name), n)
                       for name, n in groups]
            if rest:
                cohorts.append((None, rest))
            for group, count in cohorts:
                invited = count + 3  # not everybody answers
                batch = LinkBatch.objects.create(survey=survey, partner=partner, group=group, size=invited)
                links = RespondentLink.objects.bulk_create([
                    RespondentLink(batch=batch, token_hash=hashlib.sha256(
                        f"demo-{workspace.pk}-{serial + i}".encode()).hexdigest()) for i in range(invited)])
                serial += invited
                for index in range(count):
                    clean, errors = validate_all(_answers(rng, profile))
                    assert not errors, errors
                    comment = COMMENTS[index % len(COMMENTS)] if code == "GM9901" and index % 3 == 0 else ""
                    clean.pop("opmerking", None)
                    UsedLink.objects.create(link=links[index])
                    SurveyResponse.objects.create(
                        survey=survey, partner=partner, group=group, answers=clean, comment=comment,
                        submitted_on=survey.opens_on + datetime.timedelta(days=rng.randint(0, 29)))
    for code, (answers, kpis) in STEERING.items():
        partner = by_code.get(code)
        if partner is None:
            continue
        services.save_steering(None, partner, answers=answers,
                               kpis={key: {"definition": d, "norm": n} for key, (d, n) in kpis.items()})
