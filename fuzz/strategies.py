"""Hypothesis strategies: mutated seeds and generated documents of each format.

``case_strategy(entry)`` yields ``Case(data, name, mutators)``: either a seed with one to three mutators applied
(the mutators' randomness drawn by hypothesis), or a document generated from scratch in one of the entry's
formats with hostile text in its fields.
"""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass, field

from hypothesis import strategies as st

from . import mutators as m
from .config import MAX_BYTES


@dataclass
class Case:
    data: bytes
    name: str
    mutators: list[str] = field(default_factory=list)
    origin: str = ""  # seed name or "generated:<format>"


hostile_text = st.one_of(
    st.sampled_from(m.HOSTILE_TEXTS),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    # dates and amounts in many shapes (builds, not from_regex: regex strategies cost ~3 ms a draw)
    st.builds(lambda a, b, c, sep: f"{a}{sep}{b}{sep}{c}", st.integers(0, 10000), st.integers(0, 99),
              st.integers(0, 10000), st.sampled_from("-/. ")),
    st.builds(lambda a, b, sep: f"{a}{sep}{b}", st.integers(-(10 ** 13), 10 ** 13), st.integers(0, 999999),
              st.sampled_from(".,")),
    st.builds(lambda n: "x" * n, st.integers(0, 5000)),
)

json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(-(2 ** 70), 2 ** 70),
                        st.floats(allow_nan=True, allow_infinity=True), hostile_text)


def json_value(keys: list[str]):
    key = st.sampled_from(keys) if keys else st.text(max_size=8)
    return st.recursive(json_scalar, lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(st.one_of(key, st.text(max_size=8)), children, max_size=6)),
        max_leaves=12)


def generated_json(keys: list[str]):
    record = st.dictionaries(st.sampled_from(keys) if keys else st.text(max_size=8), json_value(keys), max_size=12)
    doc = st.one_of(
        st.lists(record, max_size=6),
        st.builds(lambda rs, nxt: {"count": len(rs), "next": nxt, "previous": None, "results": rs},
                  st.lists(record, max_size=6), st.one_of(st.none(), hostile_text)),
        st.builds(lambda rs: {"@graph": rs}, st.lists(record, max_size=6)),
        json_value(keys),
    )
    return doc.map(lambda d: json.dumps(d, ensure_ascii=False, allow_nan=True).encode())


def generated_csv(columns: list[str]):
    @st.composite
    def build(draw):
        header = draw(st.one_of(st.just(columns), st.lists(st.sampled_from(columns + ["", "extra"]), max_size=12)))
        rows = draw(st.lists(st.lists(hostile_text, min_size=0, max_size=len(header) + 2), max_size=5))
        delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
        return out.getvalue().encode(encoding, "replace")

    return build()


def generated_xml(tags: list[str]):
    from xml.sax.saxutils import escape, quoteattr

    tag = st.sampled_from(tags or ["a"])
    attrs = st.dictionaries(st.sampled_from(["identifier", "id", "key", "value", "ref", "source", "target",
                                             "xsi:type", "propertyDefinitionRef", "identifierRef"]),
                            hostile_text.map(lambda t: "".join(c for c in t if c.isprintable())), max_size=4)

    def render(node):
        name, attributes, children = node
        attr = "".join(f" {k}={quoteattr(v)}" for k, v in attributes.items())
        inner = "".join(render(c) if isinstance(c, tuple) else escape(c) for c in children)
        return f"<{name}{attr}>{inner}</{name}>"

    text = hostile_text.map(lambda t: "".join(c for c in t if c.isprintable() or c in "\n\t"))
    node = st.recursive(st.tuples(tag, attrs, st.lists(text, max_size=1)),
                        lambda kids: st.tuples(tag, attrs, st.lists(st.one_of(kids, text), max_size=5)),
                        max_leaves=25)
    root = st.tuples(st.sampled_from(tags[:1] or ["a"]), attrs, st.lists(node, max_size=6))
    namespace = st.sampled_from(["", ' xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
                                     'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
                                 ' xmlns="http://www.xes-standard.org/"'])
    return st.builds(lambda r, ns: ('<?xml version="1.0" encoding="UTF-8"?>\n'
                                    + render(r).replace(">", ns + ">", 1) if ns else render(r)).encode(),
                     root, namespace)


def generated_xlsx(columns: list[str]):
    @st.composite
    def build(draw):
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(draw(st.one_of(st.just(columns), st.lists(st.sampled_from(columns + [""]), max_size=10))))
        cell = st.one_of(hostile_text, st.integers(-(2 ** 40), 2 ** 40), st.floats(allow_nan=False), st.none(),
                         st.dates(), st.booleans())
        def storable(value):  # XLSX (XML) cannot hold control characters or U+FFFE/U+FFFF
            if isinstance(value, str):
                return "".join(c for c in value if (c.isprintable() or c in "\t\n") and c not in "\ufffe\uffff")
            return value

        for row in draw(st.lists(st.lists(cell, max_size=len(columns) + 1), max_size=6)):
            try:
                sheet.append([storable(v) for v in row])
            except Exception:  # noqa: BLE001 - openpyxl refuses some values; skip that row
                continue
        buf = io.BytesIO()
        book.save(buf)
        return buf.getvalue()

    return build()


def generated_form(fields: list[str]):
    value = st.one_of(json_scalar, st.lists(json_scalar, max_size=3), st.sampled_from([str(i) for i in range(-2, 102)]))
    return st.dictionaries(st.one_of(st.sampled_from(fields), st.text(max_size=10)), value, max_size=len(fields) + 3)


GENERATORS = {
    "json": generated_json, "csv": generated_csv, "xml": generated_xml, "xlsx": generated_xlsx,
    "form": lambda fields: generated_form(fields).map(lambda d: json.dumps(d, ensure_ascii=False).encode()),
}


def mutated_case(entry, seeds, rnd: random.Random) -> Case:
    """A seed with one to three mutators, all choices from ``rnd`` (the fast path, without hypothesis)."""
    seed_name, seed = rnd.choice(seeds)
    chosen = [rnd.choice(entry.mutators) for _ in range(rnd.randint(1, 3))]
    data = seed
    for mutator in chosen:
        try:
            data = mutator(data, rnd)
        except MemoryError:
            continue
        data = data[: 4 * MAX_BYTES]
    return Case(data, entry.file_name(seed_name), [f.__name__ for f in chosen], seed_name)


def case_strategy(entry):
    """All cases for one registry entry (see ``registry.Importer``)."""
    seeds = entry.load_seeds()
    options = []
    if seeds:
        @st.composite
        def mutated(draw):
            seed_name, seed = draw(st.sampled_from(seeds))
            chosen = draw(st.lists(st.sampled_from(entry.mutators), min_size=1, max_size=3))
            rnd = random.Random(draw(st.integers(0, 2 ** 32 - 1)))
            data = seed
            for mutator in chosen:
                try:
                    data = mutator(data, rnd)
                except MemoryError:  # a mutator stacked on another grew too large: keep what we had
                    continue
                # stacked mutators multiply sizes: cap, but stay above the upload limit (oversized cases)
                data = data[: 4 * MAX_BYTES]
            return Case(data, entry.file_name(seed_name), [f.__name__ for f in chosen], seed_name)

        options.append(mutated())
        options.append(st.sampled_from(seeds).map(lambda s: Case(s[1], entry.file_name(s[0]), [], s[0])))
    for fmt, hint in entry.generated.items():
        hint = hint() if callable(hint) else hint
        options.append(GENERATORS[fmt](hint).map(
            lambda data, fmt=fmt: Case(data, entry.file_name(f"generated.{fmt}"), [], f"generated:{fmt}")))
    # mutated seeds carry most weight: they reach deepest into the parsers
    weights = [6, 1] + [2] * (len(options) - 2) if seeds else [1] * len(options)
    return st.one_of(*[opt for opt, w in zip(options, weights) for _ in range(w)])
