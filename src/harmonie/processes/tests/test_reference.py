"""Reference process: core and variants from behaviour (hand-computed), BPMN export → re-import round trip,
the service from event logs and from models with confirmed correspondences, the pages, and the real
BPIC 2015 logs (shared data)."""

from pathlib import Path

import pytest

from conftest import require_shared
from harmonie.processes.analysis.reference import Behaviour, build_reference, from_bpmn, structure, to_bpmn
from harmonie.processes.importers.bpmn import parse_bpmn

DATA = Path(__file__).resolve().parents[4] / "benchmarks" / "data" / "process_matching"


def _log(partner, *traces):
    return Behaviour(partner, traces=[(tuple(t.split()), n) for t, n in traces])


@pytest.fixture
def four_partners():
    return [
        _log("P1", ("A B C D E", 8), ("A B C E", 2)),
        _log("P2", ("A B C D E", 5), ("A C B D E", 1)),
        _log("P3", ("A B X Y C E", 6)),
        _log("P4", ("A B X Y C E", 3), ("A B X C E", 1)),
    ]


def test_core_is_shared_by_most_partners_and_ordered(four_partners):
    model = build_reference(four_partners, source="logs")
    assert [s["label"] for s in model["steps"]] == ["A", "B", "C", "E"]
    assert all(s["partners"] == ["P1", "P2", "P3", "P4"] for s in model["steps"])
    ids = {s["label"]: s["id"] for s in model["steps"]}
    # P1/P2 skip D and P3/P4 skip X, Y when projected on the core: A → B → C → E for everyone
    assert [(f["source"], f["target"]) for f in model["flows"]] == [(ids["A"], ids["B"]), (ids["B"], ids["C"]),
                                                                    (ids["C"], ids["E"])]
    assert model["flows"][0]["partners"] == ["P1", "P2", "P3", "P4"]


def test_partners_that_really_differ_get_their_own_variant(four_partners):
    model = build_reference(four_partners)
    assert model["similarity"]["P1"]["P2"] > 0.8 and model["similarity"]["P1"]["P3"] < 0.3
    variants = {tuple(v["partners"]): v for v in model["variants"]}
    assert set(variants) == {("P1", "P2"), ("P3", "P4")}
    first, second = variants[("P1", "P2")], variants[("P3", "P4")]
    assert [s["label"] for s in first["steps"]] == ["A", "B", "C", "D", "E"]
    assert [s["label"] for s in second["steps"]] == ["A", "B", "X", "Y", "C", "E"]
    labels = {s["id"]: s["label"] for s in second["steps"]}
    assert [labels[i] for i in second["extra_steps"]] == ["X", "Y"]
    flows = {(labels[f["source"]], labels[f["target"]]) for f in second["flows"]}
    assert flows == {("A", "B"), ("B", "X"), ("X", "Y"), ("Y", "C"), ("C", "E")}
    # the same activity keeps its id in the core and the variants
    core_ids = {s["label"]: s["id"] for s in model["steps"]}
    assert all(core_ids[s["label"]] == s["id"] for s in first["steps"] if s["label"] in core_ids)


def test_similar_partners_follow_the_core_without_variants():
    model = build_reference([_log("P1", ("A B C", 3)), _log("P2", ("A B C", 2), ("A C", 1))])
    assert [s["label"] for s in model["steps"]] == ["A", "B", "C"]
    assert model["variants"] == []


def test_rare_activities_are_left_out_and_models_count_as_behaviour():
    rare = _log("P1", ("A B C", 9), ("A Z B C", 1))
    model_partner = Behaviour("P2", graph={"A": {"B"}, "B": {"C"}, "C": set()},
                              positions={"A": 0.0, "B": 0.5, "C": 1.0})
    model = build_reference([rare, model_partner], min_share=0.2)
    assert [s["label"] for s in model["steps"]] == ["A", "B", "C"]
    assert "Z" not in {s["label"] for v in model["variants"] for s in v["steps"]}


def test_bpmn_export_reimports_to_the_same_model(four_partners):
    model = build_reference(four_partners)
    xml = to_bpmn(model, "Omgevingsvergunning")
    parsed = parse_bpmn(xml.encode("utf-8"), "referentie.bpmn")
    assert parsed.has_diagram
    assert parsed.name == "Omgevingsvergunning"
    assert [p.participant for p in parsed.processes] == ["Kern (alle partners)", "Variant 1: P1, P2",
                                                         "Variant 2: P3, P4"]
    assert from_bpmn(parsed) == structure(model)
    # every flow node has a shape, every flow an edge with waypoints
    import xml.etree.ElementTree as ET

    root = ET.fromstring(xml)
    di = "{http://www.omg.org/spec/BPMN/20100524/DI}"
    shapes = {e.get("bpmnElement") for e in root.iter(f"{di}BPMNShape")}
    edges = {e.get("bpmnElement"): len(list(e)) for e in root.iter(f"{di}BPMNEdge")}
    assert set(parsed.nodes) <= shapes
    assert {f.id for f in parsed.flows} == set(edges) and min(edges.values()) >= 2


def test_round_trip_with_branches_and_a_loop():
    model = build_reference([_log("P1", ("A B D", 5), ("A C D", 5), ("A B B2 B D", 2)),
                             _log("P2", ("A B D", 4), ("A C D", 4))], min_flow_ratio=0.1)
    xml = to_bpmn(model)
    parsed = parse_bpmn(xml.encode("utf-8"), "r.bpmn")
    assert any(n.kind == "exclusiveGateway" for n in parsed.nodes.values())
    assert from_bpmn(parsed) == structure(model)


# --- the service -----------------------------------------------------------------------------------------


def _csv(path, rows):
    path.write_text("case_id,activity,timestamp\n" + "".join(
        f"{c},{a},2024-01-{d:02d}T10:00:00+01:00\n" for c, a, d in rows), encoding="utf-8")
    return path


def test_build_reference_from_event_logs_and_adopt(role_users, workspace, tmp_path, settings):
    from harmonie.core.errors import NotAllowed
    from harmonie.core.models import AuditEntry
    from harmonie.processes import services

    settings.DATA_DIR = tmp_path
    a = _csv(tmp_path / "a.csv", [(c, act, d) for c in ("1", "2", "3") for d, act in
                                  enumerate(["Aanvraag", "Toets", "Besluit", "Verzenden"], start=1)])
    b = _csv(tmp_path / "b.csv", [(c, act, d) for c in ("x", "y") for d, act in
                                  enumerate(["Aanvraag", "Intake", "Toets", "Besluit"], start=1)])
    services.import_event_log(role_users["coordinator"], workspace, role_users["own"], a, "a.csv")
    services.import_event_log(role_users["coordinator"], workspace, role_users["other"], b, "b.csv")
    with pytest.raises(NotAllowed):
        services.build_reference(role_users["bijdrager"], workspace)
    ref = services.build_reference(role_users["coordinator"], workspace, "Vergunning")
    assert ref.model["source"] == "logs"
    assert [s["label"] for s in ref.model["steps"]] == ["Aanvraag", "Toets", "Besluit"]
    assert {tuple(v["partners"]) for v in ref.model["variants"]} == {(role_users["own"].name,),
                                                                     (role_users["other"].name,)}
    assert from_bpmn(parse_bpmn(ref.bpmn_xml.encode(), "r.bpmn")) == structure(ref.model)
    services.set_adopted(role_users["coordinator"], ref, True)
    ref.refresh_from_db()
    assert ref.adopted
    assert AuditEntry.objects.filter(object_type="processes.referenceprocess").count() == 2


def test_build_reference_from_models_merges_confirmed_correspondences(role_users, workspace):
    from harmonie.processes import services

    own, other = role_users["own"], role_users["other"]
    a = services.import_model(None, workspace, own, (DATA / "models" / "08-melding-openbare-ruimte.A.bpmn")
                              .read_bytes(), "a.bpmn")
    b = services.import_model(None, workspace, other, (DATA / "models" / "08-melding-openbare-ruimte.B.bpmn")
                              .read_bytes(), "b.bpmn")
    model_a, model_b = services.model_for(workspace, a.model_id), services.model_for(workspace, b.model_id)
    before = services.build_reference(None, workspace, source="models")
    assert before.model["steps"] == []  # no shared labels yet
    for row in services.suggest_correspondences(workspace, model_a, model_b):
        services.decide_correspondence(None, workspace, model_a, model_b, row["a_key"], row["b_key"], "bevestigd",
                                       a_label=row["a_label"], b_label=row["b_label"])
    ref = services.build_reference(None, workspace, source="models", reference=before)
    assert ref.pk == before.pk
    labels = [s["label"] for s in ref.model["steps"]]
    assert len(labels) >= 8 and labels[0] in ("Melding ontvangen", "Nieuwe melding via app")
    assert all(s["partners"] == sorted([own.name, other.name]) for s in ref.model["steps"])


def test_reference_pages_and_bpmn_download(client, role_users, workspace):
    from django.urls import reverse

    from harmonie.processes.models import ReferenceProcess

    model = build_reference([_log("Gemeente A", ("Aanvraag Toets Besluit", 3)),
                             _log("Gemeente B", ("Aanvraag Intake Toets Besluit", 2))])
    ref = ReferenceProcess.objects.create(workspace=workspace, name="Vergunning", model=model,
                                          bpmn_xml=to_bpmn(model, "Vergunning"))
    client.force_login(role_users["lezer"])
    html = client.get(reverse("processes:reference", args=[workspace.slug, ref.pk])).content.decode()
    assert 'data-bpmn-url="/w/' in html and "bpmn-viewer.production.min.js" in html and "<script>" not in html
    assert "Intake" in html and "Gemeenschappelijke kern" in html and "Vaststellen" not in html
    download = client.get(reverse("processes:reference_bpmn", args=[workspace.slug, ref.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert from_bpmn(parse_bpmn(download.content, "r.bpmn")) == structure(model)
    client.force_login(role_users["coordinator"])
    assert "Vaststellen" in client.get(reverse("processes:reference", args=[workspace.slug, ref.pk])).content.decode()
    client.post(reverse("processes:reference_adopt", args=[workspace.slug, ref.pk]), {"vastgesteld": "1"})
    ref.refresh_from_db()
    assert ref.adopted


def test_bpic_2015_logs_give_a_readable_reference():
    from collections import Counter

    import polars as pl

    from harmonie.processes.analysis.readers import read_log

    behaviours = []
    for number in (1, 2):
        frame = read_log(require_shared(f"eventlogs/BPIC15_{number}.xes.gz"))
        cases = frame.sort(["case_id", "timestamp", "order"]).group_by("case_id", maintain_order=True).agg(
            pl.col("activity"))
        behaviours.append(Behaviour(f"Gemeente {number}",
                                    traces=list(Counter(tuple(a) for a in cases["activity"].to_list()).items())))
    model = build_reference(behaviours, source="logs")
    assert 10 <= len(model["steps"]) <= 30
    assert model["steps"][0]["label"].startswith("01_HOOFD_01")  # the intake phase comes first
    assert len(model["flows"]) <= 3 * len(model["steps"])
    assert from_bpmn(parse_bpmn(to_bpmn(model).encode("utf-8"), "bpic.bpmn")) == structure(model)


def test_reference_from_a_selection_of_models_and_the_page_form(client, role_users, workspace):
    from django.urls import reverse

    from harmonie.core.jobs import run_inline
    from harmonie.core.models import Job
    from harmonie.processes import services

    own, other = role_users["own"], role_users["other"]
    ids = {}
    for partner, stem in ((own, "08-melding-openbare-ruimte.A"), (own, "14-container.A"),
                          (other, "14-container.B")):
        result = services.import_model(None, workspace, partner, (DATA / "models" / f"{stem}.bpmn").read_bytes(),
                                       f"{stem}.bpmn")
        ids[stem] = f"bpmn:{result.model_id}"
    client.force_login(role_users["coordinator"])
    page = client.get(reverse("processes:references", args=[workspace.slug])).content.decode()
    assert 'type="checkbox" name="only"' in page and "Gemeente Aadorp: extra container" in page
    response = client.post(reverse("processes:references", args=[workspace.slug]), {
        "name": "Container", "source": "models", "only": [ids["14-container.A"], ids["14-container.B"]]})
    assert response.status_code == 302
    job = Job.objects.get(kind="processes.reference_build")
    reference = services.build_reference(None, workspace, reference=None, **{
        k: v for k, v in job.params.items() if k in ("name", "source", "only")})
    assert reference.model["parameters"]["sources"] == sorted([ids["14-container.A"], ids["14-container.B"]])
    labels = {s["label"] for s in reference.model["steps"]} | {
        s["label"] for v in reference.model["variants"] for s in v["steps"]}
    assert "Melding registreren" not in labels  # the other process of the same partner stays out
    # updating keeps the selection
    again = run_inline("processes.reference_build", {"workspace_id": workspace.pk, "reference_id": reference.pk,
                                                     "source": "models"})
    reference.refresh_from_db()
    assert again["reference_id"] == reference.pk
    assert reference.model["parameters"]["sources"] == sorted([ids["14-container.A"], ids["14-container.B"]])


def test_reference_from_the_two_imported_bpic_logs(role_users, workspace, tmp_path, settings):
    """The user story: two municipalities' real logs imported as partners → reference process → BPMN."""
    from harmonie.processes import services

    settings.DATA_DIR = tmp_path
    for partner, number in ((role_users["own"], 1), (role_users["other"], 2)):
        path = require_shared(f"eventlogs/BPIC15_{number}.xes.gz")
        services.import_event_log(role_users["coordinator"], workspace, partner, path, path.name)
    reference = services.build_reference(role_users["coordinator"], workspace, "Omgevingsvergunning")
    model = reference.model
    assert model["source"] == "logs" and len(model["partners"]) == 2
    assert 10 <= len(model["steps"]) <= 30
    assert all(len(s["partners"]) == 2 for s in model["steps"])
    parsed = parse_bpmn(services.reference_bpmn(reference).encode("utf-8"), "bpic.bpmn")
    assert from_bpmn(parsed) == structure(model)
