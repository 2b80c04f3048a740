"""Harmonie is Dutch only: a browser that prefers English still gets Dutch pages, with lang="nl" for screen
readers and Dutch dates and decimal commas (there is no English catalogue to match them)."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.mark.django_db
def test_english_browser_gets_the_dutch_page(client):
    response = client.get("/inloggen/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "nl"
    assert '<html lang="nl"' in response.content.decode()
    with translation.override(response.headers["Content-Language"]):
        rendered = Template('{{ x|floatformat:2 }} {{ d|date:"j F Y" }}').render(
            Context({"x": 0.5, "d": datetime.date(2027, 1, 1)}))
    assert rendered == "0,50 1 januari 2027"
