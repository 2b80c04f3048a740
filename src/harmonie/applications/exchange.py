"""The ArchiMate Model Exchange File Format (AMEFF, Open Group, ArchiMate 3.1): write and read.

Writing follows the order ``archimate3_Model.xsd`` prescribes for ``<model>``:
name, documentation, properties, elements, relationships, organizations,
propertyDefinitions. Every identifier is a valid, unique xs:ID (invalid ones are
mapped with ``xml_id_map``; the GEMMA "Object ID" stays in the properties),
every property name gets one ``propertyDefinition``, folders become nested
``organizations`` items.

Reading uses defusedxml: a DTD, entity declarations or external references are
refused (no entity expansion, no external entities).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from harmonie.core.errors import BadInput
from harmonie.reference.importers.base import child, child_text, local_name, parse_xml

from .analysis.archimate import (
    ELEMENT_TYPES,
    RELATIONSHIP_TYPES,
    Model,
    ModelElement,
    ModelRelation,
    normalise_attributes,
    xml_id_map,
)

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = (f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Model.xsd")
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _clean(text) -> str:
    return _INVALID_XML_CHARS.sub("", str(text or ""))


def _lang_text(parent, tag, text, lang):
    node = ET.SubElement(parent, _q(tag))
    node.set(XML_LANG, lang)
    node.text = _clean(text)
    return node


def write_model(model: Model, lang: str = "nl") -> bytes:
    """The model as AMEFF bytes (UTF-8)."""
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    ids = xml_id_map([model.identifier] + [e.identifier for e in model.elements]
                     + [r.identifier for r in model.relations])
    prop_names: dict[str, str] = {}
    for item in [*model.elements, *model.relations]:
        for key in item.properties:
            prop_names.setdefault(key, "")
    used = set(ids.values())
    for n, key in enumerate(sorted(prop_names), start=1):
        ident = f"propid-{n}"
        while ident in used:
            ident = f"propid-{n}-x"
        used.add(ident)
        prop_names[key] = ident

    root = ET.Element(_q("model"), {"identifier": ids[model.identifier], f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION})
    _lang_text(root, "name", model.name, lang)
    if model.documentation:
        _lang_text(root, "documentation", model.documentation, lang)

    def properties(parent, props):
        if not props:
            return
        container = ET.SubElement(parent, _q("properties"))
        for key, value in props.items():
            prop = ET.SubElement(container, _q("property"), {"propertyDefinitionRef": prop_names[key]})
            _lang_text(prop, "value", value, lang)

    if model.elements:
        elements = ET.SubElement(root, _q("elements"))
        for element in model.elements:
            node = ET.SubElement(elements, _q("element"),
                                 {"identifier": ids[element.identifier], f"{{{XSI}}}type": element.type})
            _lang_text(node, "name", element.name, lang)
            if element.documentation:
                _lang_text(node, "documentation", element.documentation, lang)
            properties(node, element.properties)
    if model.relations:
        relations = ET.SubElement(root, _q("relationships"))
        for relation in model.relations:
            attrs = {"identifier": ids[relation.identifier], "source": ids.get(relation.source, relation.source),
                     "target": ids.get(relation.target, relation.target), f"{{{XSI}}}type": relation.type}
            attrs.update(normalise_attributes(relation.type, relation.attributes))
            node = ET.SubElement(relations, _q("relationship"), attrs)
            if relation.name:
                _lang_text(node, "name", relation.name, lang)
            if relation.documentation:
                _lang_text(node, "documentation", relation.documentation, lang)
            properties(node, relation.properties)
    # organizations: nested folder items
    tree: dict = {}
    for element in model.elements:
        if element.folder:
            node = tree
            # a folder name may itself contain " / " (spaced): only unspaced slashes separate levels
            for part in re.split(r"(?<! )/(?! )", element.folder):
                node = node.setdefault(part, {})
            node.setdefault("\0items", []).append(ids[element.identifier])
    if tree:
        organizations = ET.SubElement(root, _q("organizations"))

        def add(parent, label, sub):
            item = ET.SubElement(parent, _q("item"))
            _lang_text(item, "label", label, lang)
            for key, value in sub.items():
                if key != "\0items":
                    add(item, key, value)
            for ref in sub.get("\0items", []):
                ET.SubElement(item, _q("item"), {"identifierRef": ref})

        for label, sub in tree.items():
            add(organizations, label, sub)
    if prop_names:
        definitions = ET.SubElement(root, _q("propertyDefinitions"))
        for key, ident in prop_names.items():
            node = ET.SubElement(definitions, _q("propertyDefinition"), {"identifier": ident, "type": "string"})
            _lang_text(node, "name", key, lang)
    buffer = io.BytesIO()
    buffer.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    ET.ElementTree(root).write(buffer, encoding="utf-8", xml_declaration=False)
    # A literal CR would be normalised away by every XML parser: keep it as a character reference.
    return buffer.getvalue().replace(b"\r", b"&#13;")


# --- reading --------------------------------------------------------------------


def read_model(data: bytes, name: str) -> Model:
    """Parse AMEFF bytes into a ``Model``; unknown types or missing ends → ``BadInput`` naming the item."""
    root = parse_xml(data, name)
    if local_name(root.tag) != "model":
        raise BadInput(f"Bestand '{name}': geen ArchiMate-uitwisselbestand (AMEFF); het hoofdelement is "
                       f"<{local_name(root.tag)}> in plaats van <model>.")
    definitions = {}
    defs = child(root, "propertyDefinitions")
    for definition in defs if defs is not None else []:
        definitions[definition.get("identifier", "")] = child_text(definition, "name") or definition.get("name", "")
    folders: dict[str, str] = {}

    def walk(item, trail):
        label = child_text(item, "label")
        ref = item.get("identifierRef")
        if ref:
            folders[ref] = "/".join(trail)
        for sub in item:
            if local_name(sub.tag) == "item":
                walk(sub, trail + [label] if label else trail)

    organizations = child(root, "organizations")
    for item in organizations if organizations is not None else []:
        walk(item, [])

    def props(node):
        out = {}
        container = child(node, "properties")
        for prop in container if container is not None else []:
            if local_name(prop.tag) == "property":
                ref = prop.get("propertyDefinitionRef", "")
                value = child(prop, "value")  # kept exactly (surrounding spaces too)
                out[definitions.get(ref, ref)] = (value.text or "") if value is not None else ""
        return out

    model = Model(name=child_text(root, "name"), documentation=child_text(root, "documentation"),
                  identifier=root.get("identifier", "") or "id-model")
    seen: set[str] = set()
    xsi_type = f"{{{XSI}}}type"
    elements = child(root, "elements")
    for index, node in enumerate(elements if elements is not None else [], start=1):
        if local_name(node.tag) != "element":
            continue
        ident, etype = node.get("identifier", ""), node.get(xsi_type, "")
        label = f"element {index}" + (f" ('{ident}')" if ident else "")
        if not ident:
            raise BadInput(f"Bestand '{name}', {label}: attribuut 'identifier' ontbreekt.")
        if etype not in ELEMENT_TYPES:
            raise BadInput(f"Bestand '{name}', {label}: onbekend ArchiMate-elementtype '{etype}'.")
        if ident in seen:
            raise BadInput(f"Bestand '{name}', {label}: identifier komt twee keer voor.")
        seen.add(ident)
        model.elements.append(ModelElement(ident, etype, child_text(node, "name"), child_text(node, "documentation"),
                                           props(node), folders.get(ident, "")))
    relations = child(root, "relationships")
    for index, node in enumerate(relations if relations is not None else [], start=1):
        if local_name(node.tag) != "relationship":
            continue
        ident, rtype = node.get("identifier", ""), node.get(xsi_type, "")
        label = f"relatie {index}" + (f" ('{ident}')" if ident else "")
        if not ident:
            raise BadInput(f"Bestand '{name}', {label}: attribuut 'identifier' ontbreekt.")
        if rtype not in RELATIONSHIP_TYPES:
            raise BadInput(f"Bestand '{name}', {label}: onbekend ArchiMate-relatietype '{rtype}'.")
        if ident in seen:
            raise BadInput(f"Bestand '{name}', {label}: identifier komt twee keer voor.")
        seen.add(ident)
        attributes = {k: node.get(k) for k in ("accessType", "modifier", "isDirected") if node.get(k)}
        model.relations.append(ModelRelation(ident, rtype, node.get("source", ""), node.get("target", ""),
                                             child_text(node, "name"), child_text(node, "documentation"), props(node),
                                             attributes))
    for index, relation in enumerate(model.relations, start=1):
        for end in ("source", "target"):
            if getattr(relation, end) not in seen:
                raise BadInput(f"Bestand '{name}', relatie {index} ('{relation.identifier}'): {end} "
                               f"'{getattr(relation, end)}' bestaat niet in het model.")
    return model
