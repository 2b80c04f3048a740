"""Products layer services: the one entry point for the CLI (and later views, API and jobs).

UPL suggestions: ``learn_upl`` / ``match_upl`` / ``load_matcher``; catalogue comparison: ``compare_catalog``.
The heavy lifting is in ``harmonie.products.analysis`` (no Django); this module reads files, talks to the
database and turns problems into ``BadInput`` messages in Dutch that name the file and line.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from harmonie.core.errors import BadInput, HarmonieError

from ..analysis.compare import Offering, compare_catalogues, normalise_audience
from ..analysis.matcher import LabelledRecord, UplMatcher
from ..analysis.upl import UplEntry, check_tags, is_placeholder, parse_owms_json, parse_upl_csv, repair_uri

csv.field_size_limit(16 * 1024 * 1024)
MAX_ABSTRACT = 2400
GROUP_COLUMNS = ("authority_label", "organisatie", "organisation", "gemeente", "partner")

Progress = Callable[[int], None] | None


# ---------------------------------------------------------------------------------------------- UPL list
def current_upl_entries(upl_file: str | Path | None = None) -> list[UplEntry]:
    """The current UPL names: from ``upl_file`` when given, else from the reference data in the database."""
    if upl_file:
        path = Path(upl_file)
        if not path.exists():
            raise BadInput(f"{path}: bestand niet gevonden.")
        return parse_owms_json(path) if path.suffix.lower() == ".json" else parse_upl_csv(path)
    try:
        from harmonie.reference.services import current_upl
    except ImportError as exc:  # reference app not there yet
        raise HarmonieError(
            "De UPL-lijst is niet beschikbaar: laad hem eerst met 'harmonie reference load upl BESTAND'."
        ) from exc
    entries = []
    for item in current_upl():
        get = item.get if isinstance(item, dict) else (lambda name, default=None, _i=item: getattr(_i, name, default))
        uri = repair_uri(get("uri", "") or "")
        if not uri or is_placeholder(uri):
            continue
        end = get("end_date", None)
        withdrawn = get("withdrawn", None)
        if withdrawn is not None and not withdrawn:
            end = None  # an end date in the future: still current
        elif withdrawn and not end:
            end = "ingetrokken"
        entries.append(
            UplEntry(
                uri=uri,
                label=get("label", "") or "",
                end_date=str(end) if end else None,
                burger=bool(get("burger", False)),
                bedrijf=bool(get("bedrijf", False)),
                gemeente=bool(get("gemeente", False)),
            )
        )
    if not entries:
        raise HarmonieError("De UPL-lijst is leeg: laad hem eerst met 'harmonie reference load upl BESTAND'.")
    return entries


def upl_fingerprint(entries: list[UplEntry]) -> str:
    digest = hashlib.sha256("\n".join(sorted(f"{e.uri}\t{e.label}\t{e.end_date or ''}" for e in entries)).encode())
    return f"{len(entries)}:{digest.hexdigest()[:16]}"


# ---------------------------------------------------------------------------------------------- CSV input
@dataclass
class CsvTable:
    path: Path
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, row)


def read_csv(path: str | Path, required: tuple[str, ...] = ()) -> CsvTable:
    """Read a CSV (or ``.csv.gz``): UTF-8 (with or without BOM) or cp1252, delimiter , ; or tab."""
    path = Path(path)
    if not path.exists():
        raise BadInput(f"{path}: bestand niet gevonden.")
    try:
        raw = gzip.open(path, "rb").read() if path.name.lower().endswith(".gz") else path.read_bytes()
    except (OSError, EOFError) as exc:
        raise BadInput(f"{path}: kan het bestand niet lezen ({exc}).") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if not text.strip():
        raise BadInput(f"{path}, regel 1: het bestand is leeg.")
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise BadInput(f"{path}, regel 1: geen kopregel gevonden.") from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise BadInput(
            f"{path}, regel 1: kolom(men) {', '.join(missing)} ontbreken (gevonden: {', '.join(header) or 'geen'})."
        )
    rows = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise BadInput(f"{path}, regel {line}: {len(values)} velden, de kopregel heeft er {len(header)}.")
            rows.append((line, dict(zip(header, values + [""] * (len(header) - len(values))))))
    except csv.Error as exc:
        raise BadInput(f"{path}, regel {reader.line_num}: onleesbare CSV ({exc}).") from exc
    return CsvTable(path, header, rows)


# ---------------------------------------------------------------------------------------------- the model
def _encode_training(records: list[dict]) -> bytes:
    return gzip.compress(json.dumps(records, ensure_ascii=False).encode("utf-8"))


def _decode_training(blob: bytes | memoryview | None) -> list[dict]:
    if not blob:
        return []
    return json.loads(gzip.decompress(bytes(blob)).decode("utf-8"))


def latest_model():
    from ..models import UplModel

    return UplModel.objects.order_by("-created_at", "-id").first()


def load_matcher(upl_file: str | Path | None = None) -> UplMatcher:
    """The newest learned matcher from the database, or a cold one over the current UPL list."""
    stored = latest_model()
    if stored is not None and not upl_file:
        return UplMatcher.from_bytes(bytes(stored.payload))
    return UplMatcher(current_upl_entries(upl_file))


@dataclass
class LearnReport:
    records_in_file: int
    used: int
    total_learned: int
    skipped_placeholder: int
    skipped_untagged: int
    withdrawn_tags: int
    unknown_tags: int
    repaired_uris: int
    stats: dict

    def summary(self) -> str:
        return (
            f"{self.used} van {self.records_in_file} regels gebruikt (model kent nu {self.total_learned} producten); "
            f"overgeslagen: {self.skipped_untagged} zonder UPL, {self.skipped_placeholder} met 'UPL-naam nog niet "
            f"beschikbaar'; ingetrokken UPL-namen: {self.withdrawn_tags}, onbekende UPL-URI's: {self.unknown_tags}, "
            f"herstelde URI's (dubbel voorvoegsel): {self.repaired_uris}. "
            f"Kruisvalidatie top-1: {self.stats.get('cv_top1', '-')}."
        )


def learn_upl(
    path: str | Path,
    *,
    replace: bool = False,
    upl_file: str | Path | None = None,
    withdrawn_file: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> LearnReport:
    """Learn UPL suggestions from a labelled CSV (``title``, ``upl_uri``; optional ``abstract``, ``audience``)."""
    table = read_csv(path, required=("title", "upl_uri"))
    entries = current_upl_entries(upl_file)
    current = {e.uri: e for e in entries if not e.withdrawn}
    withdrawn = {e.uri for e in entries if e.withdrawn}
    if withdrawn_file:
        withdrawn |= {e.uri for e in parse_owms_json(withdrawn_file) if e.withdrawn}
    group_col = next((c for c in GROUP_COLUMNS if c in table.columns), None)
    new_records: list[dict] = []
    counts = dict(placeholder=0, untagged=0, withdrawn=0, unknown=0, repaired=0)
    for line, row in table.rows:
        title = (row.get("title") or "").strip()
        raw_tags = (row.get("upl_uri") or "").strip()
        if not raw_tags:
            counts["untagged"] += 1
            continue
        if not title:
            raise BadInput(f"{table.path}, regel {line}: lege titel bij een getagd product.")
        check = check_tags(raw_tags, current, withdrawn)
        counts["withdrawn"] += len(check.withdrawn)
        counts["unknown"] += len(check.unknown)
        counts["repaired"] += check.repaired
        if not check.current:
            if all(is_placeholder(t) for t in raw_tags.split("|") if t.strip()):
                counts["placeholder"] += 1
            continue
        new_records.append(
            {
                "title": title,
                "upl_uris": check.current,
                "abstract": (row.get("abstract") or "")[:MAX_ABSTRACT],
                "audience": row.get("audience") or "",
                "group": (row.get(group_col) or "") if group_col else "",
            }
        )
    if not new_records:
        raise BadInput(f"{table.path}: geen enkele regel met een UPL-naam uit de huidige lijst; niets geleerd.")
    stored = None if replace else latest_model()
    records = _decode_training(stored.training) if stored is not None else []
    seen = {json.dumps(r, sort_keys=True, ensure_ascii=False) for r in records}
    for rec in new_records:
        key = json.dumps(rec, sort_keys=True, ensure_ascii=False)
        if key not in seen:  # re-learning the same file changes nothing
            seen.add(key)
            records.append(rec)
    matcher = UplMatcher(entries)
    stats = matcher.learn(
        (LabelledRecord(r["title"], r["upl_uris"], r["abstract"], r["audience"], r["group"] or None) for r in records),
        progress=progress,
    )
    from ..models import UplModel

    with transaction.atomic():
        UplModel.objects.create(
            upl_version_ref=upl_fingerprint(entries),
            records=len(records),
            stats=stats,
            payload=matcher.to_bytes(),
            training=_encode_training(records),
        )
        # keep the newest few only; older ones are history without use
        old = list(UplModel.objects.order_by("-created_at", "-id").values_list("id", flat=True)[3:])
        if old:
            UplModel.objects.filter(id__in=old).delete()
    return LearnReport(
        records_in_file=len(table.rows),
        used=len(new_records),
        total_learned=len(records),
        skipped_placeholder=counts["placeholder"],
        skipped_untagged=counts["untagged"],
        withdrawn_tags=counts["withdrawn"],
        unknown_tags=counts["unknown"],
        repaired_uris=counts["repaired"],
        stats=stats,
    )


# ---------------------------------------------------------------------------------------------- matching
def _query_rows(table: CsvTable, id_col: str | None = "id"):
    ids, titles, abstracts, audiences = [], [], [], []
    for line, row in table.rows:
        title = (row.get("title") or "").strip()
        if not title:
            raise BadInput(f"{table.path}, regel {line}: lege titel.")
        if id_col:
            ident = (row.get(id_col) or "").strip()
            if not ident:
                raise BadInput(f"{table.path}, regel {line}: lege id.")
            ids.append(ident)
        titles.append(title)
        abstracts.append((row.get("abstract") or "")[:MAX_ABSTRACT])
        audiences.append(row.get("audience") or "")
    return ids, titles, abstracts, audiences


def match_upl(
    path: str | Path, top: int = 3, *, progress: Progress = None, upl_file: str | Path | None = None
) -> Iterator[tuple[str, int, str, str, float]]:
    """Rows ``(id, rank, upl_uri, upl_label, score)`` for every product in the CSV (``id``, ``title``)."""
    if top < 1:
        raise BadInput("--top moet minstens 1 zijn.")
    table = read_csv(path, required=("id", "title"))
    ids, titles, abstracts, audiences = _query_rows(table)
    matcher = load_matcher(upl_file)
    suggestions = matcher.suggest_many(titles, abstracts, audiences, k=top, progress=progress)
    out = []
    for ident, sug in zip(ids, suggestions):
        for rank, (uri, label, score) in enumerate(sug, start=1):
            out.append((ident, rank, uri, label, min(max(score, 0.0), 1.0)))
    return out


def write_match_csv(rows, handle) -> None:
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    writer = csv.writer(text)
    writer.writerow(["id", "rank", "upl_uri", "upl_label", "score"])
    for ident, rank, uri, label, score in rows:
        writer.writerow([ident, rank, uri, label, f"{score:.4f}"])
    text.flush()
    text.detach()


# ---------------------------------------------------------------------------------------------- comparing
@dataclass
class CompareReport:
    result: dict
    suggested_rows: int
    withdrawn_tags: int


def compare_catalog(
    path: str | Path, group_by: str, *, progress: Progress = None, upl_file: str | Path | None = None
) -> CompareReport:
    """Compare the catalogues of the organisations in an SC-style CSV (see ``analysis.compare``)."""
    table = read_csv(path, required=("title",))
    if group_by not in table.columns:
        raise BadInput(f"{table.path}, regel 1: kolom '{group_by}' (--group-by) ontbreekt.")
    has_tags = "upl_uri" in table.columns
    catalogues: dict[str, dict[str, Offering]] = {}
    to_suggest: list[tuple[str, dict]] = []
    labels: dict[str, str] = {}
    for line, row in table.rows:
        org = (row.get(group_by) or "").strip()
        if not org:
            raise BadInput(f"{table.path}, regel {line}: lege waarde in kolom '{group_by}'.")
        catalogues.setdefault(org, {})
        tags = []
        if has_tags:
            raw = [repair_uri(t) for t in (row.get("upl_uri") or "").split("|") if t.strip()]
            tags = [t for t in raw if not is_placeholder(t)]
            names = [n.strip() for n in (row.get("upl_label") or "").split("|")]
            if len(names) == len(raw):
                for t, n in zip(raw, names):
                    if n and not is_placeholder(t):
                        labels.setdefault(t, n)
        if tags:
            for uri in dict.fromkeys(tags):
                _offer(catalogues[org], uri, row)
        else:
            if not (row.get("title") or "").strip():
                raise BadInput(f"{table.path}, regel {line}: lege titel en geen UPL-naam.")
            to_suggest.append((org, row))
    matcher = None
    try:
        matcher = load_matcher(upl_file)
    except HarmonieError:
        if to_suggest:
            raise
    withdrawn = 0
    if matcher is not None:
        for entry in matcher.entries:
            labels[entry.uri] = entry.label
        known = set(matcher.index)
        withdrawn = sum(1 for cat in catalogues.values() for uri in cat if uri not in known)
    if to_suggest:
        suggestions = matcher.suggest_many(
            [r["title"] for _, r in to_suggest],
            [(r.get("abstract") or "")[:MAX_ABSTRACT] for _, r in to_suggest],
            [r.get("audience") or "" for _, r in to_suggest],
            k=1,
            progress=progress,
        )
        for (org, row), sug in zip(to_suggest, suggestions):
            if sug:
                _offer(catalogues[org], sug[0][0], row)
    result = compare_catalogues(catalogues, labels).as_dict()
    return CompareReport(result=result, suggested_rows=len(to_suggest), withdrawn_tags=withdrawn)


def _offer(catalogue: dict[str, Offering], uri: str, row: dict) -> None:
    offering = catalogue.setdefault(uri, Offering())
    offering.audiences |= normalise_audience(row.get("audience"))
    online = (row.get("onlineAanvragen") or "").strip().lower()
    if online:
        offering.online[online] += 1
    offering.titles.append(row.get("title") or "")
