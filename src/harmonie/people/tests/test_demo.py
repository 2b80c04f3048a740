"""The demo: a closed round for four partners, one suppressed group, coercion at Heidemeer."""

import pytest

from harmonie.people import services
from harmonie.people.models import KpiDefinition, Survey, SurveyResponse

pytestmark = pytest.mark.django_db


def test_demo_round_is_closed_suppresses_a_small_group_and_shows_coercion_at_heidemeer():
    from harmonie.core.demo import build_demo

    workspace = build_demo().workspace
    survey = Survey.objects.get(workspace=workspace, is_demo=True)
    assert survey.is_closed()
    result = services.results(survey)
    assert result["closed"] is True and len(result["partners"]) == 4
    lindeveen = result["partners"]["GM9901"]
    groups = {g["group"]: g for g in lindeveen["groups"]}
    assert groups["Informatiebeheer"] == {"group": "Informatiebeheer", "suppressed": True}
    assert groups["Publiekszaken"]["n"] == 12
    heidemeer = result["partners"]["GM9904"]["urgency"]
    assert heidemeer["have_to"] - heidemeer["want"] >= 1.5 and heidemeer["coercion_signal"] is True
    assert not result["partners"]["GM9901"]["urgency"]["coercion_signal"]
    comparison = services.steering_comparison(workspace)
    kpi = {row["key"]: row for row in comparison["kpis"]}
    assert kpi["doorlooptijd_vergunning"]["definition_differs"]

    count = SurveyResponse.objects.count()
    kpis = KpiDefinition.objects.count()
    build_demo()  # idempotent
    assert Survey.objects.filter(workspace=workspace, is_demo=True).count() == 1
    assert SurveyResponse.objects.count() == count and KpiDefinition.objects.count() == kpis
    assert services.results(survey) == result
