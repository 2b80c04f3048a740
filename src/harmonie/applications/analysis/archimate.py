"""ArchiMate 3.1 as the Open Group exchange format (AMEFF) sees it: types, identifiers, checks.

Pure Python. ``Model`` is a plain, format-independent description of an
ArchiMate model (elements, relationships, properties, folders) that the AMEFF
writer and reader in ``harmonie.applications.exchange`` translate from and to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Element types of ArchiMate 3.1 with their names in the exchange format (archimate3_Model.xsd).
ELEMENT_TYPES = frozenset({
    # strategy
    "Resource", "Capability", "ValueStream", "CourseOfAction",
    # business
    "BusinessActor", "BusinessRole", "BusinessCollaboration", "BusinessInterface", "BusinessProcess",
    "BusinessFunction", "BusinessInteraction", "BusinessEvent", "BusinessService", "BusinessObject", "Contract",
    "Representation", "Product",
    # application
    "ApplicationComponent", "ApplicationCollaboration", "ApplicationInterface", "ApplicationFunction",
    "ApplicationInteraction", "ApplicationProcess", "ApplicationEvent", "ApplicationService", "DataObject",
    # technology and physical
    "Node", "Device", "SystemSoftware", "TechnologyCollaboration", "TechnologyInterface", "Path",
    "CommunicationNetwork", "TechnologyFunction", "TechnologyProcess", "TechnologyInteraction", "TechnologyEvent",
    "TechnologyService", "Artifact", "Equipment", "Facility", "DistributionNetwork", "Material",
    # motivation
    "Stakeholder", "Driver", "Assessment", "Goal", "Outcome", "Principle", "Requirement", "Constraint", "Meaning",
    "Value",
    # implementation and migration
    "WorkPackage", "Deliverable", "ImplementationEvent", "Plateau", "Gap",
    # other
    "Grouping", "Location", "AndJunction", "OrJunction",
})
RELATIONSHIP_TYPES = frozenset({
    "Composition", "Aggregation", "Assignment", "Realization", "Serving", "Access", "Influence", "Triggering",
    "Flow", "Specialization", "Association",
})
ACCESS_TYPES = frozenset({"Access", "Read", "Write", "ReadWrite"})
# Archi (coArchi) stores accessType as a number; absent means Write.
ARCHI_ACCESS = {"0": "Write", "1": "Read", "2": "Access", "3": "ReadWrite"}

# xs:ID is an NCName: a letter or underscore first, then letters, digits, '.', '-', '_' (and combining chars).
_NCNAME = re.compile(r"^[^\W\d][\w.\-]*$", re.UNICODE)


def is_xml_id(value: str) -> bool:
    return bool(value) and ":" not in value and bool(_NCNAME.match(value))


@dataclass
class ModelElement:
    identifier: str
    type: str
    name: str
    documentation: str = ""
    properties: dict[str, str] = field(default_factory=dict)
    folder: str = ""  # "GEMMA/Application/..." (organizations in AMEFF)


@dataclass
class ModelRelation:
    identifier: str
    type: str
    source: str
    target: str
    name: str = ""
    documentation: str = ""
    properties: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)  # accessType, modifier, isDirected


@dataclass
class Model:
    name: str
    elements: list[ModelElement] = field(default_factory=list)
    relations: list[ModelRelation] = field(default_factory=list)
    documentation: str = ""
    identifier: str = "id-harmonie-model"


def normalise_attributes(rel_type: str, attributes: dict) -> dict[str, str]:
    """Relationship attributes in exchange-format form (accessType as a word, isDirected as true/false)."""
    out = {}
    if rel_type == "Access":
        value = str(attributes.get("accessType", "") or "")
        value = ARCHI_ACCESS.get(value, value)
        if value and value != "Write":  # Write is the default
            out["accessType"] = value
    if rel_type == "Influence":
        value = str(attributes.get("modifier") or attributes.get("influenceStrength") or "")
        if value:
            out["modifier"] = value
    if rel_type == "Association":
        value = str(attributes.get("isDirected", "")).lower()
        if value in ("true", "1"):
            out["isDirected"] = "true"
    return out


def xml_id_map(identifiers: list[str]) -> dict[str, str]:
    """Map every identifier to a valid, unique xs:ID. Valid ones stay; others get 'id-' (then a counter)."""
    taken = {i for i in identifiers if is_xml_id(i)}
    mapping = {}
    for ident in identifiers:
        if ident in mapping:
            continue
        if is_xml_id(ident):
            mapping[ident] = ident
            continue
        base = "id-" + re.sub(r"[^\w.\-]", "_", ident)
        candidate, n = base, 1
        while candidate in taken or not is_xml_id(candidate):
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        mapping[ident] = candidate
    return mapping


def problems(model: Model) -> list[str]:
    """Structural problems (Dutch), empty when the model is a valid exchange model."""
    found = []
    seen: set[str] = set()
    for kind, items in (("element", model.elements), ("relatie", model.relations)):
        for item in items:
            if not is_xml_id(item.identifier):
                found.append(f"{kind} '{item.identifier}': identifier is geen geldige xs:ID")
            if item.identifier in seen:
                found.append(f"{kind} '{item.identifier}': identifier komt twee keer voor")
            seen.add(item.identifier)
    for element in model.elements:
        if element.type not in ELEMENT_TYPES:
            found.append(f"element '{element.identifier}': onbekend ArchiMate 3.1-type '{element.type}'")
    for relation in model.relations:
        if relation.type not in RELATIONSHIP_TYPES:
            found.append(f"relatie '{relation.identifier}': onbekend ArchiMate 3.1-relatietype '{relation.type}'")
        for end in ("source", "target"):
            if getattr(relation, end) not in seen:
                found.append(f"relatie '{relation.identifier}': {end} '{getattr(relation, end)}' bestaat niet")
        if relation.type == "Access" and relation.attributes.get("accessType", "Write") not in ACCESS_TYPES:
            found.append(f"relatie '{relation.identifier}': ongeldig accessType")
    return found
