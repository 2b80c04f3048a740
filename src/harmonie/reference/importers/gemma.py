"""GEMMA (Gemeentelijke Model Architectuur) as an ArchiMate model.

Accepted forms, detected by content:

* an ArchiMate Model Exchange File (AMEFF, Open Group exchange format 3.x) as
  VNG publishes it (``GEMMA release.xml``), parsed with defusedxml;
* a folder of CSVs (``gemma-elements.csv`` and ``gemma-relations.csv``; other
  CSVs in the folder are derived views and ignored).

Elements and relationships keep their identifier, ArchiMate type, name,
documentation and all properties, so the model can be exported again as AMEFF.
Relationship types are stored in AMEFF form ("Realization", not Archi's
"RealizationRelationship").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from harmonie.core.errors import BadInput

from .base import (ParseResult, child, child_text, clean, local_name, parse_xml, read_bytes, read_csv,
                   sha256_bytes, sniff_kind)

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
ELEMENT_COLUMNS = ["id", "type", "name", "documentation", "properties_json"]
RELATION_COLUMNS = ["id", "type", "source_id", "target_id", "properties_json"]


@dataclass
class GemmaElementData:
    identifier: str
    object_id: str
    type: str
    name: str
    documentation: str = ""
    gemma_type: str = ""
    gemma_status: str = ""
    folder: str = ""
    properties: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.identifier


@dataclass
class GemmaRelationData:
    identifier: str
    object_id: str
    type: str
    source: str
    target: str
    name: str = ""
    documentation: str = ""
    attributes: dict = field(default_factory=dict)  # accessType, influenceStrength, isDirected
    properties: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.identifier


def relation_type(value: str) -> str:
    value = clean(value)
    return value[: -len("Relationship")] if value.endswith("Relationship") and value != "Relationship" else value


def _object_id(identifier: str, properties: dict, explicit: str = "") -> str:
    value = clean(explicit) or clean(properties.get("Object ID"))
    if value:
        return value
    return identifier[3:] if identifier.startswith("id-") else identifier


def _properties_json(value: str, name: str, line: int) -> dict:
    text = clean(value)
    if not text:
        return {}
    try:
        props = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"Bestand '{name}', regel {line}: veld 'properties_json' is geen geldige JSON ({exc.msg}).") from exc
    if not isinstance(props, dict):
        raise BadInput(f"Bestand '{name}', regel {line}: veld 'properties_json' moet een JSON-object zijn.")
    return {str(k): "" if v is None else str(v) for k, v in props.items()}


def _parse_folder(path: Path, max_bytes: int | None) -> ParseResult:
    csvs = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
    elements_file = next((p for p in csvs if p.stem.lower().endswith("elements")), None)
    relations_file = next((p for p in csvs if p.stem.lower().endswith("relations")), None)
    if elements_file is None or relations_file is None:
        raise BadInput(f"Map '{path.name}': verwacht 'gemma-elements.csv' en 'gemma-relations.csv'; gevonden: "
                       f"{', '.join(p.name for p in csvs) or '(geen CSV-bestanden)'}.")
    total = 0
    items: list = []
    digests = []
    elements_data = read_bytes(elements_file, max_bytes)
    relations_data = read_bytes(relations_file, max_bytes)
    total = len(elements_data) + len(relations_data)
    if max_bytes is not None and total > max_bytes:
        raise BadInput(f"Map '{path.name}' is te groot ({total} bytes; maximaal {max_bytes} bytes).")
    table = read_csv(elements_data, elements_file.name, ELEMENT_COLUMNS)
    seen = set()
    for line, row in table.rows:
        identifier = clean(row["id"])
        if not identifier:
            raise BadInput(f"Bestand '{table.name}', regel {line}: veld 'id' is leeg.")
        if not clean(row["type"]):
            raise BadInput(f"Bestand '{table.name}', regel {line}: veld 'type' is leeg.")
        if identifier in seen:
            raise BadInput(f"Bestand '{table.name}', regel {line}: id '{identifier}' komt twee keer voor.")
        seen.add(identifier)
        props = _properties_json(row["properties_json"], table.name, line)
        items.append(GemmaElementData(
            identifier=identifier, object_id=_object_id(identifier, props, row.get("object_id", "")),
            type=clean(row["type"]), name=clean(row["name"]), documentation=row["documentation"].strip(),
            gemma_type=clean(row.get("gemma_type")) or props.get("GEMMA type", ""),
            gemma_status=clean(row.get("gemma_status")) or props.get("GEMMA status", ""),
            folder=clean(row.get("folder")), properties=props,
        ))
    digests.append(sha256_bytes(elements_data))
    table = read_csv(relations_data, relations_file.name, RELATION_COLUMNS)
    for line, row in table.rows:
        identifier = clean(row["id"])
        for column in ("id", "type", "source_id", "target_id"):
            if not clean(row[column]):
                raise BadInput(f"Bestand '{table.name}', regel {line}: veld '{column}' is leeg.")
        if identifier in seen:
            raise BadInput(f"Bestand '{table.name}', regel {line}: id '{identifier}' komt twee keer voor.")
        seen.add(identifier)
        props = _properties_json(row["properties_json"], table.name, line)
        attributes = {k: clean(row.get(c)) for k, c in
                      (("accessType", "accessType"), ("influenceStrength", "influenceStrength"),
                       ("isDirected", "directed")) if clean(row.get(c))}
        items.append(GemmaRelationData(
            identifier=identifier, object_id=_object_id(identifier, props), type=relation_type(row["type"]),
            source=clean(row["source_id"]), target=clean(row["target_id"]), name=clean(row.get("name")),
            documentation=clean(row.get("documentation")), attributes=attributes, properties=props,
        ))
    digests.append(sha256_bytes(relations_data))
    return ParseResult(kind="gemma", format="csv-map", items=items,
                       file_sha256=sha256_bytes("\n".join(digests).encode()))


def _ameff_properties(node, definitions: dict) -> dict:
    props = {}
    container = child(node, "properties")
    if container is None:
        return props
    for prop in container:
        if local_name(prop.tag) != "property":
            continue
        ref = prop.get("propertyDefinitionRef", "")
        props[definitions.get(ref, ref)] = child_text(prop, "value")
    return props


def _parse_ameff(data: bytes, name: str) -> ParseResult:
    root = parse_xml(data, name)
    if local_name(root.tag) != "model":
        raise BadInput(f"Bestand '{name}': geen ArchiMate-uitwisselbestand (AMEFF); het hoofdelement is "
                       f"<{local_name(root.tag)}> in plaats van <model>.")
    definitions = {}
    defs = child(root, "propertyDefinitions")
    if defs is not None:
        for definition in defs:
            definitions[definition.get("identifier", "")] = child_text(definition, "name") or definition.get("name", "")
    folders: dict[str, str] = {}

    def walk(item, trail):
        label = child_text(item, "label")
        here = trail + [label] if label else trail
        ref = item.get("identifierRef")
        if ref:
            folders[ref] = "/".join(trail)
        for sub in item:
            if local_name(sub.tag) == "item":
                walk(sub, here)

    organizations = child(root, "organizations")
    if organizations is not None:
        for item in organizations:
            walk(item, [])
    items: list = []
    seen = set()
    elements = child(root, "elements")
    for index, element in enumerate(elements if elements is not None else [], start=1):
        if local_name(element.tag) != "element":
            continue
        identifier = element.get("identifier", "")
        etype = element.get(XSI_TYPE, "")
        if not identifier or not etype:
            raise BadInput(f"Bestand '{name}', element {index}: attribuut "
                           f"'{'identifier' if not identifier else 'xsi:type'}' ontbreekt.")
        if identifier in seen:
            raise BadInput(f"Bestand '{name}', element {index}: identifier '{identifier}' komt twee keer voor.")
        seen.add(identifier)
        props = _ameff_properties(element, definitions)
        items.append(GemmaElementData(
            identifier=identifier, object_id=_object_id(identifier, props), type=etype,
            name=child_text(element, "name"), documentation=child_text(element, "documentation"),
            gemma_type=props.get("GEMMA type", ""), gemma_status=props.get("GEMMA status", ""),
            folder=folders.get(identifier, ""), properties=props,
        ))
    relations = child(root, "relationships")
    for index, relation in enumerate(relations if relations is not None else [], start=1):
        if local_name(relation.tag) != "relationship":
            continue
        identifier = relation.get("identifier", "")
        for attr in ("identifier", "source", "target", XSI_TYPE):
            if not relation.get(attr):
                raise BadInput(f"Bestand '{name}', relatie {index}: attribuut "
                               f"'{'xsi:type' if attr == XSI_TYPE else attr}' ontbreekt.")
        if identifier in seen:
            raise BadInput(f"Bestand '{name}', relatie {index}: identifier '{identifier}' komt twee keer voor.")
        seen.add(identifier)
        props = _ameff_properties(relation, definitions)
        attributes = {k: relation.get(k) for k in ("accessType", "influenceStrength", "isDirected") if relation.get(k)}
        items.append(GemmaRelationData(
            identifier=identifier, object_id=_object_id(identifier, props), type=relation_type(relation.get(XSI_TYPE)),
            source=relation.get("source"), target=relation.get("target"), name=child_text(relation, "name"),
            documentation=child_text(relation, "documentation"), attributes=attributes, properties=props,
        ))
    if not items:
        raise BadInput(f"Bestand '{name}': het model bevat geen elementen.")
    return ParseResult(kind="gemma", format="ameff", items=items, file_sha256=sha256_bytes(data))


def parse(path: Path, max_bytes: int | None = None) -> ParseResult:
    path = Path(path)
    if path.is_dir():
        return _parse_folder(path, max_bytes)
    data = read_bytes(path, max_bytes)
    if sniff_kind(data) != "xml":
        raise BadInput(f"Bestand '{path.name}': verwacht een ArchiMate-uitwisselbestand (AMEFF, XML) of een map met "
                       f"'gemma-elements.csv' en 'gemma-relations.csv'.")
    return _parse_ameff(data, path.name)
