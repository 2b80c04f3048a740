"""Process maps and charts as server-side SVG (no JavaScript; strict CSP; no Django).

* ``process_map``: a directly-follows graph in layers, top to bottom (a small Sugiyama-style layout of our own:
  cycle breaking by depth-first search from the start, longest-path layering, barycentre ordering), with
  frequency and median waiting time on the edges. Back edges (rework loops) are drawn as curves on the side.
  With ``classes`` the edges/nodes get a class per side (``a``, ``b``, ``both``): the difference view.
* ``bar_chart``: horizontal bars (variants, performance per step and partner).

Every SVG has ``role="img"``, a ``<title>`` and ``<desc>``; the pages always show the same data as a table.
Colours and fonts come from CSS classes (``processes/logs.css``), never from ``style`` attributes.
"""

from __future__ import annotations

from html import escape

from .performance import END, START

NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN = 190, 38, 28, 74, 24


def dutch_number(value: float, digits: int = 1) -> str:
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def duration(hours) -> str:
    """Hours → short Dutch text: ``45 min``, ``3,5 u``, ``2,1 d``."""
    if hours is None:
        return "–"
    if hours < 1:
        return f"{dutch_number(hours * 60, 0)} min"
    if hours < 48:
        return f"{dutch_number(hours)} u"
    return f"{dutch_number(hours / 24)} d"


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def layout(nodes: list, edges: list) -> dict:
    """Positions ``{node: (x, y)}`` (centre) for a directed graph; ``edges`` are ``(a, b, weight)``."""
    out = {}
    for a, b, w in edges:
        out.setdefault(a, []).append((w, b))
    for a in out:
        out[a].sort(key=lambda t: (-t[0], str(t[1])))
    # 1. cycle breaking: depth-first from the start (heaviest edges first); edges to an ancestor are back edges
    state, order, back = {}, [], set()
    roots = ([START] if START in nodes else []) + [n for n in nodes if n != START]
    for root in roots:
        if root in state:
            continue
        stack = [(root, iter(out.get(root, [])))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                order.append(node)
                stack.pop()
                continue
            _w, child = nxt
            if child == node or state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(out.get(child, []))))
    topo = list(reversed(order))
    # 2. longest-path layering over the forward edges
    layer = {n: 0 for n in nodes}
    forward = [(a, b) for a, b, _w in edges if (a, b) not in back and a != b]
    succ = {}
    for a, b in forward:
        succ.setdefault(a, []).append(b)
    for n in topo:
        for m in succ.get(n, []):
            layer[m] = max(layer[m], layer[n] + 1)
    if END in layer:
        layer[END] = max([v for n, v in layer.items() if n != END] + [0]) + 1
    layers = {}
    for n in topo:
        layers.setdefault(layer[n], []).append(n)
    # 3. ordering: barycentre sweeps (down: by predecessors, up: by successors)
    pred = {}
    for a, b in forward:
        pred.setdefault(b, []).append(a)
    pos = {n: i for row in layers.values() for i, n in enumerate(row)}
    keys = sorted(layers)
    for _sweep in range(4):
        for ks, neighbours in ((keys[1:], pred), (list(reversed(keys[:-1])), succ)):
            for k in ks:
                row = layers[k]

                def bary(n, neighbours=neighbours):
                    ns = [pos[m] for m in neighbours.get(n, []) if m in pos]
                    return sum(ns) / len(ns) if ns else pos[n]

                row.sort(key=lambda n: (bary(n), str(n)))
                for i, n in enumerate(row):
                    pos[n] = i
    width = max(len(row) for row in layers.values())
    coords = {}
    for k in keys:
        row = layers[k]
        offset = (width - len(row)) * (NODE_W + GAP_X) / 2
        for i, n in enumerate(row):
            coords[n] = (MARGIN + offset + i * (NODE_W + GAP_X) + NODE_W / 2, MARGIN + k * (NODE_H + GAP_Y) + NODE_H / 2)
    return {"coords": coords, "back": back, "width": width, "layers": len(keys)}


def process_map(edges: list, *, title: str, description: str, start: dict | None = None,
                end: dict | None = None, classes: dict | None = None, node_counts: dict | None = None,
                id_prefix: str = "kaart") -> str:
    """SVG of a DFG. ``edges``: rows ``{"a", "b", "count", "median_h"}``; ``start``/``end``: activity → number
    of cases starting/ending there; ``classes``: ``(a, b)`` → ``"a" | "b" | "both"`` for the difference view."""
    rows = [dict(e) for e in edges]
    for act, n in (start or {}).items():
        rows.append({"a": START, "b": act, "count": n, "median_h": None})
    for act, n in (end or {}).items():
        rows.append({"a": act, "b": END, "count": n, "median_h": None})
    nodes = []
    for e in rows:
        for n in (e["a"], e["b"]):
            if n not in nodes:
                nodes.append(n)
    if not nodes:
        return ""
    placed = layout(nodes, [(e["a"], e["b"], e["count"]) for e in rows])
    coords, back = placed["coords"], placed["back"]
    max_count = max((e["count"] for e in rows), default=1) or 1
    width = MARGIN * 2 + placed["width"] * (NODE_W + GAP_X) + 120
    height = MARGIN * 2 + placed["layers"] * (NODE_H + GAP_Y)
    tid, did = f"{id_prefix}-titel", f"{id_prefix}-beschrijving"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="pm-map" viewBox="0 0 {width:.0f} {height:.0f}" '
           f'width="{width:.0f}" height="{height:.0f}" role="img" aria-labelledby="{tid} {did}">',
           f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(description)}</desc>',
           f'<defs><marker id="{id_prefix}-pijl" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" '
           'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="pm-arrow"/></marker></defs>']
    for e in sorted(rows, key=lambda e: e["count"]):
        a, b = e["a"], e["b"]
        (x1, y1), (x2, y2) = coords[a], coords[b]
        stroke = 1 + 6 * e["count"] / max_count
        css = "pm-edge" + (f" pm-edge--{classes.get((a, b), 'both')}" if classes is not None else "")
        if a == b:
            path = (f"M{x1 + NODE_W / 2:.1f},{y1 - 8:.1f} C{x1 + NODE_W / 2 + 40:.1f},{y1 - 30:.1f} "
                    f"{x1 + NODE_W / 2 + 40:.1f},{y1 + 30:.1f} {x1 + NODE_W / 2:.1f},{y1 + 8:.1f}")
            lx, ly = x1 + NODE_W / 2 + 44, y1
        elif (a, b) in back or y2 <= y1:
            bend = NODE_W / 2 + 30 + 12 * abs(y1 - y2) / (NODE_H + GAP_Y)
            path = (f"M{x1 + NODE_W / 2:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 + bend:.1f},{y2:.1f} "
                    f"{x2 + NODE_W / 2:.1f},{y2:.1f}")
            lx, ly = max(x1, x2) + bend - 10, (y1 + y2) / 2
        else:
            sy, ty = y1 + NODE_H / 2, y2 - NODE_H / 2
            mid = (sy + ty) / 2
            path = f"M{x1:.1f},{sy:.1f} C{x1:.1f},{mid:.1f} {x2:.1f},{mid:.1f} {x2:.1f},{ty:.1f}"
            lx, ly = (x1 + x2) / 2 + 4, mid
        label = f"{e['count']}" + (f" · {duration(e['median_h'])}" if e.get("median_h") is not None else "")
        out.append(f'<g class="{css}"><title>{escape(a)} → {escape(b)}: {escape(label)}</title>'
                   f'<path d="{path}" stroke-width="{stroke:.1f}" fill="none" marker-end="url(#{id_prefix}-pijl)"/>'
                   f'<text x="{lx:.1f}" y="{ly:.1f}" class="pm-edge-label">{escape(label)}</text></g>')
    for n in nodes:
        x, y = coords[n]
        if n in (START, END):
            text = "start" if n == START else "einde"
            out.append(f'<g class="pm-node pm-node--terminal"><circle cx="{x:.1f}" cy="{y:.1f}" r="14"/>'
                       f'<text x="{x:.1f}" y="{y + 30:.1f}" text-anchor="middle">{text}</text></g>')
            continue
        css = "pm-node"
        if classes is not None:
            sides = {classes.get((e["a"], e["b"]), "both") for e in rows if n in (e["a"], e["b"])}
            css += f" pm-node--{sides.pop() if len(sides) == 1 else 'both'}"
        count = f" ({node_counts[n]})" if node_counts and n in node_counts else ""
        out.append(f'<g class="{css}"><title>{escape(n)}{escape(count)}</title>'
                   f'<rect x="{x - NODE_W / 2:.1f}" y="{y - NODE_H / 2:.1f}" width="{NODE_W}" height="{NODE_H}" rx="6"/>'
                   f'<text x="{x:.1f}" y="{y + 5:.1f}" text-anchor="middle">{escape(_short(n))}</text></g>')
    out.append("</svg>")
    return "".join(out)


def bar_chart(rows: list, *, title: str, description: str, value_label=str, id_prefix: str = "grafiek",
              label_width: int = 300, log_scale: bool = False) -> str:
    """Horizontal bars: rows ``{"label", "value", "group"?}`` (group → CSS class ``pm-bar--<group>``).
    ``log_scale``: bar length ∝ log(1 + value), so one very long bar does not flatten the others (the number
    beside each bar stays the real value)."""
    if not rows:
        return ""
    import math

    bar_h, gap, chart_w = 20, 8, 360
    scale = (lambda v: math.log1p(max(v, 0.0))) if log_scale else (lambda v: v)
    rows = [{**r, "value_shown": r["value"], "value": scale(r["value"])} for r in rows]
    top = max((r["value"] for r in rows), default=0) or 1
    height = MARGIN * 2 + len(rows) * (bar_h + gap)
    width = label_width + chart_w + 140
    tid, did = f"{id_prefix}-titel", f"{id_prefix}-beschrijving"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="pm-chart" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-labelledby="{tid} {did}">',
           f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(description)}</desc>']
    for i, r in enumerate(rows):
        y = MARGIN + i * (bar_h + gap)
        w = max(1.0, chart_w * r["value"] / top)
        group = f" pm-bar--{r['group']}" if r.get("group") is not None else ""
        shown = value_label(r["value_shown"])
        out.append(f'<g class="pm-bar{group}"><title>{escape(r["label"])}: {escape(shown)}</title>'
                   f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{escape(_short(r["label"], 44))}</text>'
                   f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_h}"/>'
                   f'<text x="{label_width + w + 6:.1f}" y="{y + 15}">{escape(shown)}</text></g>')
    out.append("</svg>")
    return "".join(out)
