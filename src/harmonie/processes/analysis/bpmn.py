"""BPMN 2.0 process models as plain dataclasses (no Django, no XML parsing here: see
``processes.importers.bpmn`` for reading), plus the graph helpers the matcher and the reference process use.

A ``BpmnModel`` holds every flow node of every process (also the nodes inside sub-processes, with ``parent``),
the sequence flows, lanes and participants. ``activities()`` are the *labelled flow nodes* that activity
matching works on: tasks of every kind, sub-processes and call activities, and events with a name.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"

TASK_KINDS = ("task", "userTask", "serviceTask", "manualTask", "scriptTask", "businessRuleTask", "sendTask",
              "receiveTask", "callActivity")
SUBPROCESS_KINDS = ("subProcess", "adHocSubProcess", "transaction")
EVENT_KINDS = ("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
               "implicitThrowEvent")
GATEWAY_KINDS = ("exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway")
FLOW_NODE_KINDS = TASK_KINDS + SUBPROCESS_KINDS + EVENT_KINDS + GATEWAY_KINDS


def category(kind: str) -> str:
    if kind in TASK_KINDS:
        return "task"
    if kind in SUBPROCESS_KINDS:
        return "subprocess"
    if kind in EVENT_KINDS:
        return "event"
    if kind in GATEWAY_KINDS:
        return "gateway"
    return "other"


@dataclass
class Node:
    id: str
    kind: str  # the BPMN element name, e.g. "userTask", "exclusiveGateway", "boundaryEvent"
    label: str
    process_id: str
    line: int = 0
    parent: str = ""  # the id of the enclosing sub-process, "" at process level
    lane: str = ""  # lane id
    attached_to: str = ""  # boundary events: the activity they sit on
    event_definition: str = ""  # e.g. "timerEventDefinition"
    documentation: str = ""

    @property
    def category(self) -> str:
        return category(self.kind)

    @property
    def is_activity(self) -> bool:
        """A labelled flow node that activity matching considers."""
        if self.category in ("task", "subprocess"):
            return True
        return self.category == "event" and bool(self.label)


@dataclass
class Flow:
    id: str
    source: str
    target: str
    label: str = ""
    process_id: str = ""


@dataclass
class Lane:
    id: str
    name: str
    process_id: str
    nodes: list[str] = field(default_factory=list)


@dataclass
class Process:
    id: str
    name: str = ""
    participant: str = ""  # the participant (pool) name, when there is a collaboration
    documentation: str = ""


@dataclass
class BpmnModel:
    name: str = ""
    processes: list[Process] = field(default_factory=list)
    nodes: dict[str, Node] = field(default_factory=dict)  # in document order
    flows: list[Flow] = field(default_factory=list)
    lanes: list[Lane] = field(default_factory=list)
    message_flows: list[Flow] = field(default_factory=list)
    has_diagram: bool = False

    def activities(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.is_activity]

    def summary(self) -> dict:
        counts = defaultdict(int)
        for node in self.nodes.values():
            counts[node.category] += 1
        return {
            "processen": len(self.processes),
            "taken": counts["task"],
            "subprocessen": counts["subprocess"],
            "gebeurtenissen": counts["event"],
            "gateways": counts["gateway"],
            "stromen": len(self.flows),
            "lanes": len(self.lanes),
            "deelnemers": sum(1 for p in self.processes if p.participant),
            "activiteiten": [{"id": n.id, "label": n.label, "soort": n.kind} for n in self.activities()],
            "diagram": self.has_diagram,
        }

    # --- graph helpers -----------------------------------------------------------------

    def successors(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for flow in self.flows:
            out[flow.source].append(flow.target)
        # a boundary event continues from its activity; a sub-process is entered at its start events
        for node in self.nodes.values():
            if node.kind == "boundaryEvent" and node.attached_to:
                out[node.attached_to].append(node.id)
            if node.parent and node.kind == "startEvent":
                out[node.parent].append(node.id)
        return out

    def activity_graph(self) -> dict[str, set[str]]:
        """Directly-follows between activities: a → b when a path of sequence flows leads from a to b
        through gateways and unlabelled events only."""
        succ = self.successors()
        result: dict[str, set[str]] = {}
        for node in self.activities():
            seen, found = {node.id}, set()
            queue = deque(succ.get(node.id, []))
            while queue:
                current = queue.popleft()
                if current in seen:
                    continue
                seen.add(current)
                target = self.nodes.get(current)
                if target is None:
                    continue
                if target.is_activity:
                    found.add(current)
                    continue
                queue.extend(succ.get(current, []))
            result[node.id] = found
        return result

    def positions(self) -> dict[str, float]:
        """Relative position of every activity in its process, 0 (start) to 1 (end): breadth-first depth
        from the start events (cycles ignored), divided by the deepest depth."""
        succ = self.successors()
        incoming = defaultdict(int)
        for targets in succ.values():
            for t in targets:
                incoming[t] += 1
        starts = [n.id for n in self.nodes.values()
                  if (n.kind == "startEvent" and not n.parent) or (incoming[n.id] == 0 and n.kind != "boundaryEvent")]
        depth: dict[str, int] = {}
        queue = deque((s, 0) for s in starts)
        while queue:
            current, d = queue.popleft()
            if current in depth and depth[current] <= d:
                continue
            if current in depth:
                continue
            depth[current] = d
            for t in succ.get(current, []):
                if t not in depth:
                    queue.append((t, d + 1))
        activities = self.activities()
        values = [depth.get(n.id, 0) for n in activities]
        top = max(values, default=0) or 1
        return {n.id: depth.get(n.id, 0) / top for n in activities}
