"""The diagnosis end to end on the database: demo pattern, contract command, report, pages, API."""

import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from harmonie.core.demo import build_demo
from harmonie.core.errors import NotAllowed
from harmonie.diagnosis import services
from harmonie.diagnosis.analysis.index import INDEX_LAYERS
from harmonie.diagnosis.models import Agreement, Initiative, Measurement

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return build_demo().workspace


def test_empty_workspace_has_null_layers_and_says_so(workspace):
    diagnosis = services.diagnose(workspace)
    contract = diagnosis.contract()
    assert set(contract["index"]["layers"]) == set(INDEX_LAYERS)
    assert all(value is None for value in contract["index"]["layers"].values())
    assert diagnosis.missing_layers == list(INDEX_LAYERS)
    assert {f["rule"] for f in contract["findings"]} >= {"L1-02", "L2-04"}


def test_demo_shows_the_crowbar_pattern(demo):
    diagnosis = services.diagnose(demo)
    zaak = Initiative.objects.get(workspace=demo, title="Eén zaaksysteem voor alle partners")
    by_rule = {}
    for f in diagnosis.findings:
        by_rule.setdefault(f.rule, []).append(f)
    assert any(f.initiative == str(zaak.pk) for f in by_rule["L1-01"])  # IT/SSC, no mandate
    l3 = [f for f in by_rule["L3-01"] if f.initiative == str(zaak.pk)]
    assert l3 and "Vergunningsprocessen harmoniseren" in l3[0].evidence
    plan = services.roadmap(demo, diagnosis)
    process = Initiative.objects.get(workspace=demo, title="Vergunningsprocessen harmoniseren")
    proposal = plan.proposal_for(str(zaak.pk))
    assert proposal.moved and proposal.start >= plan.proposal_for(str(process.pk)).end
    assert any(v.rule == "it-volgt-business" for v in plan.violations[str(zaak.pk)])
    # the products and processes comparisons are stored with the demo
    assert diagnosis.index["layers"]["products"] is not None
    assert diagnosis.index["layers"]["processes"] is not None


def test_demo_l2_for_heidemeer_leads_to_involvement_not_reordering(demo):
    diagnosis = services.diagnose(demo)
    if diagnosis.people is None or not diagnosis.people.get("GM9904", None) or \
            not diagnosis.people["GM9904"].surveyed:
        pytest.skip("de demo van de laag Cultuur & urgentie heeft (nog) geen afgeronde enquête")
    assert any(f.lesson == "L2" and f.partner == "GM9904" for f in diagnosis.findings)
    plan = services.roadmap(demo, diagnosis)
    assert [i.partner for i in plan.involvement if i.partner == "GM9904"] == ["GM9904"]


def test_demo_is_idempotent(demo):
    counts = (Initiative.objects.count(), Agreement.objects.count())
    build_demo()
    assert (Initiative.objects.count(), Agreement.objects.count()) == counts


def test_apply_proposal_removes_the_violation(demo, django_user_model):
    coordinator = django_user_model.objects.get(username="coordinator")
    moved = services.apply_proposal(coordinator, demo)
    assert moved >= 1
    plan = services.roadmap(demo)
    zaak = Initiative.objects.get(workspace=demo, title="Eén zaaksysteem voor alle partners")
    assert str(zaak.pk) not in plan.violations
    findings = services.diagnose(demo).findings
    assert not [f for f in findings if f.rule == "L3-01" and f.initiative == str(zaak.pk)]


def test_only_the_coordinator_changes_the_roadmap(demo, django_user_model):
    reader = django_user_model.objects.get(username="bestuurder")
    with pytest.raises(NotAllowed):
        services.apply_proposal(reader, demo)
    with pytest.raises(NotAllowed):
        services.save_initiative(reader, demo, {"title": "x", "layer": "visie"})


def test_implementation_by_own_partner_only(demo, django_user_model):
    agreement = Agreement.objects.filter(workspace=demo).first()
    lindeveen = demo.partners.get(cbs_code="GM9901")
    heidemeer = demo.partners.get(cbs_code="GM9904")
    contributor = django_user_model.objects.get(username="bijdrager-lindeveen")
    services.set_implementation(contributor, agreement, lindeveen, "gereed")
    with pytest.raises(NotAllowed):
        services.set_implementation(contributor, agreement, heidemeer, "gereed")


def test_measurements_are_kept_for_the_trend(demo):
    services.save_measurement(services.diagnose(demo))
    services.save_measurement(services.diagnose(demo))
    assert Measurement.objects.filter(workspace=demo).count() == 2
    assert len(services.trend(demo)) == 2


def test_thresholds_are_configurable_per_workspace(demo, settings, django_user_model):
    coordinator = django_user_model.objects.get(username="coordinator")
    assert not any(f.rule == "L1-03" for f in services.diagnose(demo).findings)
    services.save_check_settings(coordinator, demo, information_management_in_scope=True,
                                 thresholds_={"vision_min_chars": 5000})
    assert any(f.rule == "L1-03" for f in services.diagnose(demo).findings)
    settings.HARMONIE_DIAGNOSIS_THRESHOLDS = {"readiness_min": 1.0}
    assert services.thresholds(demo)["readiness_min"] == 1.0


def test_diagnose_command_contract(demo, tmp_path):
    out = tmp_path / "uit.json"
    call_command("diagnose", "demo", "--output", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"index", "findings"}
    assert set(data["index"]) == {"layers", "partners", "pairs"}
    assert set(data["index"]["layers"]) == set(INDEX_LAYERS)
    assert set(data["index"]["partners"]) == {"GM9901", "GM9902", "GM9903", "GM9904"}
    assert len(data["index"]["pairs"]) == 6
    assert all(set(p) == {"a", "b", *INDEX_LAYERS} for p in data["index"]["pairs"])
    for finding in data["findings"]:
        assert set(finding) == {"rule", "lesson", "severity", "partner", "evidence", "advice"}
        assert finding["lesson"] in ("L1", "L2", "L3")


def test_diagnose_unknown_workspace_is_bad_input(db, tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("diagnose", "bestaat-niet", "--output", str(tmp_path / "x.json"))
    assert exc.value.returncode == 2 and "bestaat niet" in str(exc.value)
    assert not (tmp_path / "x.json").exists()


def test_report_html_and_pdf(demo, tmp_path):
    call_command("report", "demo", "--output", str(tmp_path / "r.html"), "--format", "html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    for heading in ("1 Samenvatting", "2 Waar staan de partners", "3 Afspraken en implementatie",
                    "4 Breekijzer-toets", "5 Routekaart en business case", "Bijlage A Methode",
                    "Bijlage B Gegevensbronnen"):
        assert heading in html
    assert "<svg" in html and "Eén zaaksysteem voor alle partners" in html
    call_command("report", "demo", "--output", str(tmp_path / "r.pdf"))
    pdf = (tmp_path / "r.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = _inflate(pdf)
    assert b"pdfaid:part" in text and b"pdfaid:conformance" in text  # PDF/A identification (XMP)
    assert b"/StructTreeRoot" in text and b"/MarkInfo" in text  # tagged


def _inflate(pdf: bytes) -> bytes:
    """The PDF with every Flate stream decompressed (metadata and structure live in object streams)."""
    import zlib

    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end():match.end() + 2_000_000]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_pages_render_without_inline_styles_or_scripts(demo, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.get(username="bestuurder"))
    for name in ("overview", "roadmap", "agreements"):
        response = client.get(f"/w/demo/diagnose/{'' if name == 'overview' else {'roadmap': 'routekaart/', 'agreements': 'afspraken/'}[name]}")
        assert response.status_code == 200, name
        html = response.content.decode()
        assert not re.search(r"\sstyle=", html), name
        assert "<script>" not in html
    roadmap = client.get("/w/demo/diagnose/routekaart/").content.decode()
    assert 'role="img"' in roadmap and "<title id=\"gantt-title\">" in roadmap and "<desc" in roadmap
    layer = client.get("/w/demo/laag/diagnose/")
    assert layer.status_code == 200 and "Harmonisatie-index per laag" in layer.content.decode()


def test_html_report_in_browser_allows_only_its_own_style(demo, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.get(username="bestuurder"))
    response = client.get("/w/demo/diagnose/rapport/?format=html")
    assert response.status_code == 200
    policy = response.get("Content-Security-Policy", "")
    assert "'sha256-" in policy and "unsafe-inline" not in policy


def test_api_diagnose_and_initiative_patch(demo, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.get(username="coordinator"))
    data = client.get("/api/v1/samenwerkingsverbanden/demo/diagnose").json()
    assert set(data) == {"index", "findings"}
    zaak = Initiative.objects.get(workspace=demo, title="Eén zaaksysteem voor alle partners")
    response = client.patch(f"/api/v1/samenwerkingsverbanden/demo/routekaart/initiatieven/{zaak.pk}",
                            data={"board_mandate": "AB-besluit 9"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["board_mandate"] == "AB-besluit 9"
    assert response.json()["violations"]


def test_stored_comparison_feeds_the_index(workspace, tmp_path):
    from harmonie.core.factories import PartnerFactory

    a, b = PartnerFactory(workspace=workspace), PartnerFactory(workspace=workspace)
    summary = {"logs": [{"name": "a.xes", "cases": 3, "variants": 2}, {"name": "b.xes", "cases": 4, "variants": 3}],
               "pairs": [{"a": "a.xes", "b": "b.xes", "dfg_similarity": 0.42, "activity_overlap": 0.8}],
               "common_core": {"activities": ["x"]}}
    path = tmp_path / "summary.json"
    path.write_text(json.dumps(summary), encoding="utf-8")
    call_command("diagnose_bron", workspace.slug, "processes", str(path),
                 "--naam", f"a.xes={a.cbs_code}", "--naam", f"b.xes={b.cbs_code}")
    index = services.diagnose(workspace).index
    assert index["layers"]["processes"] == 0.42
    assert index["layers"]["products"] is None
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("diagnose_bron", workspace.slug, "processes", str(path))
    assert exc.value.returncode == 2
