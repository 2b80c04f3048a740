"""Survey engine: links work once, answers are stored without link/account/IP, bad input and
abuse are refused with a Dutch message and nothing stored."""

import datetime

import pytest
from django.utils import timezone

from harmonie.core.errors import BadInput, NotAllowed
from harmonie.people import services
from harmonie.people.models import Draft, RespondentLink, SurveyResponse, UsedLink

from .helpers import valid_answers

pytestmark = pytest.mark.django_db


def _links(world, count=1, partner="a", group=None):
    _batch, tokens = services.generate_links(world["coordinator"], world["survey"], partner=world[partner].pk,
                                             count=count, group=group)
    return tokens


def test_links_are_stored_only_as_hashes_and_listed_once_as_csv(survey_world):
    batch, tokens = services.generate_links(survey_world["coordinator"], survey_world["survey"],
                                            partner=survey_world["a"].pk, count=3)
    assert len(set(tokens)) == 3
    stored = set(RespondentLink.objects.values_list("token_hash", flat=True))
    assert not stored & set(tokens)
    csv_text = services.links_csv(batch, tokens, "https://harmonie.example").decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0] == "ronde,partner,groep,link"
    assert lines[1].startswith("Ronde 1,Aadorp,,https://harmonie.example/enquete/")


def test_links_csv_neutralises_formula_text(survey_world):
    """Found by the fuzz review: a survey title like =HYPERLINK(...) went into the mail-merge CSV unchanged."""
    survey = survey_world["survey"]
    survey.title = '=HYPERLINK("http://kwaad.example","klik")'
    survey.save()
    batch, tokens = services.generate_links(survey_world["coordinator"], survey, partner=survey_world["a"].pk, count=1)
    line = services.links_csv(batch, tokens, "https://harmonie.example").decode("utf-8-sig").splitlines()[1]
    assert line.startswith("\"'=HYPERLINK(")


def test_only_the_coordinator_generates_links(survey_world):
    from harmonie.core.factories import UserFactory

    with pytest.raises(NotAllowed):
        services.generate_links(UserFactory(username="iemand"), survey_world["survey"], partner=survey_world["a"].pk,
                                count=1)


def test_submission_stores_answers_without_link_account_or_ip(survey_world):
    token = _links(survey_world)[0]
    services.save_step(token, "nu", valid_answers(1))
    assert Draft.objects.count() == 1
    services.submit(token, valid_answers(1, comment="Meer overleg graag"), client_key="198.51.100.7")
    response = SurveyResponse.objects.get()
    fields = {f.name for f in SurveyResponse._meta.get_fields()}
    assert fields == {"id", "survey", "partner", "group", "submitted_on", "answers", "comment"}
    assert isinstance(response.submitted_on, datetime.date) and not isinstance(response.submitted_on,
                                                                                   datetime.datetime)
    assert "198.51.100.7" not in str(response.answers) and token not in str(response.answers)
    assert UsedLink.objects.count() == 1
    assert {f.name for f in UsedLink._meta.get_fields()} == {"link"}
    assert Draft.objects.count() == 0  # the saved progress is gone with the submission
    assert response.comment == "Meer overleg graag"


def test_a_link_works_once(survey_world):
    token = _links(survey_world)[0]
    services.submit(token, valid_answers(1))
    with pytest.raises(services.LinkRefused, match="al ingevuld"):
        services.submit(token, valid_answers(2))
    with pytest.raises(services.LinkRefused, match="al ingevuld"):
        services.open_link(token)
    assert SurveyResponse.objects.count() == 1


def test_unknown_link_is_refused(survey_world):
    with pytest.raises(services.LinkRefused, match="ongeldig") as info:
        services.open_link("dit-is-geen-echte-link-123")
    assert info.value.status == 400


@pytest.mark.parametrize("change, message", [
    ({"nu-kenmerken-clan": "50"}, "tellen op tot"),
    ({"nu-kenmerken-clan": "-5"}, "0 tot en met 100"),
    ({"nu-leiding-markt": "101"}, "0 tot en met 100"),
    ({"oric-3": "6"}, "1 tot en met 5"),
    ({"willen-1": "0"}, "1 tot en met 5"),
    ({"moeten-2": "drie"}, "geheel getal"),
    ({"oric-1": ""}, "Vul dit antwoord in"),
    ({"extra-veld": "1"}, "onbekende velden"),
    ({"opmerking": "x" * 2001}, "te lang"),
])
def test_tampered_values_are_refused_and_nothing_stored(survey_world, change, message):
    token = _links(survey_world)[0]
    data = {**valid_answers(3), **change}
    with pytest.raises(BadInput, match=message):
        services.submit(token, data)
    assert SurveyResponse.objects.count() == 0 and UsedLink.objects.count() == 0
    services.submit(token, valid_answers(3))  # the link still works with honest answers
    assert SurveyResponse.objects.count() == 1


def test_invalid_step_is_not_kept_as_progress(survey_world):
    token = _links(survey_world)[0]
    _session, _clean, errors = services.save_step(token, "nu", {**valid_answers(1), "nu-succes-clan": "99"})
    assert errors and Draft.objects.count() == 0


def test_progress_is_kept_per_link_until_submission(survey_world):
    token = _links(survey_world)[0]
    answers = valid_answers(4)
    for step in ("nu", "gewenst", "bereidheid", "urgentie"):
        _session, _clean, errors = services.save_step(token, step, answers)
        assert errors == []
    assert services.open_link(token).step == "urgentie"
    services.submit(token, {})  # everything comes from the saved progress
    assert SurveyResponse.objects.get().answers["oric-1"] == int(answers["oric-1"])


def test_closed_and_not_yet_open_rounds_refuse(survey_world):
    survey = survey_world["survey"]
    token = _links(survey_world)[0]
    today = timezone.localdate()
    survey.opens_on = today + datetime.timedelta(days=2)
    survey.save()
    with pytest.raises(services.LinkRefused, match="nog niet geopend"):
        services.submit(token, valid_answers(1))
    survey.opens_on = today - datetime.timedelta(days=30)
    survey.closes_on = today - datetime.timedelta(days=1)
    survey.save()
    with pytest.raises(services.LinkRefused, match="gesloten"):
        services.submit(token, valid_answers(1))
    assert SurveyResponse.objects.count() == 0


def test_rate_limit_refuses_automated_submissions(survey_world, settings):
    settings.HARMONIE_SURVEY_RATE_LIMIT = 3
    tokens = _links(survey_world, count=5)
    for token in tokens[:3]:
        services.submit(token, valid_answers(1), client_key="203.0.113.9")
    with pytest.raises(services.RateLimited, match="te veel"):
        services.submit(tokens[3], valid_answers(1), client_key="203.0.113.9")
    assert SurveyResponse.objects.count() == 3
    services.submit(tokens[4], valid_answers(1), client_key="203.0.113.10")  # another client is not affected
    assert SurveyResponse.objects.count() == 4


def test_counts_before_closing_only_at_least_k_and_complementary(survey_world):
    world = survey_world
    survey = world["survey"]
    team = services.add_group(world["coordinator"], survey, partner=world["a"].pk, name="Team klein")
    big = services.add_group(world["coordinator"], survey, partner=world["a"].pk, name="Team groot")
    for token in _links(world, 3, group=team.pk):
        services.submit(token, valid_answers(1))
    for token in _links(world, 6, group=big.pk):
        services.submit(token, valid_answers(2))
    for token in _links(world, 5, partner="b"):
        services.submit(token, valid_answers(3))
    result = services.results(survey)
    assert result["closed"] is False
    a = result["partners"]["GM9801"]
    assert a["n"] == 9 and "culture" not in a
    assert {"group": "Team klein", "suppressed": True} in a["groups"]
    assert {"group": "Team groot", "suppressed": True} in a["groups"]  # 9 - 6 would reveal 3
    services.close_survey(world["coordinator"], survey)
    closed = services.results(survey)
    assert closed["closed"] is True
    assert closed["partners"]["GM9802"]["n"] == 5 and "culture" in closed["partners"]["GM9802"]


def test_free_text_only_for_partners_with_at_least_k_free_text(survey_world):
    world = survey_world
    for i, token in enumerate(_links(world, 10)):
        services.submit(token, valid_answers(i, comment=f"opmerking {i}"))
    for token in _links(world, 6, partner="b"):
        services.submit(token, valid_answers(1, comment="b"))
    assert services.comments(world["survey"]) == {}  # not before closing
    services.close_survey(world["coordinator"], world["survey"])
    found = services.comments(world["survey"])
    assert list(found) == ["GM9801"] and len(found["GM9801"]) == 10


def test_create_survey_validates_dates(survey_world):
    with pytest.raises(BadInput, match="vóór de openingsdatum"):
        services.create_survey(survey_world["coordinator"], survey_world["workspace"], title="X",
                               opens_on="2026-05-10", closes_on="2026-05-01")
    with pytest.raises(BadInput, match="JJJJ-MM-DD"):
        services.create_survey(survey_world["coordinator"], survey_world["workspace"], title="X",
                               opens_on="morgen", closes_on="2026-05-01")
