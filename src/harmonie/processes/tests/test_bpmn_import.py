"""BPMN 2.0 import: real-world-shaped files (Camunda, Signavio, a generic tool), bad input, the service
(per partner, idempotent, audited, permissions) and the upload page."""

from pathlib import Path

import pytest

from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.models import AuditEntry
from harmonie.processes import services
from harmonie.processes.importers.bpmn import parse_bpmn, parse_bpmn_file
from harmonie.processes.models import ProcessModel

FILES = Path(__file__).parent / "test_bpmn_files"


def test_camunda_file_with_lanes_gateways_boundary_event_and_sub_process():
    model = parse_bpmn_file(FILES / "camunda-omgevingsvergunning.bpmn")
    assert model.name == "Omgevingsvergunning behandelen"
    assert [(p.id, p.participant) for p in model.processes] == [("Process_Omgevingsvergunning", "Gemeente Aadorp")]
    assert model.processes[0].documentation == "Reguliere procedure, 8 weken."
    assert {lane.name for lane in model.lanes} == {"Klantcontactcentrum", "Vergunningverlening"}
    assert model.nodes["Task_Registreren"].lane == "Lane_KCC"
    assert model.nodes["Task_Besluit"].lane == "Lane_VV"
    # names with a line break are normalised to one line
    assert model.nodes["Task_Volledigheid"].label == "Volledigheid toetsen"
    boundary = model.nodes["Boundary_Termijn"]
    assert (boundary.kind, boundary.attached_to, boundary.event_definition) == (
        "boundaryEvent", "SubProcess_Toetsen", "timerEventDefinition")
    assert model.nodes["StartEvent_Aanvraag"].event_definition == "messageEventDefinition"
    assert model.nodes["Sub_Welstand"].parent == "SubProcess_Toetsen"
    assert {n.kind for n in model.nodes.values()} >= {"userTask", "sendTask", "serviceTask", "businessRuleTask",
                                                       "subProcess", "exclusiveGateway", "boundaryEvent"}
    # data objects and text annotations are not flow nodes
    assert "DataObjectReference_1" not in model.nodes and "TextAnnotation_1" not in model.nodes
    labels = [a.label for a in model.activities()]
    assert labels == ["Aanvraag ontvangen", "Aanvraag registreren", "Volledigheid toetsen", "Aanvulling opvragen",
                      "Inhoudelijk toetsen", "Bestemmingsplan raadplegen", "Welstandsadvies vragen",
                      "8 weken verstreken", "Vergunning van rechtswege melden", "Van rechtswege verleend",
                      "Besluit nemen", "Beschikking verzenden", "Beschikking verzonden"]
    summary = model.summary()
    assert (summary["taken"], summary["subprocessen"], summary["gateways"], summary["lanes"]) == (8, 1, 2, 2)
    assert summary["diagram"] is True
    graph = model.activity_graph()
    # through the gateways; the rework loop; into the sub-process; out of the boundary event
    assert graph["Task_Volledigheid"] == {"Task_Aanvulling", "SubProcess_Toetsen"}
    assert graph["Task_Aanvulling"] == {"Task_Volledigheid"}
    assert graph["SubProcess_Toetsen"] == {"Task_Besluit", "Boundary_Termijn", "Sub_Bestemmingsplan"}
    assert graph["Boundary_Termijn"] == {"Task_Rappel"}
    positions = model.positions()
    assert positions["StartEvent_Aanvraag"] == 0.0
    assert positions["Task_Registreren"] < positions["Task_Besluit"] < positions["EndEvent_Verzonden"] == 1.0


def test_signavio_collaboration_with_two_pools_nested_lanes_and_message_flows():
    model = parse_bpmn_file(FILES / "signavio-klacht.bpmn")
    assert [(p.name, p.participant) for p in model.processes] == [("Inwoner", "Inwoner"),
                                                                   ("Klachtbehandeling", "Gemeente Beekstad")]
    assert [lane.name for lane in model.lanes] == ["Gemeente", "KCC", "Klachtencoördinator"]
    assert model.nodes["sid-g-oordeel"].lane == "sid-lane-team"
    assert [(f.source, f.target) for f in model.message_flows] == [("sid-b-indienen", "sid-g-start"),
                                                                   ("sid-g-versturen", "sid-b-ontvangen")]
    kinds = {n.id: n.kind for n in model.nodes.values()}
    assert kinds["sid-g-horen"] == "callActivity" and kinds["sid-g-incl"] == "inclusiveGateway"
    assert kinds["sid-g-ombudsman"] == "intermediateThrowEvent"
    assert model.activity_graph()["sid-g-registreren"] == {"sid-g-onderzoeken", "sid-g-horen"}
    assert model.nodes["sid-b-start"].is_activity is False  # unlabelled events are not activities
    assert model.has_diagram is False


def test_generic_file_in_the_default_namespace_with_every_task_kind():
    model = parse_bpmn_file(FILES / "generic-order.bpmn")
    kinds = {n.id: n.kind for n in model.nodes.values()}
    assert kinds == {
        "start": "startEvent", "t_check": "scriptTask", "g_wait": "eventBasedGateway", "t_payment": "receiveTask",
        "e_timeout": "intermediateCatchEvent", "t_cancel": "task", "t_discount": "businessRuleTask",
        "t_pick": "adHocSubProcess", "t_pick_items": "manualTask", "t_pack_items": "manualTask",
        "t_ship": "transaction", "ship_start": "startEvent", "t_label": "serviceTask", "ship_end": "endEvent",
        "g_merge": "complexGateway", "end": "endEvent"}
    assert model.nodes["t_label"].parent == "t_ship"
    assert model.activity_graph()["t_check"] == {"t_payment", "e_timeout"}


def _bad(xml: str, name="fout.bpmn"):
    with pytest.raises(BadInput) as info:
        parse_bpmn(xml.encode("utf-8"), name)
    return info.value.message


def test_external_entities_are_refused():
    message = _bad('<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                   '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p">'
                   '<task id="t" name="&xxe;"/></process></definitions>')
    assert "fout.bpmn" in message and "DTD" in message


def test_billion_laughs_is_refused():
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    message = _bad(f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><definitions><process id="p">'
                   f'<task id="t" name="&lol9;"/></process></definitions>')
    assert "entiteit" in message


def test_broken_xml_names_the_line():
    message = _bad('<?xml version="1.0"?>\n<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">\n'
                   '<process id="p">\n<task id="t" name="Open">\n</process></definitions>')
    assert "regel 5" in message and "geen geldige XML" in message


def test_no_process_and_wrong_root_and_empty():
    assert "geen <process>" in _bad('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">'
                                     '<collaboration id="c"/></definitions>')
    assert "hoofdelement is <model>" in _bad("<model><process id='p'/></model>")
    assert "leeg" in _bad("   ")


def test_dangling_flow_duplicate_id_and_loose_boundary_event_name_element_and_line():
    head = '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">\n<process id="p">\n'
    message = _bad(head + '<task id="a" name="A"/>\n<sequenceFlow id="f1" sourceRef="a" targetRef="b"/>\n'
                   '</process></definitions>')
    assert "regel 4" in message and "f1" in message and "'b'" in message
    message = _bad(head + '<task id="a" name="A"/>\n<task id="a" name="B"/>\n</process></definitions>')
    assert "regel 4" in message and "id 'a'" in message and "regel 3" in message
    message = _bad(head + '<task id="a" name="A"/>\n<boundaryEvent id="b" attachedToRef="x"/>\n'
                   '</process></definitions>')
    assert "boundaryEvent id='b'" in message and "'x'" in message
    message = _bad(head + '<task name="zonder id"/>\n</process></definitions>')
    assert "regel 3" in message and "<task> heeft geen 'id'" in message


# --- the service: per partner, idempotent, audited ---------------------------------------------------------


def test_import_model_is_idempotent_audited_and_replaces_by_name(role_users, workspace):
    coordinator, own = role_users["coordinator"], role_users["own"]
    data = (FILES / "camunda-omgevingsvergunning.bpmn").read_bytes()
    first = services.import_model(coordinator, workspace, own, data, "omgevingsvergunning.bpmn")
    assert first.status == "toegevoegd" and first.name == "Omgevingsvergunning behandelen"
    stored = ProcessModel.objects.get(pk=first.model_id)
    assert stored.partner == own and stored.summary["taken"] == 8
    assert [a["label"] for a in stored.summary["activiteiten"]][:2] == ["Aanvraag ontvangen", "Aanvraag registreren"]
    audits = AuditEntry.objects.filter(object_type="processes.processmodel").count()
    assert audits == 1
    again = services.import_model(coordinator, workspace, own, data, "omgevingsvergunning.bpmn")
    assert again.status == "ongewijzigd" and again.model_id == first.model_id
    assert AuditEntry.objects.filter(object_type="processes.processmodel").count() == audits
    changed = data.replace(b"Besluit nemen", b"Besluit voorbereiden en nemen")
    third = services.import_model(coordinator, workspace, own, changed, "omgevingsvergunning-v2.bpmn")
    assert third.status == "gewijzigd" and third.model_id == first.model_id
    assert ProcessModel.objects.filter(partner=own).count() == 1
    assert "Besluit voorbereiden en nemen" in ProcessModel.objects.get(pk=first.model_id).bpmn_xml


def test_import_model_refuses_other_partners_and_bad_files_without_storing(role_users, workspace):
    data = (FILES / "signavio-klacht.bpmn").read_bytes()
    with pytest.raises(NotAllowed):
        services.import_model(role_users["bijdrager"], workspace, role_users["other"], data, "klacht.bpmn")
    with pytest.raises(BadInput):
        services.import_model(role_users["bijdrager"], workspace, role_users["own"], b"<definitions/>", "x.bpmn")
    assert not ProcessModel.objects.exists()
    result = services.import_model(role_users["bijdrager"], workspace, role_users["own"], data, "klacht.bpmn",
                                   name="Klachten")
    assert result.name == "Klachten"


def test_large_upload_runs_as_a_job(role_users, workspace, settings, tmp_path, monkeypatch):
    from harmonie.core.jobs import run_inline
    from harmonie.core.models import Job
    from harmonie.processes.services import bpmn as bpmn_services

    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(bpmn_services, "INLINE_IMPORT_BYTES", 100)
    data = (FILES / "generic-order.bpmn").read_bytes()
    job = services.start_model_import(role_users["coordinator"], workspace, role_users["own"], data, "order.bpmn")
    assert isinstance(job, Job)
    result = run_inline(job.kind, job.params)
    assert result["status"] == "toegevoegd" and result["name"] == "Order handling"
    assert not list((tmp_path / "uploads").iterdir())  # the stored upload is removed


def test_upload_page(client, role_users, workspace):
    from django.urls import reverse

    client.force_login(role_users["bijdrager"])
    url = reverse("processes:model_upload", args=[workspace.slug, role_users["own"].pk])
    with open(FILES / "camunda-omgevingsvergunning.bpmn", "rb") as handle:
        response = client.post(url, {"file": handle, "name": ""})
    assert response.status_code == 302
    page = client.get(reverse("processes:models", args=[workspace.slug]))
    assert "Omgevingsvergunning behandelen" in page.content.decode()
    bad = client.post(url, {"file": _upload("kapot.bpmn", b"<definitions><process id='p'>"), "name": ""})
    assert bad.status_code == 200 and "kapot.bpmn" in bad.content.decode()


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/xml")


@pytest.mark.parametrize("encoding", ["utf-16", "iso-8859-1"])
def test_other_encodings_are_stored_as_utf8_and_parse_again(role_users, workspace, encoding):
    text = (FILES / "signavio-klacht.bpmn").read_text(encoding="utf-8").replace(
        'encoding="UTF-8"', f'encoding="{encoding.upper()}"', 1)
    data = text.encode(encoding)
    result = services.import_model(None, workspace, role_users["own"], data, f"klacht-{encoding}.bpmn")
    stored = ProcessModel.objects.get(pk=result.model_id)
    assert stored.bpmn_xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    parsed = services.parse_model(stored)
    assert [lane.name for lane in parsed.lanes] == ["Gemeente", "KCC", "Klachtencoördinator"]
