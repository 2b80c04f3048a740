"""Write BPMN 2.0 XML with a diagram (BPMNDI) from plain process descriptions (pure Python, no Django).

Layout (our own, layered): per process the flow graph is made acyclic by dropping the back edges of a
depth-first search from the start nodes; every node gets the column of its longest path from a start node;
within a column nodes are ordered by the mean row of their predecessors (one barycentre sweep), and stacked
per lane when the process has lanes. Each process is a pool (participant) of one collaboration, stacked
vertically, so a reference process with variants shows the core and every variant as its own pool.
Edges get waypoints: straight when source and target share a row, one vertical bend just before the target
otherwise, and back edges (rework loops) run below the pool.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}
SIZES = {"task": (100, 80), "event": (36, 36), "gateway": (50, 50)}
COLUMN, ROW, POOL_HEADER, LANE_HEADER, MARGIN = 150, 110, 30, 30, 40


@dataclass
class ExportNode:
    id: str
    kind: str  # BPMN element name: task, userTask, startEvent, endEvent, exclusiveGateway, ...
    label: str = ""
    lane: str = ""  # lane id
    documentation: str = ""


@dataclass
class ExportProcess:
    id: str
    name: str
    nodes: list[ExportNode] = field(default_factory=list)
    flows: list[tuple[str, str, str]] = field(default_factory=list)  # (flow id, source id, target id)
    lanes: list[tuple[str, str]] = field(default_factory=list)  # (lane id, lane name), top to bottom
    documentation: str = ""
    participant_id: str = ""
    participant_name: str = ""  # the pool's label; the process name when empty


def _shape_kind(kind: str) -> str:
    if kind.endswith("Event"):
        return "event"
    if kind.endswith("Gateway"):
        return "gateway"
    return "task"


def layered_positions(process: ExportProcess) -> tuple[dict[str, tuple[int, int]], set[tuple[str, str]]]:
    """node id → (column, row); and the set of back edges (source, target)."""
    ids = [n.id for n in process.nodes]
    succ = defaultdict(list)
    indeg = defaultdict(int)
    for _fid, s, t in process.flows:
        succ[s].append(t)
        indeg[t] += 1
    starts = [i for i in ids if indeg[i] == 0] or ids[:1]
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}

    def dfs(root):
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                continue
            if state.get(nxt) == 1:
                back.add((node, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))

    for root in starts + ids:
        if root not in state:
            dfs(root)
    forward = defaultdict(list)
    preds = defaultdict(list)
    indeg2 = {i: 0 for i in ids}
    for _fid, s, t in process.flows:
        if (s, t) not in back:
            forward[s].append(t)
            preds[t].append(s)
            indeg2[t] += 1
    column = {i: 0 for i in ids}
    queue = [i for i in ids if indeg2[i] == 0]
    order = []
    while queue:
        node = queue.pop(0)
        order.append(node)
        for t in forward[node]:
            column[t] = max(column[t], column[node] + 1)
            indeg2[t] -= 1
            if indeg2[t] == 0:
                queue.append(t)
    lane_of = {n.id: n.lane for n in process.nodes}
    lane_index = {lid: k for k, (lid, _name) in enumerate(process.lanes)}
    by_column = defaultdict(list)
    for i in ids:
        by_column[column[i]].append(i)
    row: dict[str, float] = {}
    position: dict[str, tuple[int, int]] = {}
    for col in sorted(by_column):
        members = by_column[col]
        members.sort(key=lambda i: (lane_index.get(lane_of[i], 0),
                                    sum(row[p] for p in preds[i] if p in row) / max(1, sum(p in row for p in preds[i])),
                                    ids.index(i)))
        counter = defaultdict(int)
        for i in members:
            lane = lane_index.get(lane_of[i], 0)
            wanted = sum(row[p] for p in preds[i] if p in row) / max(1, sum(p in row for p in preds[i]))
            r = max(counter[lane], int(round(wanted)) if preds[i] else 0)
            counter[lane] = r + 1
            row[i] = r
            position[i] = (col, r)
    return position, back


def write_bpmn(processes: list[ExportProcess], name: str = "", definitions_id: str = "Definitions_1") -> str:
    """BPMN 2.0 XML (one collaboration, one pool per process) with BPMNDI shapes and edges."""
    for prefix, uri in NS.items():
        ET.register_namespace(prefix, uri)
    b = "{%s}" % NS["bpmn"]
    root = ET.Element(b + "definitions", {"id": definitions_id, "targetNamespace": "https://harmonie.example/bpmn",
                                          "exporter": "Harmonie", "exporterVersion": "1"})
    if name:
        root.set("name", name)
    collab = ET.SubElement(root, b + "collaboration", {"id": f"{definitions_id}_collaboration"})
    for proc in processes:
        proc.participant_id = proc.participant_id or f"{proc.id}_participant"
        ET.SubElement(collab, b + "participant", {"id": proc.participant_id, "name": proc.participant_name or proc.name,
                                                 "processRef": proc.id})
    for proc in processes:
        pel = ET.SubElement(root, b + "process", {"id": proc.id, "name": proc.name, "isExecutable": "false"})
        if proc.documentation:
            ET.SubElement(pel, b + "documentation").text = proc.documentation
        if proc.lanes:
            lane_set = ET.SubElement(pel, b + "laneSet", {"id": f"{proc.id}_lanes"})
            for lid, lname in proc.lanes:
                lel = ET.SubElement(lane_set, b + "lane", {"id": lid, "name": lname})
                for node in proc.nodes:
                    if node.lane == lid:
                        ET.SubElement(lel, b + "flowNodeRef").text = node.id
        incoming, outgoing = defaultdict(list), defaultdict(list)
        for fid, s, t in proc.flows:
            outgoing[s].append(fid)
            incoming[t].append(fid)
        for node in proc.nodes:
            attrs = {"id": node.id}
            if node.label:
                attrs["name"] = node.label
            nel = ET.SubElement(pel, b + node.kind, attrs)
            if node.documentation:
                ET.SubElement(nel, b + "documentation").text = node.documentation
            for fid in incoming[node.id]:
                ET.SubElement(nel, b + "incoming").text = fid
            for fid in outgoing[node.id]:
                ET.SubElement(nel, b + "outgoing").text = fid
        for fid, s, t in proc.flows:
            ET.SubElement(pel, b + "sequenceFlow", {"id": fid, "sourceRef": s, "targetRef": t})
    _diagram(root, collab.get("id"), processes)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _diagram(root, collaboration_id: str, processes: list[ExportProcess]):
    d = "{%s}" % NS["bpmndi"]
    dc = "{%s}" % NS["dc"]
    di = "{%s}" % NS["di"]
    diagram = ET.SubElement(root, d + "BPMNDiagram", {"id": "BPMNDiagram_1"})
    plane = ET.SubElement(diagram, d + "BPMNPlane", {"id": "BPMNPlane_1", "bpmnElement": collaboration_id})
    top = MARGIN
    for proc in processes:
        position, back = layered_positions(proc)
        lane_index = {lid: k for k, (lid, _n) in enumerate(proc.lanes)}
        lane_rows = defaultdict(int)
        for node in proc.nodes:
            k = lane_index.get(node.lane, 0)
            lane_rows[k] = max(lane_rows[k], position[node.id][1] + 1)
        n_lanes = max(1, len(proc.lanes))
        lane_heights = [max(1, lane_rows[k]) * ROW + 20 for k in range(n_lanes)]
        lane_tops = [top + sum(lane_heights[:k]) for k in range(n_lanes)]
        columns = max((c for c, _r in position.values()), default=0) + 1
        header = POOL_HEADER + (LANE_HEADER if proc.lanes else 0)
        width = header + MARGIN + columns * COLUMN
        height = sum(lane_heights) + 40  # room for back edges below
        pool = ET.SubElement(plane, d + "BPMNShape", {"id": f"{proc.participant_id}_di",
                                                        "bpmnElement": proc.participant_id, "isHorizontal": "true"})
        ET.SubElement(pool, dc + "Bounds", _bounds(MARGIN, top, width, height))
        for k, (lid, _lname) in enumerate(proc.lanes):
            lane_h = lane_heights[k] + (40 if k == n_lanes - 1 else 0)
            shape = ET.SubElement(plane, d + "BPMNShape", {"id": f"{lid}_di", "bpmnElement": lid,
                                                            "isHorizontal": "true"})
            ET.SubElement(shape, dc + "Bounds", _bounds(MARGIN + POOL_HEADER, lane_tops[k], width - POOL_HEADER,
                                                        lane_h))
        centre: dict[str, tuple[float, float]] = {}
        size: dict[str, tuple[int, int]] = {}
        x0 = MARGIN + header + MARGIN
        for node in proc.nodes:
            col, row = position[node.id]
            w, h = SIZES[_shape_kind(node.kind)]
            cx = x0 + col * COLUMN + 50
            cy = lane_tops[lane_index.get(node.lane, 0)] + 10 + row * ROW + ROW / 2
            centre[node.id], size[node.id] = (cx, cy), (w, h)
            attrs = {"id": f"{node.id}_di", "bpmnElement": node.id}
            if node.kind == "exclusiveGateway":
                attrs["isMarkerVisible"] = "true"
            shape = ET.SubElement(plane, d + "BPMNShape", attrs)
            ET.SubElement(shape, dc + "Bounds", _bounds(cx - w / 2, cy - h / 2, w, h))
            if node.label and _shape_kind(node.kind) != "task":
                label = ET.SubElement(shape, d + "BPMNLabel")
                ET.SubElement(label, dc + "Bounds", _bounds(cx - 50, cy + h / 2 + 4, 100, 28))
        bottom = top + height - 15
        for fid, s, t in proc.flows:
            (sx, sy), (tx, ty) = centre[s], centre[t]
            (sw, sh), (tw, th) = size[s], size[t]
            if (s, t) in back or position[t][0] <= position[s][0]:
                points = [(sx, sy + sh / 2), (sx, bottom), (tx, bottom), (tx, ty + th / 2)]
            elif abs(sy - ty) < 1:
                points = [(sx + sw / 2, sy), (tx - tw / 2, ty)]
            else:
                mx = tx - tw / 2 - 25
                points = [(sx + sw / 2, sy), (mx, sy), (mx, ty), (tx - tw / 2, ty)]
            edge = ET.SubElement(plane, d + "BPMNEdge", {"id": f"{fid}_di", "bpmnElement": fid})
            for x, y in points:
                ET.SubElement(edge, di + "waypoint", {"x": _num(x), "y": _num(y)})
        top += height + MARGIN


def _num(value: float) -> str:
    return str(int(round(value)))


def _bounds(x, y, w, h) -> dict:
    return {"x": _num(x), "y": _num(y), "width": _num(w), "height": _num(h)}


def process_from_outline(outline: str, process_id: str, name: str) -> ExportProcess:
    """A process from a small indented outline (used by the demo, the tests and the benchmark pairs)::

        start s1 Aanvraag ontvangen        # start event (label optional)
        task t1 Aanvraag registreren @Frontoffice   # task in lane 'Frontoffice' (user/service/... also: kind=userTask)
        sub  t2 Inhoudelijk toetsen          # sub-process
        event e1 Aanvulling ontvangen        # intermediate catch event
        xor                                  # exclusive split; branches separated by '|', closed by '/'
          task t3 Aanvulling opvragen
        |
        /
        end s2 Besluit verzonden

    ``and`` opens a parallel block. Nodes follow each other in the order written.
    """
    proc = ExportProcess(process_id, name)
    lanes: dict[str, str] = {}
    counter = {"flow": 0, "gw": 0}

    def flow(s, t):
        counter["flow"] += 1
        proc.flows.append((f"{process_id}_f{counter['flow']}", s, t))

    def add(kind, ident, label, lane_name=""):
        lane = ""
        if lane_name:
            if lane_name not in lanes:
                lanes[lane_name] = f"{process_id}_lane{len(lanes) + 1}"
                proc.lanes.append((lanes[lane_name], lane_name))
            lane = lanes[lane_name]
        proc.nodes.append(ExportNode(ident, kind, label, lane))
        return ident

    kinds = {"start": "startEvent", "end": "endEvent", "task": "task", "sub": "subProcess",
             "event": "intermediateCatchEvent", "throw": "intermediateThrowEvent"}
    lines = [ln.split("#", 1)[0].rstrip() for ln in outline.splitlines()]
    lines = [ln.strip() for ln in lines if ln.strip()]
    pos = 0

    def block(frontier: list[str], last_lane: str) -> tuple[list[str], str]:
        nonlocal pos
        while pos < len(lines):
            line = lines[pos]
            if line in ("|", "/"):
                return frontier, last_lane
            pos += 1
            if line in ("xor", "and"):
                counter["gw"] += 1
                kind = "exclusiveGateway" if line == "xor" else "parallelGateway"
                split = add(kind, f"{process_id}_gw{counter['gw']}s", "", last_lane)
                for f in frontier:
                    flow(f, split)
                ends: list[str] = []
                while True:
                    branch_end, _lane = block([split], last_lane)
                    ends.extend(branch_end)
                    marker = lines[pos] if pos < len(lines) else "/"
                    pos += 1
                    if marker == "/":
                        break
                join = add(kind, f"{process_id}_gw{counter['gw']}j", "", last_lane)
                for e in dict.fromkeys(ends):
                    flow(e, join)
                frontier = [join]
                continue
            word, _, rest = line.partition(" ")
            ident, _, label = rest.strip().partition(" ")
            lane_name = ""
            if "@" in label:
                label, _, lane_name = label.rpartition("@")
            label = label.strip()
            kind = kinds.get(word, word)
            node = add(kind, ident, label, lane_name.strip() or last_lane)
            last_lane = lane_name.strip() or last_lane
            for f in frontier:
                flow(f, node)
            frontier = [node]
        return frontier, last_lane

    block([], "")
    if proc.lanes:
        first = proc.lanes[0][0]
        for node in proc.nodes:
            node.lane = lanes.get(node.lane, node.lane) if node.lane in lanes else (node.lane or first)
    return proc
