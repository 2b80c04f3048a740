"""Fixes from the newcomer trial of the event-log pages: one chosen log per partner instead of a silent merge,
display labels from XES (``activityNameNL``), best performer only with enough observations, job result URL."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from harmonie.processes.analysis import performance
from harmonie.processes.models import EventLog
from harmonie.processes.services import logs as services
from harmonie.processes.tests.helpers import write_xes

pytestmark = pytest.mark.django_db

XES_NL = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0">
{traces}
</log>
"""


def _xes_with_labels(path, traces):
    """traces: {case: [(code, dutch name, iso time)]}; names as BPIC's ``activityNameNL`` attribute."""
    body = []
    for case, events in traces.items():
        body.append(f'<trace><string key="concept:name" value="{case}"/>')
        for code, name, ts in events:
            body.append(f'<event><string key="concept:name" value="{code}"/>'
                        f'<string key="activityNameNL" value="{name}"/><date key="time:timestamp" value="{ts}"/>'
                        f'</event>')
        body.append("</trace>")
    path.write_text(XES_NL.format(traces="\n".join(body)), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "var"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.HARMONIE_PROCESS_BEST_MIN_CASES = 1


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_import_keeps_dutch_labels_and_pages_show_code_and_name(role_users, workspace, tmp_path):
    own, other = role_users["own"], role_users["other"]
    traces = {"z1": [("01_HOOFD_010", "registratie aanvraag", "2024-01-01T09:00:00Z"),
                     ("01_HOOFD_020", "besluit", "2024-01-03T09:00:00Z")]}
    result = services.import_event_log(None, workspace, own, _xes_with_labels(tmp_path / "a.xes", traces), "a.xes")
    services.import_event_log(None, workspace, other, _xes_with_labels(tmp_path / "b.xes", traces), "b.xes")
    log = EventLog.objects.get(partner=own)
    assert log.stats["labels"] == {"01_HOOFD_010": "registratie aanvraag", "01_HOOFD_020": "besluit"}
    assert "activityNameNL" not in log.pseudonymised_columns
    # the job result carries a link to the imported log (shown by the core job page)
    assert result["url"] == reverse("processes:log", args=[workspace.slug, log.pk]) and result["url_label"]
    html = _client(role_users["lezer"]).get(reverse("processes:logs", args=[workspace.slug])).content.decode()
    assert "01_HOOFD_010 — registratie aanvraag" in html  # common core table
    assert "01_HOOFD_010 — registratie aanvraag → 01_HOOFD_020 — besluit" in html  # best performer per step
    assert "Ook een partner in zijn eigen model" in html  # self-conformance below 100% explained (noise)
    html = _client(role_users["lezer"]).get(reverse("processes:log", args=[workspace.slug, log.pk])).content.decode()
    svg = re.search(r'<svg.*?</svg>', html, re.S).group(0)
    assert "registratie aanvraag" in svg  # the process map names the nodes too


def test_two_logs_of_one_partner_are_not_merged_and_can_be_chosen(role_users, workspace, tmp_path):
    own = role_users["own"]
    old = {"o1": [("Oud", "2024-01-01T09:00:00Z"), ("Klaar", "2024-01-02T09:00:00Z")]}
    new = {"n1": [("Nieuw", "2024-01-01T09:00:00Z"), ("Klaar", "2024-01-11T09:00:00Z")],
           "n2": [("Nieuw", "2024-01-01T09:00:00Z"), ("Klaar", "2024-01-11T09:00:00Z")]}
    services.import_event_log(None, workspace, own, write_xes(tmp_path / "oud.xes", old), "oud.xes")
    services.import_event_log(None, workspace, own, write_xes(tmp_path / "nieuw.xes", new), "nieuw.xes")
    old_log, new_log = EventLog.objects.get(name="oud"), EventLog.objects.get(name="nieuw")
    EventLog.objects.filter(pk=old_log.pk).update(created_at=new_log.created_at - dt.timedelta(days=1))
    client = _client(role_users["lezer"])
    url = reverse("processes:logs", args=[workspace.slug])
    comparison = services.log_comparison(workspace)
    prof = comparison["partners"][own.name]
    # default: the newest log only (2 cases of 10 days), not 3 merged cases
    assert prof["cases"] == 2 and prof["throughput_days"]["median"] == 10.0
    assert comparison["used_logs"][own.name]["name"] == "nieuw"
    html = client.get(url).content.decode()
    assert f'name="log_{own.pk}"' in html and "gebruikt in de vergelijking" in html
    assert "altijd berekend op alle zaken" in html  # the table's basis is stated
    assert re.search(r"Gebruikte logboeken:.*?nieuw", html, re.S)
    html = client.get(url + f"?log_{own.pk}={old_log.pk}").content.decode()
    assert re.search(r"Gebruikte logboeken:.*?>oud<", html, re.S)
    # remembered in the session: the page without the parameter still uses the chosen log
    html = client.get(url).content.decode()
    assert re.search(r"Gebruikte logboeken:.*?>oud<", html, re.S)
    chosen = services.log_comparison(workspace, services.ViewOptions(logs=((own.pk, old_log.pk),)))
    assert chosen["partners"][own.name]["cases"] == 1


def _profile(n_cases, wait_hours, activity="B"):
    import polars as pl

    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    rows = []
    for i in range(n_cases):
        rows += [(f"c{i}", "A", t0), (f"c{i}", activity, t0 + dt.timedelta(hours=wait_hours))]
    df = pl.DataFrame(rows, schema={"case_id": pl.String, "activity": pl.String,
                                    "timestamp": pl.Datetime("us", "UTC")}, orient="row").with_row_index("order")
    return performance.profile(df)


def test_best_performer_needs_enough_observations_and_shows_n():
    """An artefact step seen in 2 cases at 0 min must not win against 50 cases at 10 h; with 3 partners the
    step shared by all three comes before a step shared by two."""
    big = _profile(50, 10)
    small = _profile(2, 0)
    rows = performance.best_performers({"Groot": big, "Klein": small, "Ook": _profile(40, 20)})["activities"]
    by_key = {r["key"]: r for r in rows}
    assert by_key["B"]["best"] == "Groot" and "Klein" not in by_key["B"]["values"]
    assert by_key["B"]["n"] == {"Groot": 50, "Ook": 40}
    # the 5% rule: 12 cases of a partner with 1000 cases is not enough (needs 50)
    mixed = _profile(1000, 30)
    mixed["activity_table"].append({**mixed["activity_table"][-1], "activity": "C", "cases": 12, "events": 12,
                                    "wait_median_h": 0.0})
    other = _profile(20, 5, activity="C")
    rows = performance.best_performers({"Groot": mixed, "Ander": other})["activities"]
    assert "C" not in {r["key"] for r in rows}
    assert performance.best_performers({"Groot": mixed, "Ander": other}, min_count=10, min_share=0.0)[
        "activities"][0]["best"] == "Groot"


def test_reference_job_result_links_to_the_reference(role_users, workspace, tmp_path):
    from harmonie.core.jobs import Progress
    from harmonie.processes.models import ReferenceProcess
    from harmonie.processes.services.bpmn import reference_job

    traces = {"z1": [("Intake", "2024-01-01T09:00:00Z"), ("Besluit", "2024-01-03T09:00:00Z")],
              "z2": [("Intake", "2024-01-01T09:00:00Z"), ("Besluit", "2024-01-04T09:00:00Z")]}
    for partner, name in ((role_users["own"], "a.xes"), (role_users["other"], "b.xes")):
        services.import_event_log(None, workspace, partner, write_xes(tmp_path / name, traces), name)
    result = reference_job(Progress(), workspace.pk, name="Vergunning", source="logs")
    reference = ReferenceProcess.objects.get(pk=result["reference_id"])
    assert result["url"] == reverse("processes:reference", args=[workspace.slug, reference.pk])
    assert "Vergunning" in result["url_label"]
