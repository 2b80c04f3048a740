"""The results of one survey round as the contract of ``harmonie surveys results`` (and the
API, UI and board report, which all use this same structure)::

    {"survey": {...}, "closed": bool,
     "partners": {CBS_CODE: {"name", "n", "culture", "readiness", "urgency", "groups": [...]}}}

A suppressed partner is ``{"partner": NAME, "suppressed": true}``, a suppressed group
``{"group": NAME, "suppressed": true}``: no numbers at all, not even n. Before the round has
closed only response counts are given, and only those that survive the same suppression.
"""

from dataclasses import dataclass, field

from .scoring import Answers, partner_differences, summarize
from .suppression import suppress


@dataclass(frozen=True)
class Group:
    id: int
    partner: str  # CBS code
    name: str
    parent: int | None = None


@dataclass
class Respondent:
    partner: str
    group: int | None
    answers: Answers | None = None  # None when only counting


@dataclass
class SurveyData:
    meta: dict
    partners: list  # [(cbs_code, name)]
    groups: list = field(default_factory=list)  # [Group]
    respondents: list = field(default_factory=list)  # [Respondent]
    closed: bool = False
    k: int = 5
    threshold: float = 10.0


def _nodes(data: SurveyData):
    """Counts per node, the partitions, and which respondents belong to which node."""
    groups = {g.id: g for g in data.groups}
    members: dict = {f"P:{code}": [] for code, _name in data.partners}
    members.update({f"G:{g.id}": [] for g in data.groups})
    for respondent in data.respondents:
        key = f"P:{respondent.partner}"
        if key not in members:
            continue
        members[key].append(respondent)
        group_id = respondent.group
        while group_id is not None and group_id in groups:
            members[f"G:{group_id}"].append(respondent)
            group_id = groups[group_id].parent
    partitions = []
    for code, _name in data.partners:
        top = [f"G:{g.id}" for g in data.groups if g.partner == code and g.parent is None]
        if top:
            partitions.append((f"P:{code}", top))
    for g in data.groups:
        sub = [f"G:{c.id}" for c in data.groups if c.parent == g.id]
        if sub:
            partitions.append((f"G:{g.id}", sub))
    counts = {node: len(people) for node, people in members.items()}
    return counts, partitions, members


def build_report(data: SurveyData) -> dict:
    counts, partitions, members = _nodes(data)
    hidden = suppress(counts, partitions, data.k)

    def group_entries(code, parent):
        entries = []
        for g in sorted((g for g in data.groups if g.partner == code and g.parent == parent), key=lambda g: g.name):
            node = f"G:{g.id}"
            if node in hidden:
                entries.append({"group": g.name, "suppressed": True})
                continue
            entry = {"group": g.name, "n": counts[node]}
            if data.closed:
                entry.update(summarize([r.answers for r in members[node]], data.threshold))
            subgroups = group_entries(code, g.id)
            if subgroups:
                entry["groups"] = subgroups
            entries.append(entry)
        return entries

    partners = {}
    profiles = {}
    for code, name in data.partners:
        node = f"P:{code}"
        if node in hidden:
            partners[code] = {"partner": name, "suppressed": True}
            continue
        entry = {"name": name, "n": counts[node]}
        if data.closed:
            entry.update(summarize([r.answers for r in members[node]], data.threshold))
            profiles[code] = entry["culture"]
        entry["groups"] = group_entries(code, None)
        partners[code] = entry
    if data.closed:
        rows = partner_differences(profiles, data.threshold)
        for code, entry in partners.items():
            if code in profiles:
                entry["culture"]["partner_differences"] = [
                    {"partner": row["b"] if row["a"] == code else row["a"], "perspective": row["perspective"],
                     "type": row["type"],
                     "difference": row["difference"] if row["a"] == code else -row["difference"]}
                    for row in rows if row["flagged"] and code in (row["a"], row["b"])
                ]
    return {"survey": data.meta, "closed": data.closed, "partners": partners}


def visible_counts(data: SurveyData) -> dict:
    """Node -> n for the nodes that may be shown (same suppression as the results)."""
    counts, partitions, _members = _nodes(data)
    hidden = suppress(counts, partitions, data.k)
    return {node: n for node, n in counts.items() if node not in hidden}
