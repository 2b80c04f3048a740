"""The harmonised reference process: common core plus partner variants (pure Python, no Django).

Input: per partner its *behaviour* — event-log traces (variants with their case counts) or the activity graph
of a process model — with activity names already mapped to shared names (confirmed correspondences and equal
labels are merged by the service before this module sees them).

Method
------
1. Per partner, activities below ``min_share`` of its cases are left out (a 400-activity log becomes
   readable); models count every activity.
2. **Core**: the activities that at least ``core_share`` of the partners perform (at least two partners when
   there are two or more), at most ``max_steps``, ordered by their mean relative position in the partners'
   cases (0 = first, 1 = last). Core flows: each partner's behaviour is *projected* on the core activities
   (the other activities are skipped, so "a → x → b" becomes "a → b"); a flow is in the core when the same
   share of partners has it as a main flow (at least ``min_flow_ratio`` of what leaves its source in that
   partner's cases). A core step without an incoming or outgoing flow is linked to its neighbour in
   the order, so the core is always one connected path.
3. **Variants** ("three or four flavours"): partners are clustered by behaviour. Similarity of two partners
   is the directly-follows similarity Σ min(pA(e), pB(e)) of their behaviour projected on all kept
   activities; average-linkage clustering merges the most similar groups while their similarity is at least
   ``cluster_similarity``, and keeps merging until there are at most ``max_variants`` groups. Each group gets
   a variant: the activities and flows that the majority of its partners share. A group whose variant equals
   the core is not listed (those partners follow the core).

Structure of ``ReferenceProcess.model`` (what ``build_reference`` returns)::

    {
      "version": 1,
      "source": "logs" | "models" | "logs+models",
      "partners": ["Gemeente A", ...],
      "parameters": {"core_share": 0.66, "min_share": 0.2, ..., "sources": ["bpmn:3", "log:7"]},  # [] = all
      "steps": [{"id": "s1", "label": "Aanvraag ontvangen", "partners": ["Gemeente A", ...]}],   # the core, in order
      "flows": [{"source": "s1", "target": "s2", "partners": [...]}],                            # core flows
      "variants": [{"id": "v1", "name": "Variant 1", "partners": [...],
                    "steps": [{"id", "label", "partners"}], "flows": [{"source", "target", "partners"}],
                    "extra_steps": ["s7"]}],                                                   # not in the core
      "similarity": {"Gemeente A": {"Gemeente B": 0.71, ...}, ...}
    }

Step ids are shared: the same activity has the same id in the core and in every variant.
``to_bpmn`` writes the core ("Kern") and each variant (pool label "Variant 1: partners") as its own pool (with exclusive gateways where a step has
several successors or predecessors) and ``from_bpmn`` reads such a file back into the same structure
(``structure()`` is what must survive the round trip: steps with partners, flows, variants).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

PARTNERS_PREFIX = "Partners: "


@dataclass
class Behaviour:
    """One partner's behaviour. Either ``traces`` [(activity sequence, count)] or ``graph`` (successors per
    activity, for a process model, with ``positions``)."""

    partner: str
    traces: list[tuple[tuple[str, ...], int]] = field(default_factory=list)
    graph: dict[str, set[str]] = field(default_factory=dict)
    positions: dict[str, float] = field(default_factory=dict)

    @property
    def is_log(self) -> bool:
        return bool(self.traces)

    def activity_share(self) -> dict[str, float]:
        if self.is_log:
            total = sum(c for _t, c in self.traces) or 1
            counts: dict[str, int] = defaultdict(int)
            for trace, count in self.traces:
                for act in set(trace):
                    counts[act] += count
            return {a: c / total for a, c in counts.items()}
        acts = set(self.graph) | {t for ts in self.graph.values() for t in ts}
        return {a: 1.0 for a in acts}

    def mean_positions(self) -> dict[str, float]:
        if not self.is_log:
            return dict(self.positions)
        sums: dict[str, float] = defaultdict(float)
        weights: dict[str, int] = defaultdict(int)
        for trace, count in self.traces:
            n = len(trace)
            for i, act in enumerate(trace):
                sums[act] += count * (i / (n - 1) if n > 1 else 0.0)
                weights[act] += count
        return {a: sums[a] / weights[a] for a in sums}

    def main_edges(self, keep: set[str], min_ratio: float) -> set[tuple[str, str]]:
        """The projected flows that carry at least ``min_ratio`` of their source's outgoing flow."""
        edges = self.projected_edges(keep)
        out: dict[str, float] = defaultdict(float)
        for (s, _t), p in edges.items():
            out[s] += p
        return {(s, t) for (s, t), p in edges.items() if p >= min_ratio * out[s]}

    def projected_edges(self, keep: set[str]) -> dict[tuple[str, str], float]:
        """Directly-follows shares after dropping every activity outside ``keep``."""
        counts: dict[tuple[str, str], float] = defaultdict(float)
        if self.is_log:
            for trace, count in self.traces:
                kept = [a for a in trace if a in keep]
                for x, y in zip(kept, kept[1:]):
                    if x != y:
                        counts[(x, y)] += count
        else:
            for source in keep:
                if source not in self.graph:
                    continue
                seen, stack = {source}, list(self.graph.get(source, ()))
                while stack:
                    node = stack.pop()
                    if node in seen:
                        continue
                    seen.add(node)
                    if node in keep:
                        if node != source:
                            counts[(source, node)] += 1.0
                        continue
                    stack.extend(self.graph.get(node, ()))
        total = sum(counts.values()) or 1.0
        return {e: c / total for e, c in counts.items()}


def dfg_similarity(a: dict, b: dict) -> float:
    return sum(min(p, b.get(e, 0.0)) for e, p in a.items())


def _cluster(names: list[str], sim: dict[str, dict[str, float]], threshold: float, max_groups: int) -> list[list[str]]:
    groups = [[n] for n in names]

    def linkage(g, h):
        return sum(sim[x][y] for x in g for y in h) / (len(g) * len(h))

    while len(groups) > 1:
        best, pair = -1.0, None
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                value = linkage(groups[i], groups[j])
                if value > best:
                    best, pair = value, (i, j)
        if best < threshold and len(groups) <= max_groups:
            break
        i, j = pair
        groups[i] = sorted(groups[i] + groups[j])
        del groups[j]
    return sorted(groups, key=lambda g: (-len(g), g))


def build_reference(behaviours: list[Behaviour], *, core_share: float = 0.66, min_share: float = 0.2,
                    max_steps: int = 30, cluster_similarity: float = 0.6, max_variants: int = 4,
                    min_flow_ratio: float = 0.2, source: str = "") -> dict:
    if not behaviours:
        return {"version": 1, "source": source, "partners": [], "steps": [], "flows": [], "variants": [],
                "similarity": {}, "parameters": {}}
    partners = [b.partner for b in behaviours]
    n = len(behaviours)
    shares = {b.partner: {a: s for a, s in b.activity_share().items() if s >= min_share} for b in behaviours}
    positions = {b.partner: b.mean_positions() for b in behaviours}
    need = n if n == 1 else max(2, math.ceil(core_share * n - 1e-9))
    present: dict[str, list[str]] = defaultdict(list)
    for p in partners:
        for act in shares[p]:
            present[act].append(p)

    def mean_position(act, among):
        values = [positions[p][act] for p in among if act in positions[p]]
        return sum(values) / len(values) if values else 1.0

    def mean_share(act, among):
        return sum(shares[p].get(act, 0.0) for p in among) / len(among)

    core_acts = [a for a, ps in present.items() if len(ps) >= need]
    core_acts.sort(key=lambda a: (-len(present[a]), -mean_share(a, partners), a))
    core_acts = core_acts[:max_steps]
    core_acts.sort(key=lambda a: (mean_position(a, partners), a))

    # stable step ids for every activity that may appear: core first, then the rest by position
    kept_all = sorted(present, key=lambda a: (mean_position(a, present[a]), a))
    order = core_acts + [a for a in kept_all if a not in core_acts]
    step_id = {a: f"s{i + 1}" for i, a in enumerate(order)}

    def step(act, among):
        return {"id": step_id[act], "label": act, "partners": sorted(p for p in among if act in shares[p])}

    def flows_for(acts: list[str], among: list[Behaviour], need_count: int) -> list[dict]:
        keep = set(acts)
        support: dict[tuple[str, str], list[str]] = defaultdict(list)
        for b in among:
            for edge in b.main_edges(keep, min_flow_ratio):
                support[edge].append(b.partner)
        flows = [(e, ps) for e, ps in support.items() if len(ps) >= need_count]
        edges = {e for e, _ps in flows}
        rank = {a: i for i, a in enumerate(acts)}
        # keep the path connected: a step without incoming (outgoing) flow hangs on its neighbour in the order
        for i, act in enumerate(acts):
            if i > 0 and not any(t == act for _s, t in edges):
                flows.append(((acts[i - 1], act), []))
                edges.add((acts[i - 1], act))
            if i < len(acts) - 1 and not any(s == act for s, _t in edges):
                flows.append(((act, acts[i + 1]), []))
                edges.add((act, acts[i + 1]))
        flows.sort(key=lambda f: (rank[f[0][0]], rank[f[0][1]]))
        return [{"source": step_id[s], "target": step_id[t], "partners": sorted(ps)} for (s, t), ps in flows]

    core_steps = [step(a, partners) for a in core_acts]
    core_flows = flows_for(core_acts, behaviours, need)

    relevant = set(present)
    projected = {b.partner: b.projected_edges(relevant) for b in behaviours}
    sim = {p: {q: (1.0 if p == q else round(min(dfg_similarity(projected[p], projected[q]),
                                                 dfg_similarity(projected[q], projected[p])), 4))
               for q in partners} for p in partners}
    groups = _cluster(partners, sim, cluster_similarity, max_variants) if n > 1 else [partners]
    by_name = {b.partner: b for b in behaviours}
    core_signature = ({s["id"] for s in core_steps}, {(f["source"], f["target"]) for f in core_flows})
    variants = []
    for group in groups:
        members = [by_name[p] for p in group]
        majority = len(group) // 2 + 1
        acts = [a for a in present if sum(1 for p in group if a in shares[p]) >= majority]
        acts.sort(key=lambda a: (-sum(1 for p in group if a in shares[p]), -mean_share(a, group), a))
        acts = acts[:max_steps]
        acts.sort(key=lambda a: (mean_position(a, group), a))
        if not acts:
            continue
        v_steps = [step(a, group) for a in acts]
        v_flows = flows_for(acts, members, majority)
        signature = ({s["id"] for s in v_steps}, {(f["source"], f["target"]) for f in v_flows})
        if signature == core_signature:
            continue
        number = len(variants) + 1
        variants.append({"id": f"v{number}", "name": f"Variant {number}", "partners": sorted(group),
                         "steps": v_steps, "flows": v_flows,
                         "extra_steps": [s["id"] for s in v_steps if s["id"] not in core_signature[0]]})
    return {
        "version": 1,
        "source": source,
        "partners": sorted(partners),
        "parameters": {"core_share": core_share, "min_share": min_share, "max_steps": max_steps,
                       "cluster_similarity": cluster_similarity, "max_variants": max_variants,
                       "min_flow_ratio": min_flow_ratio},
        "steps": core_steps,
        "flows": core_flows,
        "variants": variants,
        "similarity": sim,
    }


# --- BPMN export and re-import ------------------------------------------------------------------------------


def _partners_doc(partners: list[str]) -> str:
    return PARTNERS_PREFIX + "; ".join(partners)


def _parse_partners(text: str) -> list[str]:
    for line in (text or "").splitlines():
        if line.startswith(PARTNERS_PREFIX):
            rest = line[len(PARTNERS_PREFIX):].strip()
            return [p.strip() for p in rest.split(";") if p.strip()]
    return []


def _export_process(prefix: str, name: str, partners: list[str], steps: list[dict], flows: list[dict],
                    pool: str = ""):
    from .layout import ExportNode, ExportProcess

    proc = ExportProcess(f"Process_{prefix}", name, documentation=_partners_doc(partners), participant_name=pool)
    ids = [s["id"] for s in steps]
    out_edges, in_edges = defaultdict(list), defaultdict(list)
    for f in flows:
        out_edges[f["source"]].append(f["target"])
        in_edges[f["target"]].append(f["source"])
    node = {sid: f"{prefix}_{sid}" for sid in ids}
    proc.nodes.append(ExportNode(f"{prefix}_start", "startEvent"))
    for s in steps:
        proc.nodes.append(ExportNode(node[s["id"]], "task", s["label"], documentation=_partners_doc(s["partners"])))
    counter = {"f": 0}

    def flow(a, b):
        counter["f"] += 1
        proc.flows.append((f"{prefix}_f{counter['f']}", a, b))

    entry, exit_ = {}, {}
    for sid in ids:
        entry[sid] = exit_[sid] = node[sid]
        if len(in_edges[sid]) > 1:
            entry[sid] = f"{prefix}_{sid}_join"
            proc.nodes.append(ExportNode(entry[sid], "exclusiveGateway"))
            flow(entry[sid], node[sid])
        if len(out_edges[sid]) > 1:
            exit_[sid] = f"{prefix}_{sid}_split"
            proc.nodes.append(ExportNode(exit_[sid], "exclusiveGateway"))
            flow(node[sid], exit_[sid])
    for f in flows:
        flow(exit_[f["source"]], entry[f["target"]])
    starts = [sid for sid in ids if not in_edges[sid]] or ids[:1]
    ends = [sid for sid in ids if not out_edges[sid]] or ids[-1:]
    if len(starts) == 1:
        flow(f"{prefix}_start", entry[starts[0]])
    else:
        gw = f"{prefix}_start_split"
        proc.nodes.append(ExportNode(gw, "exclusiveGateway"))
        flow(f"{prefix}_start", gw)
        for sid in starts:
            flow(gw, entry[sid])
    proc.nodes.append(ExportNode(f"{prefix}_end", "endEvent"))
    if len(ends) == 1:
        flow(exit_[ends[0]], f"{prefix}_end")
    else:
        gw = f"{prefix}_end_join"
        proc.nodes.append(ExportNode(gw, "exclusiveGateway"))
        for sid in ends:
            flow(exit_[sid], gw)
        flow(gw, f"{prefix}_end")
    return proc


def to_bpmn(model: dict, name: str = "Referentieproces") -> str:
    """BPMN 2.0 XML with diagram: the core as one pool, every variant as its own pool."""
    from .layout import write_bpmn

    processes = [_export_process("core", "Kern", model.get("partners", []), model.get("steps", []),
                                 model.get("flows", []), pool="Kern (alle partners)")]
    for variant in model.get("variants", []):
        processes.append(_export_process(variant["id"], variant["name"], variant["partners"],
                                         variant["steps"], variant["flows"],
                                         pool=f"{variant['name']}: {', '.join(variant['partners'])}"))
    return write_bpmn(processes, name, definitions_id="Referentieproces")


def from_bpmn(bpmn) -> dict:
    """Read an exported reference process (a parsed ``BpmnModel``) back into the ``structure()`` form."""
    result = {"partners": [], "steps": [], "flows": [], "variants": []}
    for proc in bpmn.processes:
        prefix = proc.id.removeprefix("Process_")
        nodes = [n for n in bpmn.nodes.values() if n.process_id == proc.id and n.is_activity]
        steps = [{"id": n.id.removeprefix(prefix + "_"), "label": n.label,
                  "partners": _parse_partners(n.documentation)} for n in nodes]
        graph = bpmn.activity_graph()
        flows = sorted((n.id.removeprefix(prefix + "_"), t.removeprefix(prefix + "_"))
                       for n in nodes for t in graph.get(n.id, ()))
        partners = _parse_partners(proc.documentation)
        if prefix == "core":
            result.update(partners=partners, steps=steps, flows=flows)
        else:
            name = proc.name or proc.participant.split(": ", 1)[0]
            result["variants"].append({"id": prefix, "name": name, "partners": partners, "steps": steps,
                                       "flows": flows})
    return result


def structure(model: dict) -> dict:
    """What a BPMN round trip keeps: partners, steps (id, label, partners) and flows of the core and every
    variant (flow support per partner and the similarity table stay only in the stored JSON)."""
    def flows(items):
        return sorted((f["source"], f["target"]) if isinstance(f, dict) else tuple(f) for f in items)

    def steps(items):
        return [{"id": s["id"], "label": s["label"], "partners": list(s["partners"])} for s in items]

    return {
        "partners": list(model.get("partners", [])),
        "steps": steps(model.get("steps", [])),
        "flows": flows(model.get("flows", [])),
        "variants": [{"id": v["id"], "name": v["name"], "partners": list(v["partners"]), "steps": steps(v["steps"]),
                      "flows": flows(v["flows"])} for v in model.get("variants", [])],
    }
