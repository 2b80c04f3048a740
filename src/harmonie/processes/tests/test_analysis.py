"""The analysis core (no Django): readers, ordering, time zones, metrics, bad input."""

import datetime as dt

import polars as pl
import pytest

from harmonie.core.errors import BadInput
from harmonie.processes.analysis.metrics import activity_overlap, common_core, compare, compute_stats, dfg_similarity
from harmonie.processes.analysis.pipeline import analyse_log
from harmonie.processes.analysis.readers import log_name, read_log
from harmonie.processes.tests.helpers import XES_HEAD, write_csv, write_xes

UTC = dt.timezone.utc


def test_log_name_strips_all_extensions():
    assert log_name("/x/BPIC15_1.xes.gz") == "BPIC15_1"
    assert log_name("gemeente-a.csv") == "gemeente-a"
    assert log_name("b.parquet") == "b"


def test_xes_reader_extracts_case_activity_and_utc_time(tmp_path):
    path = write_xes(tmp_path / "a.xes.gz", {
        "c1": [("A", "2024-03-01T10:00:00+01:00"), ("B", "2024-03-01T12:30:00.250+01:00")],
        "c2": [("A", "2024-07-01T10:00:00Z")],
    })
    df = read_log(path)
    assert df.columns == ["case_id", "activity", "timestamp", "order"]
    assert df["case_id"].to_list() == ["c1", "c1", "c2"]
    assert df["activity"].to_list() == ["A", "B", "A"]
    assert df["timestamp"].to_list() == [
        dt.datetime(2024, 3, 1, 9, 0, tzinfo=UTC),
        dt.datetime(2024, 3, 1, 11, 30, 0, 250000, tzinfo=UTC),
        dt.datetime(2024, 7, 1, 10, 0, tzinfo=UTC),
    ]


def test_nested_attributes_and_trace_level_keys_do_not_leak(tmp_path):
    nested = ('\t\t\t<string key="note" value="x">\n\t\t\t\t<string key="concept:name" value="NESTED"/>\n'
              '\t\t\t\t<date key="time:timestamp" value="1999-01-01T00:00:00Z"/>\n\t\t\t</string>\n')
    path = write_xes(tmp_path / "n.xes", {"c1": [("A", "2024-01-01T00:00:00Z", nested), ("B", "2024-01-02T00:00:00Z")]})
    df = read_log(path)
    assert df["activity"].to_list() == ["A", "B"]
    assert df["timestamp"].min() == dt.datetime(2024, 1, 1, tzinfo=UTC)


def test_xes_without_namespace_and_other_attribute_order(tmp_path):
    text = ('<?xml version="1.0"?><log><trace><string value="k1" key="concept:name"/>'
            "<event><date value='2024-01-01T00:00:00Z' key='time:timestamp'/><string value='A' key='concept:name'/></event>"
            "<event><string key='concept:name' value='B &amp; C'/><date key='time:timestamp' value='2024-01-02T00:00:00Z'/></event>"
            "</trace></log>")
    path = tmp_path / "plain.xes"
    path.write_text(text)
    df = read_log(path)
    assert df["case_id"].to_list() == ["k1", "k1"]
    assert df["activity"].to_list() == ["A", "B & C"]


def test_csv_ignores_other_columns_and_parquet_with_datetime_column(tmp_path):
    csv = write_csv(tmp_path / "log.csv", [
        ("c1", "A", "2024-01-01 08:00:00", "r1"),
        ("c1", "B", "2024-01-03 08:00:00", "r2"),
    ])
    df = read_log(csv)
    assert df["activity"].cast(pl.String).to_list() == ["A", "B"]
    parquet = tmp_path / "log.parquet"
    pl.DataFrame({
        "extra": [1, 2],
        "case_id": ["c1", "c1"],
        "activity": ["A", "B"],
        "timestamp": [dt.datetime(2024, 1, 1, 8), dt.datetime(2024, 1, 3, 8)],
    }).write_parquet(parquet)
    stats_csv, stats_pq = analyse_log(csv), analyse_log(parquet)
    assert stats_csv.median_case_duration_days == stats_pq.median_case_duration_days == 2.0
    assert stats_csv.dfg == stats_pq.dfg == {("A", "B"): 1}


def test_mixed_time_zones_are_converted_to_utc_before_ordering(tmp_path):
    # 10:00+02:00 is 08:00 UTC, which is before 09:00+00:00: so the order is B, A although A comes first in the file
    path = write_csv(tmp_path / "tz.csv", [
        ("c1", "A", "2024-06-01T09:00:00+00:00", "r"),
        ("c1", "B", "2024-06-01T10:00:00+02:00", "r"),
        ("c1", "C", "2024-12-01T10:00:00+01:00", "r"),
    ])
    stats = analyse_log(path)
    assert stats.dfg == {("B", "A"): 1, ("A", "C"): 1}
    expected = (dt.datetime(2024, 12, 1, 9, tzinfo=UTC) - dt.datetime(2024, 6, 1, 8, tzinfo=UTC)).total_seconds() / 86400
    assert stats.median_case_duration_days == pytest.approx(expected, abs=0, rel=1e-12)


def test_ties_keep_file_order_and_unsorted_input_is_sorted(tmp_path):
    path = write_csv(tmp_path / "ties.csv", [
        ("c1", "Z", "2024-01-02 00:00:00", "r"),   # later, but first in the file
        ("c1", "B", "2024-01-01 00:00:00", "r"),   # tie with the next row: file order B then A
        ("c1", "A", "2024-01-01 00:00:00", "r"),
        ("c2", "A", "2024-01-01 00:00:00", "r"),
        ("c2", "B", "2024-01-01 00:00:00", "r"),
    ])
    stats = analyse_log(path, with_variant_counts=True)
    assert stats.variant_counts == {("B", "A", "Z"): 1, ("A", "B"): 1}
    assert stats.dfg == {("B", "A"): 1, ("A", "Z"): 1, ("A", "B"): 1}


def test_duplicate_events_count_as_events(tmp_path):
    path = write_csv(tmp_path / "dup.csv", [("c1", "A", "2024-01-01 00:00:00", "r")] * 2)
    stats = analyse_log(path, with_variant_counts=True)
    assert stats.events == 2 and stats.dfg == {("A", "A"): 1} and stats.variant_counts == {("A", "A"): 1}


def test_figures_and_pairwise_definitions(tmp_path):
    a = write_csv(tmp_path / "a.csv", [
        ("1", "A", "2024-01-01 00:00:00", ""), ("1", "B", "2024-01-02 00:00:00", ""), ("1", "C", "2024-01-04 00:00:00", ""),
        ("2", "A", "2024-01-01 00:00:00", ""), ("2", "C", "2024-01-01 12:00:00", ""),
    ])
    b = write_csv(tmp_path / "b.csv", [
        ("x", "A", "2024-01-01 00:00:00", ""), ("x", "B", "2024-01-01 06:00:00", ""),
        ("y", "A", "2024-01-01 00:00:00", ""), ("y", "D", "2024-01-01 06:00:00", ""),
    ])
    sa, sb = analyse_log(a), analyse_log(b)
    assert (sa.cases, sa.events, len(sa.activities), sa.variants) == (2, 5, 3, 2)
    assert sa.median_case_duration_days == pytest.approx((3 + 0.5) / 2)
    # A: A>B 1/3, B>C 1/3, A>C 1/3; B: A>B 1/2, A>D 1/2 -> min overlap only on A>B: 1/3
    assert dfg_similarity(sa.dfg, sb.dfg) == pytest.approx(1 / 3)
    assert dfg_similarity(sa.dfg, sa.dfg) == pytest.approx(1.0)
    assert activity_overlap(sa.activities, sb.activities) == pytest.approx(2 / 4)
    assert common_core([sa.activities, sb.activities]) == ["A", "B"]
    summary = compare([sa, sb])
    assert summary["logs"][0] == {"name": "a", "cases": 2, "events": 5, "activities": 3, "variants": 2,
                                  "median_case_duration_days": pytest.approx(1.75)}
    assert summary["pairs"] == [{"a": "a", "b": "b", "dfg_similarity": pytest.approx(1 / 3),
                                 "activity_overlap": pytest.approx(0.5)}]
    assert summary["common_core"] == {"activities": ["A", "B"]}


def test_compute_stats_on_empty_frame():
    df = pl.DataFrame(schema={"case_id": pl.String, "activity": pl.String,
                              "timestamp": pl.Datetime("us", "UTC"), "order": pl.UInt32})
    stats = compute_stats(df, "leeg")
    assert (stats.cases, stats.events, stats.variants, stats.median_case_duration_days) == (0, 0, 0, None)


# --- bad input: a Dutch message that names the file and the row/line/event -------------------------------


def test_unparsable_timestamp_csv_names_the_line(tmp_path):
    path = write_csv(tmp_path / "slecht.csv", [
        ("c1", "A", "2024-01-01 08:00:00", "r"),
        ("c1", "B", "gisteren", "r"),
    ])
    with pytest.raises(BadInput) as info:
        read_log(path)
    assert "slecht.csv" in info.value.message and "regel 3" in info.value.message
    assert "gisteren" in info.value.message and "geen geldige datum" in info.value.message


def test_missing_timestamp_csv(tmp_path):
    path = write_csv(tmp_path / "leeg.csv", [("c1", "A", "2024-01-01 08:00:00", "r"), ("c1", "B", "", "r")])
    with pytest.raises(BadInput, match=r"leeg\.csv: regel 3 heeft geen tijdstempel"):
        read_log(path)


def test_missing_column(tmp_path):
    path = write_csv(tmp_path / "kolom.csv", [("c1", "A", "r")], header="case_id,activity,resource")
    with pytest.raises(BadInput, match=r"kolom\.csv: kolom\(men\) timestamp ontbreken"):
        read_log(path)


def test_missing_column_parquet(tmp_path):
    path = tmp_path / "kolom.parquet"
    pl.DataFrame({"case": ["c1"], "activity": ["A"], "timestamp": ["2024-01-01"]}).write_parquet(path)
    with pytest.raises(BadInput, match=r"kolom\.parquet: kolom\(men\) case_id ontbreken"):
        read_log(path)


def test_damaged_parquet_is_bad_input(tmp_path):
    """Found by make fuzz: flipped bytes in a Parquet file made polars raise InvalidOperationError or panic."""
    path = tmp_path / "kapot.parquet"
    pl.DataFrame({"case_id": [f"c{i}" for i in range(500)], "activity": ["A", "B"] * 250,
                  "timestamp": ["2024-01-01T00:00:00Z"] * 500}).write_parquet(path)
    data = bytearray(path.read_bytes())
    for offset in range(len(data) // 3, len(data) // 3 + 200):
        data[offset] ^= 0xA5
    path.write_bytes(bytes(data))
    with pytest.raises(BadInput, match="kapot.parquet"):
        read_log(path)


def test_unparsable_timestamp_xes_names_the_event(tmp_path):
    path = write_xes(tmp_path / "t.xes", {"c1": [("A", "2024-01-01T00:00:00Z")], "c2": [("B", "31-02-nooit")]})
    with pytest.raises(BadInput) as info:
        read_log(path)
    message = info.value.message
    assert "t.xes" in message and "gebeurtenis 2" in message and "zaak c2" in message and "31-02-nooit" in message


def test_missing_timestamp_and_activity_xes(tmp_path):
    path = write_xes(tmp_path / "t.xes", {"c1": [("A", None)]})
    with pytest.raises(BadInput, match=r"t\.xes: gebeurtenis 1 \(zaak c1\) heeft geen time:timestamp"):
        read_log(path)
    path = write_xes(tmp_path / "u.xes", {"c1": [(None, "2024-01-01T00:00:00Z")]})
    with pytest.raises(BadInput, match=r"u\.xes: gebeurtenis 1 \(zaak c1\) heeft geen concept:name"):
        read_log(path)


def test_malformed_xml_names_the_line(tmp_path):
    path = tmp_path / "kapot.xes"
    path.write_text(XES_HEAD + "\t<trace>\n\t\t<event>\n\t</trace>\n</log>\n")
    with pytest.raises(BadInput, match=r"kapot\.xes: geen geldige XML rond regel 1[34]"):
        read_log(path)


def test_truncated_gzip(tmp_path):
    good = write_xes(tmp_path / "ok.xes.gz", {"c1": [("A", "2024-01-01T00:00:00Z")] * 200})
    bad = tmp_path / "afgekapt.xes.gz"
    bad.write_bytes(good.read_bytes()[:-20])
    with pytest.raises(BadInput, match=r"afgekapt\.xes\.gz"):
        read_log(bad)


def test_external_entity_is_refused(tmp_path):
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM")
    head = XES_HEAD.replace(
        '<?xml version="1.0" encoding="UTF-8" ?>\n',
        f'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE log [<!ENTITY xxe SYSTEM "file://{secret}">]>\n',
    )
    path = write_xes(tmp_path / "xxe.xes", {"&xxe;": [("A", "2024-01-01T00:00:00Z")]}, head=head)
    path.write_text(path.read_text().replace("&amp;xxe;", "&xxe;"))
    with pytest.raises(BadInput) as info:
        read_log(path)
    assert "xxe.xes" in info.value.message and "DOCTYPE" in info.value.message
    assert "GEHEIM" not in info.value.message


def test_billion_laughs_is_refused_quickly(tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    head = XES_HEAD.replace('<?xml version="1.0" encoding="UTF-8" ?>\n',
                            f'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE log [{entities}]>\n')
    path = write_xes(tmp_path / "lol.xes", {"c1": [("LOL", "2024-01-01T00:00:00Z")]}, head=head)
    path.write_text(path.read_text().replace('value="LOL"', 'value="&lol9;"'))
    with pytest.raises(BadInput, match=r"lol\.xes: het bestand bevat een DOCTYPE"):
        read_log(path)


def test_not_an_xes_root_and_unknown_extension(tmp_path):
    path = tmp_path / "ander.xes"
    path.write_text('<?xml version="1.0"?><html><body/></html>')
    with pytest.raises(BadInput, match=r"ander\.xes: dit is geen XES-bestand"):
        read_log(path)
    other = tmp_path / "log.json"
    other.write_text("{}")
    with pytest.raises(BadInput, match=r"log\.json: onbekend bestandstype"):
        read_log(other)


def test_prefilter_falls_back_to_the_strict_pattern_on_odd_markup():
    from harmonie.processes.analysis import xes

    normal = b'<e><string key="org:resource" value="1"/><string key="concept:name" value="A"/></e>'
    assert xes._drop(normal) == b'<e><string key="concept:name" value="A"/></e>'
    event = (b'<event>\n<date key="time:timestamp" value="2024-01-01T00:00:00Z"/><string key="org:resource" value="9"/>'
             b'\n<string key="concept:name" value="A &amp; B"/>\n</event>')
    assert xes._drop(event) == b'<event hx-activity="A &amp; B" hx-time="2024-01-01T00:00:00Z"/>'
    # a quote-free span crossing "<" (only possible in malformed or comment text) must not be removed
    odd = b'<t><string key="b" value="y<z"/><!-- <string key="c --><e>" value="q"/></e></t>'
    assert xes._drop(odd) == xes._DROP.sub(b"", odd) == odd


def test_analysis_core_has_no_django_and_src_never_imports_pm4py():
    import pathlib
    import subprocess
    import sys

    code = ("import sys; import harmonie.processes.analysis.pipeline, harmonie.processes.analysis.xes; "
            "bad = [m for m in sys.modules if m.startswith(('django', 'pm4py'))]; print(bad); sys.exit(bool(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    src = pathlib.Path(__file__).resolve().parents[1]
    import re

    imports = re.compile(r"^\s*(import|from)\s+pm4py", re.MULTILINE)
    offenders = [p for p in src.rglob("*.py") if "tests" not in p.parts and imports.search(p.read_text())]
    assert offenders == []


def test_csv_with_bom_semicolons_and_gzip(tmp_path):
    import gzip

    body = 'case_id;activity;timestamp\n1;A;2024-01-01 00:00:00\n1;"B; C";2024-01-02 00:00:00\n'
    semi = tmp_path / "puntkomma.csv"
    semi.write_bytes(b"\xef\xbb\xbf" + body.encode())
    packed = tmp_path / "ingepakt.csv.gz"
    packed.write_bytes(gzip.compress(body.encode()))
    for path in (semi, packed):
        stats = analyse_log(path, with_variant_counts=True)
        assert stats.variant_counts == {("A", "B; C"): 1}
        assert stats.median_case_duration_days == 1.0
