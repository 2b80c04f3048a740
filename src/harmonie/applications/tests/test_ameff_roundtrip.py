"""AMEFF export proven by a round trip on the real GEMMA model (../shared/data/gemma)."""

import re
import xml.etree.ElementTree as ET

import pytest
from conftest import require_shared

from harmonie.applications import services
from harmonie.applications.analysis.archimate import (
    ELEMENT_TYPES,
    RELATIONSHIP_TYPES,
    is_xml_id,
    normalise_attributes,
    problems,
    xml_id_map,
)
from harmonie.applications.exchange import NS, read_model

pytestmark = pytest.mark.slow

NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")


@pytest.fixture
def exported(db):
    """The real GEMMA loaded from the shared CSVs through the reference loader, then exported as AMEFF."""
    from harmonie.reference.services import load_reference

    load_reference("gemma", require_shared("gemma"))
    return services.gemma_model(), services.export_gemma_ameff()


def test_source_model_is_complete(exported):
    model, _data = exported
    assert len(model.elements) == 3006
    assert len(model.relations) == 6257


def test_export_is_a_valid_exchange_document(exported, tmp_path):
    model, data = exported
    root = ET.fromstring(data)
    assert root.tag == f"{{{NS}}}model"
    order = [child.tag.rsplit("}", 1)[1] for child in root]
    expected = ["name", "documentation", "elements", "relationships", "organizations", "propertyDefinitions"]
    assert order == expected  # the sequence archimate3_Model.xsd prescribes
    ids = [node.get("identifier") for node in root.iter() if node.get("identifier")]
    assert len(ids) == len(set(ids)), "every identifier (xs:ID) is unique in the document"
    assert all(NCNAME.match(i) for i in ids), "every identifier is a valid xs:ID (NCName)"
    refs = {node.get("propertyDefinitionRef") for node in root.iter(f"{{{NS}}}property")}
    definitions = {node.get("identifier") for node in root.iter(f"{{{NS}}}propertyDefinition")}
    assert refs <= definitions
    for node in root.iter(f"{{{NS}}}element"):
        assert node.find(f"{{{NS}}}name") is not None  # name is required for elements


def test_round_trip_keeps_everything(exported):
    model, data = exported
    again = read_model(data, "gemma.xml")
    assert not problems(again)
    assert len(again.elements) == 3006 and len(again.relations) == 6257
    ids = xml_id_map([model.identifier] + [e.identifier for e in model.elements]
                     + [r.identifier for r in model.relations])
    assert len(set(ids.values())) == len(ids)
    before = {ids[e.identifier]: e for e in model.elements}
    after = {e.identifier: e for e in again.elements}
    assert set(before) == set(after)
    for ident, element in before.items():
        other = after[ident]
        assert (other.type, other.name, other.documentation, other.properties, other.folder) == \
               (element.type, element.name, element.documentation, element.properties, element.folder), ident
    before_rel = {ids[r.identifier]: r for r in model.relations}
    after_rel = {r.identifier: r for r in again.relations}
    assert set(before_rel) == set(after_rel)
    concepts = set(after) | set(after_rel)
    for ident, rel in before_rel.items():
        other = after_rel[ident]
        assert (other.type, other.source, other.target, other.name, other.properties) == \
               (rel.type, ids[rel.source], ids[rel.target], rel.name, rel.properties), ident
        assert other.attributes == normalise_attributes(rel.type, rel.attributes)
        assert other.source in concepts and other.target in concepts
    assert {e.type for e in again.elements} <= ELEMENT_TYPES
    assert {r.type for r in again.relations} <= RELATIONSHIP_TYPES
    # the GEMMA Object ID survives for every element, so mappings keep working
    assert sum(1 for e in again.elements if e.properties.get("Object ID")) == 3006


def test_reference_loader_reads_the_export_back(exported, tmp_path):
    """Loaded again through the reference loader (a new GEMMA version) with the same counts and properties."""
    from harmonie.reference.models import GemmaElement, GemmaRelation
    from harmonie.reference.services import current_version, load_reference

    _model, data = exported
    path = tmp_path / "gemma-export.xml"
    path.write_bytes(data)
    first = current_version("gemma")
    result = load_reference("gemma", path)
    version = current_version("gemma")
    assert result.total == 3006 + 6257
    assert GemmaElement.objects.filter(version=version).count() == 3006
    assert GemmaRelation.objects.filter(version=version).count() == 6257

    def rows(v):  # the reference loader trims the text of property values (one GEMMA value ends in a space)
        return {e.object_id: (e.name, e.type, {k: x.strip() for k, x in e.properties.items()}, e.folder)
                for e in GemmaElement.objects.filter(version=v)}

    old, new = rows(first), rows(version)
    assert old == new
    assert len(services.component_index()) == 171


def test_xml_ids_for_invalid_identifiers():
    mapping = xml_id_map(["2052c6cd-ae92", "id-2052c6cd-ae92", "ok_1", "a:b"])
    assert mapping["ok_1"] == "ok_1" and mapping["id-2052c6cd-ae92"] == "id-2052c6cd-ae92"
    assert mapping["2052c6cd-ae92"] != "id-2052c6cd-ae92" and is_xml_id(mapping["2052c6cd-ae92"])
    assert is_xml_id(mapping["a:b"]) and len(set(mapping.values())) == 4
