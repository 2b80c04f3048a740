"""k-anonymity with complementary suppression.

Published aggregates (a partner total, a group, a department and its teams, a cross-partner
cut) are *nodes*; ``partitions`` say which visible nodes together make up (part of) another
node: ``(parent, [children])`` with disjoint children inside the parent. Whatever of the
parent is not covered by a child (respondents without a group) is never published on its own.

Rules:

1. Primary suppression: a node with fewer than ``k`` respondents is hidden (also n = 0).
2. Complementary suppression: for every visible parent, the part an attacker cannot pin down
   from visible children - the parent minus everything the visible children (or, for hidden
   children, their own visible descendants) cover - must be 0 or at least ``k`` respondents.
   Otherwise the smallest visible node below it whose hiding helps is hidden too, and all
   checks repeat until nothing changes. So "partner total minus the visible groups" (or
   "department minus its visible teams", or "column total minus the visible cells") always
   yields either nothing or a set of at least ``k`` people.

A node may have several partitions (several cuts of the same people); the cover of a hidden
node is the best an attacker can do over all of them. For nested hierarchies (partner ->
department -> team) this is exact; for crossed cuts it is the usual hypercube-style heuristic.
The tests check it by brute force over all +/- combinations of published totals.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence

DEFAULT_K = 5
DEFAULT_K_FREE_TEXT = 10


def _cover(node, counts, known, parts_of, seen=()):
    """How many respondents of ``node`` an attacker can attribute from known aggregates."""
    if node in known:
        return counts[node]
    if node in seen:  # guard against malformed, cyclic partitions
        return 0
    best = 0
    for children in parts_of.get(node, ()):
        best = max(best, sum(_cover(c, counts, known, parts_of, seen + (node,)) for c in children))
    return min(best, counts[node])


def hidden_residual(parent, children, counts, known, parts_of=None) -> int:
    """Respondents of ``parent`` that cannot be attributed to a known child: what the
    subtraction attack "parent minus known children" yields."""
    if parts_of is None:
        parts_of = {}
    return counts[parent] - sum(_cover(c, counts, known, parts_of) for c in children)


def derivable(counts, partitions, suppressed, k) -> set:
    """Visible nodes plus every hidden node of at least ``k`` respondents that can be computed
    exactly from them (a known total minus all its other, known parts; or the sum of all known
    parts). Empty nodes are treated as known (conservative). Hidden nodes below ``k`` are never added: the partition check reports them."""
    # Empty nodes count as known: whoever knows a cut is empty can subtract it exactly.
    known = {node for node in counts if node not in suppressed or counts[node] == 0}
    changed = True
    while changed:
        changed = False
        for parent, children in partitions:
            remainder = counts[parent] - sum(counts[c] for c in children)
            unknown = [c for c in children if c not in known]
            if parent in known and remainder == 0 and len(unknown) == 1 and counts[unknown[0]] >= k:
                known.add(unknown[0])
                changed = True
            elif parent not in known and remainder == 0 and not unknown and counts[parent] >= k:
                known.add(parent)
                changed = True
    return known


def _violation(counts, partitions, parts_of, suppressed, k):
    known = derivable(counts, partitions, suppressed, k)
    for parent, children in partitions:
        if parent not in known:
            continue
        hidden = hidden_residual(parent, children, counts, known, parts_of)
        if 0 < hidden < k:
            return parent, children, hidden
    return None


def suppress(counts: Mapping[str, int], partitions: Sequence[tuple[str, Sequence[str]]], k: int = DEFAULT_K) -> set:
    """The set of nodes to hide. ``counts``: node -> number of respondents."""
    if k < 1:
        raise ValueError("k moet minstens 1 zijn")
    partitions = sorted(((p, list(c)) for p, c in partitions), key=lambda item: (str(item[0]), str(item[1])))
    parts_of: dict = defaultdict(list)
    for parent, children in partitions:
        parts_of[parent].append(children)
    suppressed = {node for node, n in counts.items() if n < k}
    while True:
        found = _violation(counts, partitions, parts_of, suppressed, k)
        if found is None:
            return suppressed
        parent, children, hidden = found
        resolving = increasing = None
        for node in sorted((n for n in counts if n not in suppressed and counts[n] > 0),
                           key=lambda n: (counts[n], str(n))):
            trial = suppressed | {node}
            known = derivable(counts, partitions, trial, k)
            if parent not in known:
                after = None
            else:
                after = hidden_residual(parent, children, counts, known, parts_of)
            if after is None or not 0 < after < k:
                resolving = node
                break
            if after > hidden and increasing is None:
                increasing = node
        choice = resolving or increasing
        if choice is None:
            # No single extra node helps: hide everything visible in this part of the table
            # (always progress, so the loop ends).
            extra = {n for n in (parent, *_below(children, parts_of)) if n not in suppressed}
            if not extra:
                extra = {n for n in counts if n not in suppressed}
            suppressed |= extra
        else:
            suppressed.add(choice)


def _below(children, parts_of):
    out, stack = [], list(children)
    while stack:
        node = stack.pop()
        if node in out:
            continue
        out.append(node)
        for part in parts_of.get(node, ()):
            stack.extend(part)
    return out
