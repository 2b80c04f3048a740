"""Small hand-made event logs for the tests."""

import gzip
from pathlib import Path
from xml.sax.saxutils import quoteattr

XES_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<log xes.version="1.0" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
\t<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
\t<extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
\t<global scope="event">
\t\t<string key="concept:name" value="UNKNOWN"/>
\t\t<date key="time:timestamp" value="1970-01-01T00:00:00+01:00"/>
\t</global>
\t<classifier name="Activity" keys="concept:name"/>
\t<string key="concept:name" value="testlog"/>
"""


def xes_text(traces, head=XES_HEAD) -> str:
    """traces: {case_id: [(activity, timestamp) or (activity, timestamp, extra_xml), ...]}"""
    parts = [head]
    for case_id, events in traces.items():
        parts.append(f"\t<trace>\n\t\t<string key=\"concept:name\" value={quoteattr(case_id)}/>\n")
        parts.append('\t\t<string key="caseStatus" value="O"/>\n')
        for event in events:
            activity, timestamp = event[0], event[1]
            extra = event[2] if len(event) > 2 else ""
            parts.append("\t\t<event>\n")
            parts.append('\t\t\t<string key="org:resource" value="560872"/>\n')
            if activity is not None:
                parts.append(f"\t\t\t<string key=\"concept:name\" value={quoteattr(activity)}/>\n")
            parts.append('\t\t\t<string key="lifecycle:transition" value="complete"/>\n')
            if timestamp is not None:
                parts.append(f"\t\t\t<date key=\"time:timestamp\" value={quoteattr(timestamp)}/>\n")
            parts.append(extra)
            parts.append("\t\t</event>\n")
        parts.append("\t</trace>\n")
    parts.append("</log>\n")
    return "".join(parts)


def write_xes(path: Path, traces, gz: bool | None = None, head=XES_HEAD) -> Path:
    data = xes_text(traces, head=head).encode("utf-8")
    gz = str(path).endswith(".gz") if gz is None else gz
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def write_csv(path: Path, rows, header="case_id,activity,timestamp,resource") -> Path:
    lines = [header] + [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
