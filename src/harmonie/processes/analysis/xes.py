"""Fast, hardened streaming reader for XES and ``.xes.gz`` event logs.

Pure Python + lxml; no Django and no polars here, so worker processes that
parse logs in parallel start quickly.

How it works (and why it is fast):

* The file is decompressed (if gzip) and read in chunks of a few MB.
* Each chunk is *pre-filtered*: self-closing attribute elements such as
  ``<string key="org:resource" value="..."/>`` whose key is neither
  ``concept:name`` nor ``time:timestamp`` are cut out of the byte stream.
  Removing a complete empty element never changes well-formedness or the
  nesting of the elements that remain (``<`` cannot occur inside an attribute
  value, and a match inside a comment or CDATA only changes text we ignore),
  and newlines are kept, so line numbers in parse errors stay correct. On the
  BPIC 2015 logs this removes ~80 % of the bytes the XML parser must see.
* The remaining bytes go to libxml2 through lxml's *target* (SAX-like)
  interface: no tree is built at all, so memory stays flat however large the
  log is. Only direct children of ``<event>`` (and of ``<trace>``) are read,
  so nested meta-attributes never leak into the result.
* The parser is hardened: external entities are never resolved
  (``resolve_entities="internal"``), ``no_network=True``, ``load_dtd=False``,
  ``huge_tree=False``; and any DOCTYPE is refused outright (XES never needs
  one), which stops XXE and entity-expansion ("billion laughs") attacks before
  they start: no entity other than the five predefined ones (``&amp;`` ...) can
  exist.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from pathlib import Path

from harmonie.core.errors import BadInput

CHUNK = 1 << 22  # 4 MiB of decompressed XML per step

# Self-closing attribute elements that we do not need. Key before value is how
# OpenXES, ProM and pm4py write them; anything else is simply not removed (and
# still parsed correctly by the XML parser).
_DROP = re.compile(
    rb'<(?:string|date|int|float|boolean|id) key="(?!concept:name"|time:timestamp")[^"<]*" value="[^"<]*"/>'
)
# The same without excluding "<" inside the quotes: ~40 % faster (a one-byte class is a fast loop in ``re``).
# Used first; ``_drop`` then checks with two C-speed counts that every removed span held exactly one "<"
# (its first byte), which is what the strict pattern guarantees, and falls back to it if not.
_DROP_FAST = re.compile(
    rb'<(?:string|date|int|float|boolean|id) key="(?!concept:name"|time:timestamp")[^"]*+" value="[^"]*+"/>'
)


# After dropping, a typical event is ``<event> <concept:name/> <time:timestamp/> </event>``. Rewriting that
# complete element into one empty element carrying both values as attributes (same quoting, so the same
# escaping) means 2 parser callbacks per event instead of 6. Anything else is left for the general path.
_NAME = rb'<string key="concept:name" value="([^"<]*)"/>'
_TIME = rb'<date key="time:timestamp" value="([^"<]*)"/>'
_EVENT_NAME_FIRST = re.compile(rb"<event>\s*" + _NAME + rb"\s*" + _TIME + rb"\s*</event>")
_EVENT_TIME_FIRST = re.compile(rb"<event>\s*" + _TIME + rb"\s*" + _NAME + rb"\s*</event>")
ATTR_ACTIVITY = "hx-activity"
ATTR_TIME = "hx-time"


def _drop_patterns(keep: tuple = ()):
    """The two drop patterns; ``keep`` adds attribute keys (besides activity and time) that must stay."""
    if not keep:
        return _DROP_FAST, _DROP
    keys = b"|".join(re.escape(k.encode("utf-8")) + b'"' for k in ("concept:name", "time:timestamp", *keep))
    fast = re.compile(rb'<(?:string|date|int|float|boolean|id) key="(?!' + keys + rb')[^"]*+" value="[^"]*+"/>')
    strict = re.compile(rb'<(?:string|date|int|float|boolean|id) key="(?!' + keys + rb')[^"<]*" value="[^"<]*"/>')
    return fast, strict


def _drop(chunk: bytes, patterns=None) -> bytes:
    fast, strict = patterns or (_DROP_FAST, _DROP)
    out, removed = fast.subn(b"", chunk)
    if chunk.count(b"<") - out.count(b"<") != removed:
        out = strict.sub(b"", chunk)
    # (a function is cheaper than a "\\1" template, which Python 3.11 expands in Python per match)
    out = _EVENT_NAME_FIRST.sub(lambda m: b'<event hx-activity="%s" hx-time="%s"/>' % m.groups(), out)
    return _EVENT_TIME_FIRST.sub(lambda m: b'<event hx-activity="%s" hx-time="%s"/>' % (m[2], m[1]), out)


@dataclass
class XesColumns:
    """Column-wise result: one entry per event, in file order."""

    trace_names: list = field(default_factory=list)  # per trace: concept:name (or None)
    event_trace: list = field(default_factory=list)  # per event: index into trace_names
    activities: list = field(default_factory=list)  # per event: concept:name (or None)
    timestamps: list = field(default_factory=list)  # per event: raw time:timestamp text (or None)
    extra: dict = field(default_factory=dict)  # key -> per event: value of that event attribute (or None)


_LOCAL_CACHE: dict = {}


def _local(tag: str) -> str:
    local = _LOCAL_CACHE.get(tag)
    if local is None:
        local = _LOCAL_CACHE[tag] = tag.rpartition("}")[2].rpartition(":")[2]
    return local


class _Target:
    """lxml parser target: collects case id, activity and timestamp per event."""

    __slots__ = (
        "depth", "event_depth", "trace_depth", "cols", "cur_act", "cur_ts", "tname", "ntrace", "name", "root_seen",
        "labels", "extra_keys", "cur_extra",
    )

    def __init__(self, name: str, extra_keys: tuple = ()):
        self.name = name
        self.depth = 0
        self.event_depth = -10
        self.trace_depth = -10
        self.cols = XesColumns()
        self.cur_act = None
        self.cur_ts = None
        self.tname = None
        self.ntrace = -1
        self.root_seen = False
        # one str object per distinct activity: less memory, and pickling to the parent shares them
        self.labels = {}
        self.extra_keys = frozenset(extra_keys)
        self.cur_extra = {}
        for key in extra_keys:
            self.cols.extra[key] = []

    def doctype(self, name, pubid, system):
        raise BadInput(
            f"{self.name}: het bestand bevat een DOCTYPE-declaratie. XES heeft die niet nodig en Harmonie "
            "weigert ze, omdat ze gebruikt kan worden om bestanden van de server te lezen of het geheugen "
            "te laten vollopen (XXE, 'billion laughs')."
        )

    def start(self, tag, attrib):
        d = self.depth = self.depth + 1
        if d == self.event_depth + 1:
            key = attrib.get("key")
            if key == "concept:name":
                self.cur_act = attrib.get("value")
            elif key == "time:timestamp":
                self.cur_ts = attrib.get("value")
            elif key in self.extra_keys:
                self.cur_extra[key] = attrib.get("value")
        elif d == self.trace_depth + 1:
            if tag[-5:] == "event" and _local(tag) == "event":
                self.event_depth = d
                if self.extra_keys:
                    self.cur_extra = {}
                # set by the pre-filter's rewrite (see _drop); None for events parsed the general way
                self.cur_act = attrib.get(ATTR_ACTIVITY)
                self.cur_ts = attrib.get(ATTR_TIME)
            elif attrib.get("key") == "concept:name":
                self.tname = attrib.get("value")
        elif d == 2 and tag[-5:] == "trace" and _local(tag) == "trace":
            self.trace_depth = 2
            self.ntrace += 1
            self.tname = None
        elif d == 1:
            self.root_seen = True
            if _local(tag) != "log":
                raise BadInput(f"{self.name}: dit is geen XES-bestand (het hoofdelement is <{_local(tag)}>, verwacht <log>).")

    def end(self, tag):
        d = self.depth
        if d == self.event_depth:
            cols = self.cols
            act = self.cur_act
            cols.activities.append(self.labels.setdefault(act, act))
            cols.timestamps.append(self.cur_ts)
            cols.event_trace.append(self.ntrace)
            if self.extra_keys:
                for key, values in cols.extra.items():
                    values.append(self.cur_extra.get(key))
            self.event_depth = -10
        elif d == self.trace_depth:
            self.cols.trace_names.append(self.tname)
            self.trace_depth = -10
        self.depth = d - 1

    def close(self):
        return self.cols


def _open(path: Path):
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rb")
    return open(path, "rb")


def read_xes_columns(path, name: str | None = None, extra_keys: tuple = (),
                     max_bytes: int | None = None) -> XesColumns:
    """Parse an XES or XES.gz file into column lists. Raises ``BadInput``.

    ``extra_keys``: event attribute keys (exact, e.g. ``org:resource``) whose values are collected too, in
    ``XesColumns.extra``. ``max_bytes``: refuse files whose (decompressed) XML is larger (zip bombs)."""
    from lxml import etree

    path = Path(path)
    name = name or path.name
    extra_keys = tuple(extra_keys)
    target = _Target(name, extra_keys)
    patterns = _drop_patterns(extra_keys)
    seen = 0
    parser = etree.XMLParser(
        target=target,
        # "internal": never external entities (no XXE). Not False: with False libxml2 hands attribute
        # values to a parser target with "&amp;" re-escaped as "&#38;". User-defined entities cannot
        # occur at all, because any DOCTYPE is refused (see _Target.doctype).
        resolve_entities="internal",
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
    )
    try:
        with _open(path) as handle:
            carry = b""
            while True:
                data = handle.read(CHUNK)
                if not data:
                    break
                seen += len(data)
                if max_bytes is not None and seen > max_bytes:
                    raise BadInput(
                        f"{name}: het logboek is (uitgepakt) groter dan de toegestane {max_bytes // (1024 * 1024)} MB. "
                        "Splits het logboek of vraag de beheerder de grens (HARMONIE_EVENTLOG_MAX_BYTES) te verhogen."
                    )
                buf = carry + data if carry else data
                cut = buf.rfind(b">") + 1
                carry = buf[cut:]
                if cut:
                    parser.feed(_drop(buf[:cut], patterns))
            if carry:
                parser.feed(carry)
            cols = parser.close()
    except BadInput:
        raise
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else exc.lineno
        raise BadInput(f"{name}: geen geldige XML rond regel {line}: {exc.msg}") from exc
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise BadInput(f"{name}: het bestand kan niet gelezen of uitgepakt worden ({exc}).") from exc
    if not target.root_seen:
        raise BadInput(f"{name}: het bestand is leeg of bevat geen XES-log.")
    _check(cols, name)
    return cols


def _check(cols: XesColumns, name: str) -> None:
    """Every event needs a case id, an activity and a timestamp."""
    for i, tname in enumerate(cols.trace_names):
        if tname is None:
            raise BadInput(f"{name}: zaak (trace) nummer {i + 1} heeft geen concept:name (zaak-id).")
    if None in cols.activities:
        i = cols.activities.index(None)
        raise BadInput(
            f"{name}: gebeurtenis {i + 1} (zaak {cols.trace_names[cols.event_trace[i]]}) heeft geen "
            "concept:name (activiteit)."
        )
    if None in cols.timestamps:
        i = cols.timestamps.index(None)
        raise BadInput(
            f"{name}: gebeurtenis {i + 1} (zaak {cols.trace_names[cols.event_trace[i]]}) heeft geen "
            "time:timestamp."
        )
