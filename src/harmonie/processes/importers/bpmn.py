"""Read a BPMN 2.0 XML file into ``analysis.bpmn.BpmnModel`` (pure Python, no Django).

Safety first: the bytes go through ``reference.importers.base.parse_xml`` (defusedxml: no DTD, no entities, no
external references — XXE and billion laughs are refused), and only then through lxml with a hardened parser
(no entity resolution, no network, no huge trees), which gives the line numbers the Dutch error messages name.

Read: every ``process`` (also those referenced by a ``collaboration``'s participants), tasks of every kind,
sub-processes (with their contents), call activities, start/end/intermediate/boundary events (and their event
definition), gateways, sequence flows, lanes (``laneSet``, nested lanes) and message flows. Unknown elements
(data objects, text annotations, extension elements, ...) are skipped.
"""

from __future__ import annotations

import hashlib

from harmonie.core.errors import BadInput
from harmonie.processes.analysis.bpmn import (
    BpmnModel,
    FLOW_NODE_KINDS,
    SUBPROCESS_KINDS,
    Flow,
    Lane,
    Node,
    Process,
)
from harmonie.reference.importers.base import local_name, parse_xml

MAX_BYTES = 50 * 1024 * 1024


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _lxml_root(data: bytes, name: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:  # pragma: no cover - parse_xml has already refused broken XML
        raise BadInput(f"Bestand '{name}', regel {exc.lineno or '?'}: geen geldige XML ({exc.msg}).") from exc


def _text(element) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _documentation(element) -> str:
    parts = [_text(c) for c in element if local_name(c.tag) == "documentation"]
    return "\n".join(p for p in parts if p)


def parse_bpmn(data: bytes, name: str = "model.bpmn", *, max_bytes: int | None = None) -> BpmnModel:
    """Parse BPMN 2.0 XML; raise ``BadInput`` (Dutch, naming the element and line) on anything wrong.

    ``max_bytes``: the upload limit (the services pass ``HARMONIE_MAX_UPLOAD_BYTES``); default ``MAX_BYTES``."""
    limit = MAX_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:  # before anything else looks at the bytes
        raise BadInput(f"Bestand '{name}' is te groot ({len(data)} bytes; maximaal {limit} bytes).")
    if not data or not data.strip():
        raise BadInput(f"Bestand '{name}' is leeg.")
    parse_xml(data, name)  # refuses DTDs, entities and external references; reports broken XML with its line
    root = _lxml_root(data, name)
    if local_name(root.tag) != "definitions":
        raise BadInput(f"Bestand '{name}', regel {root.sourceline}: het hoofdelement is <{local_name(root.tag)}>; "
                       f"een BPMN 2.0-bestand begint met <definitions>.")
    model = BpmnModel(name=root.get("name") or "")
    participants: dict[str, str] = {}
    for element in root:
        if local_name(element.tag) == "collaboration":
            for part in element:
                tag = local_name(part.tag)
                if tag == "participant" and part.get("processRef"):
                    participants[part.get("processRef")] = part.get("name") or ""
                elif tag == "messageFlow":
                    model.message_flows.append(Flow(part.get("id") or "", part.get("sourceRef") or "",
                                                    part.get("targetRef") or "", part.get("name") or ""))
    processes = [e for e in root if local_name(e.tag) == "process"]
    if not processes:
        raise BadInput(f"Bestand '{name}': geen <process> gevonden; het bestand bevat geen BPMN-procesmodel "
                       f"(alleen een diagram of een ander XML-formaat?).")
    seen_ids: dict[str, int] = {}

    def check_id(element, what: str) -> str:
        ident = (element.get("id") or "").strip()
        if not ident:
            raise BadInput(f"Bestand '{name}', regel {element.sourceline}: element <{what}> heeft geen 'id'.")
        if ident in seen_ids:
            raise BadInput(f"Bestand '{name}', regel {element.sourceline}: id '{ident}' van <{what}> komt al voor "
                           f"op regel {seen_ids[ident]}.")
        seen_ids[ident] = element.sourceline
        return ident

    flow_lines: dict[str, int] = {}
    for proc in processes:
        pid = check_id(proc, "process")
        model.processes.append(Process(pid, proc.get("name") or "", participants.get(pid, ""),
                                       _documentation(proc)))

        def walk(container, parent: str):
            for element in container:
                tag = local_name(element.tag)
                if tag in FLOW_NODE_KINDS:
                    ident = check_id(element, tag)
                    definition = next((local_name(c.tag) for c in element
                                       if local_name(c.tag).endswith("EventDefinition")), "")
                    model.nodes[ident] = Node(
                        id=ident, kind=tag, label=" ".join((element.get("name") or "").split()), process_id=pid,
                        line=element.sourceline or 0, parent=parent, attached_to=element.get("attachedToRef") or "",
                        event_definition=definition, documentation=_documentation(element))
                    if tag in SUBPROCESS_KINDS:
                        walk(element, ident)
                elif tag == "sequenceFlow":
                    ident = check_id(element, tag)
                    source, target = element.get("sourceRef") or "", element.get("targetRef") or ""
                    if not source or not target:
                        raise BadInput(f"Bestand '{name}', regel {element.sourceline}: <sequenceFlow id='{ident}'> "
                                       f"mist sourceRef of targetRef.")
                    model.flows.append(Flow(ident, source, target, " ".join((element.get("name") or "").split()),
                                            pid))
                    flow_lines[ident] = element.sourceline or 0
                elif tag == "laneSet":
                    walk_lanes(element)

        def walk_lanes(lane_set):
            for lane in lane_set:
                if local_name(lane.tag) != "lane":
                    continue
                ident = check_id(lane, "lane")
                refs = [(r.text or "").strip() for r in lane if local_name(r.tag) == "flowNodeRef"]
                model.lanes.append(Lane(ident, lane.get("name") or "", pid, [r for r in refs if r]))
                for sub in lane:
                    if local_name(sub.tag) == "childLaneSet":
                        walk_lanes(sub)

        walk(proc, "")

    for flow in model.flows:
        for end, ref in (("sourceRef", flow.source), ("targetRef", flow.target)):
            if ref not in model.nodes:
                raise BadInput(f"Bestand '{name}', regel {flow_lines.get(flow.id, '?')}: <sequenceFlow id='{flow.id}'> "
                               f"verwijst met {end} naar '{ref}', maar dat element bestaat niet in het proces.")
    for node in model.nodes.values():
        if node.kind == "boundaryEvent":
            if not node.attached_to:
                raise BadInput(f"Bestand '{name}', regel {node.line}: <boundaryEvent id='{node.id}'> mist "
                               f"attachedToRef.")
            if node.attached_to not in model.nodes:
                raise BadInput(f"Bestand '{name}', regel {node.line}: <boundaryEvent id='{node.id}'> hangt aan "
                               f"'{node.attached_to}', maar dat element bestaat niet.")
    for lane in model.lanes:
        for ref in lane.nodes:
            if ref in model.nodes and not model.nodes[ref].lane:
                model.nodes[ref].lane = lane.id
    if not model.nodes:
        raise BadInput(f"Bestand '{name}': het proces bevat geen taken, gebeurtenissen of gateways.")
    model.has_diagram = any(local_name(e.tag) == "BPMNDiagram" for e in root)
    if not model.name:
        model.name = next((p.name for p in model.processes if p.name), "") or \
            next((p.participant for p in model.processes if p.participant), "")
    return model


def parse_bpmn_file(path) -> BpmnModel:
    from pathlib import Path

    from harmonie.reference.importers.base import read_bytes

    path = Path(path)
    return parse_bpmn(read_bytes(path, MAX_BYTES), path.name)
