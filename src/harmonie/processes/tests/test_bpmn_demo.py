"""Demo data of the process-model subject: four partners' models, confirmed correspondences, a reference
process with a variant for the two partners that have a welstand and leges step; idempotent."""

from harmonie.core.factories import PartnerFactory
from harmonie.processes.analysis.reference import from_bpmn, structure
from harmonie.processes.demo.bpmn import REFERENCE_NAME, build_bpmn_demo
from harmonie.processes.importers.bpmn import parse_bpmn
from harmonie.processes.models import Correspondence, ProcessModel, ReferenceProcess


def test_demo_models_correspondences_and_reference(workspace):
    partners = [PartnerFactory(workspace=workspace, cbs_code=f"GM99{i:02d}", name=name)
                for i, name in enumerate(["Lindeveen", "Moerdam", "Nieuwlaar", "Oosterhout"])]
    build_bpmn_demo(workspace, partners)
    assert ProcessModel.objects.filter(workspace=workspace).count() == 4
    confirmed = Correspondence.objects.filter(workspace=workspace, status="bevestigd").count()
    assert confirmed >= 30
    reference = ReferenceProcess.objects.get(workspace=workspace, name=REFERENCE_NAME)
    labels = [s["label"] for s in reference.model["steps"]]
    assert len(labels) >= 7 and "Besluit nemen" in labels
    variants = reference.model["variants"]
    assert [v["partners"] for v in variants if v["extra_steps"]] == [["Nieuwlaar", "Oosterhout"]]
    extra = {s["label"] for v in variants for s in v["steps"] if s["id"] in v["extra_steps"]}
    assert any("elstand" in label for label in extra) and any("Leges" in label for label in extra)
    assert from_bpmn(parse_bpmn(reference.bpmn_xml.encode(), "demo.bpmn")) == structure(reference.model)
    build_bpmn_demo(workspace, partners)  # again: nothing new
    assert ProcessModel.objects.filter(workspace=workspace).count() == 4
    assert Correspondence.objects.filter(workspace=workspace, status="bevestigd").count() == confirmed
    assert ReferenceProcess.objects.filter(workspace=workspace).count() == 1
