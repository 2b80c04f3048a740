"""The product matrix of a workspace: reading catalogues and mappings, caching, filters and exports.

``product_matrix(workspace)`` reads every partner's products and their *effective* UPL names in a fixed, small
number of queries (independent of the number of partners) and builds ``analysis.matrix.ProductMatrix``:

* effective UPL names of a product: its confirmed/overridden mappings if any, else the tags from the source
  (origin ``bron``), else its rank-1 suggestion — but only when that suggestion's calibrated score is at least
  ``settings.HARMONIE_MATRIX_MIN_SCORE`` (default 0.5: the suggestion is then more likely right than wrong, see
  docs/producten-upl.md). Products below it are "nog niet gekoppeld" (``ProductMatrix.unlinked``): they count
  for no UPL product until someone confirms them on the partner's catalogue page. ``harmonie catalog compare``
  keeps taking the rank-1 suggestion however weak (its contract);
* what the UPL says (label, legal basis, burger/bedrijf, end date) from the current UPL reference version.

The result is cached per process and in Django's shared cache (so one process builds it once for all web and job
processes), keyed by a cheap fingerprint of the workspace's data (counts, id sums and the
newest change times of records and mappings, the partner names and the current UPL version), so a page view
after the first costs a handful of aggregate queries. ``workspace_harmonisation`` is the hook the diagnosis
uses (``diagnosis.measures.products_measure``).
"""

from __future__ import annotations

import csv
import gc
import io
import hashlib
import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Sum

from harmonie.core.spreadsheet import safe_row

from ..analysis.matrix import (
    ATTRIBUTES, FORMULA_NL, Definition, ProductMatrix, ProductRow, UplInfo, build_matrix, pair_matrix,
)

__all__ = [
    "FORMULA_NL", "product_matrix", "clear_matrix_cache", "workspace_harmonisation", "filter_products",
    "matrix_fingerprint", "min_score", "DEFAULT_MIN_SCORE",
    "export_matrix_xlsx", "export_matrix_csv", "CSV_TABLES", "pair_matrix", "AUDIENCE_FILTERS", "OFFERED_FILTERS",
]

CONFIRMED_ORIGINS = ("bevestigd", "overschreven")
DEFAULT_MIN_SCORE = 0.5


def min_score() -> float:
    """The calibrated score an unconfirmed rank-1 suggestion needs to count in the workspace matrix."""
    return float(getattr(settings, "HARMONIE_MATRIX_MIN_SCORE", DEFAULT_MIN_SCORE))
_CACHE_SIZE = 16
SHARED_CACHE_SECONDS = 24 * 3600
_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()


def matrix_fingerprint(workspace, partners: list[tuple[int, str]] | None = None) -> tuple:
    """Cheap summary that changes whenever anything the matrix shows changes (4 small queries)."""
    from harmonie.reference.models import ReferenceVersion

    from ..models import ProductMapping, ProductRecord

    if partners is None:
        partners = list(workspace.partners.order_by("pk").values_list("pk", "name"))
    records = ProductRecord.objects.filter(workspace=workspace).aggregate(
        n=Count("id"), s=Sum("id"), m=Max("updated_at"))
    mappings = ProductMapping.objects.filter(product__workspace=workspace).aggregate(
        n=Count("id"), s=Sum("id"), m=Max("id"), c=Max("confirmed_at"))
    upl = ReferenceVersion.objects.filter(kind="upl", is_current=True).values_list("pk", flat=True).first()
    return (tuple(partners), records["n"], records["s"], str(records["m"]), mappings["n"], mappings["s"],
            mappings["m"], str(mappings["c"]), min_score(), upl)


def _effective(mappings: list[tuple], threshold: float = 0.0) -> list[tuple]:
    """The mappings that count for a product: confirmed/overridden, else source tags, else the rank-1 suggestion
    when its score is at least ``threshold`` (a suggestion without a score counts only with threshold 0)."""
    confirmed = [m for m in mappings if m[1] in CONFIRMED_ORIGINS]
    if confirmed:
        return confirmed
    source = [m for m in mappings if m[1] == "bron"]
    if source:
        return source
    suggestions = sorted((m for m in mappings if m[1] == "suggestie"), key=lambda m: m[2])[:1]
    if threshold > 0:
        suggestions = [m for m in suggestions if m[3] is not None and m[3] >= threshold]
    return suggestions


def _upl_info(uris: set[str], upl_version: int | None, fallback_labels: dict[str, str],
              withdrawn: set[str]) -> dict[str, UplInfo]:
    from harmonie.reference.models import UplProduct

    info: dict[str, UplInfo] = {}
    if upl_version is not None and uris:
        rows = UplProduct.objects.filter(version_id=upl_version, uri__in=sorted(uris)).values_list(
            "uri", "label", "legal_basis", "burger", "bedrijf", "end_date", "sdg")
        from datetime import date

        today = date.today()
        for uri, label, legal, burger, bedrijf, end, sdg in rows:
            bases = tuple(dict.fromkeys(
                (b.get("label") or b.get("uri") or "") if isinstance(b, dict) else str(b) for b in (legal or [])))
            info[uri] = UplInfo(label=label, legal_basis=tuple(b for b in bases if b), burger=burger,
                                bedrijf=bedrijf, withdrawn=bool(end and end <= today) or uri in withdrawn, sdg=sdg)
    for uri in uris - set(info):
        info[uri] = UplInfo(label=fallback_labels.get(uri, ""), withdrawn=uri in withdrawn)
    return info


def _compute(workspace, partners: list[tuple[int, str]], upl_version) -> ProductMatrix:
    from ..models import ProductMapping, ProductRecord

    names = dict(partners)
    by_product: dict[int, list[tuple]] = {}
    labels: dict[str, str] = {}
    withdrawn: set[str] = set()
    threshold = min_score()
    for product_id, uri, origin, rank, label, is_withdrawn, score in ProductMapping.objects.filter(
            product__workspace=workspace).values_list("product_id", "upl_uri", "origin", "rank", "upl_label",
                                                      "withdrawn", "score").order_by("product_id", "id"):
        by_product.setdefault(product_id, []).append((uri, origin, rank, score))
        if label:
            labels.setdefault(uri, label)
        if is_withdrawn:
            withdrawn.add(uri)
    catalogues: dict[str, dict[str, Definition]] = {names[pk]: {} for pk, _ in partners}
    records = ProductRecord.objects.filter(workspace=workspace).order_by("id").values_list(
        "id", "partner_id", "title", "audience", "online_request", "lead_time", "fees", "subject")
    unlinked: list[dict] = []
    for pk, partner_id, title, audience, online, lead_time, fees, subject in records.iterator(chunk_size=5000):
        partner = names.get(partner_id, str(partner_id))
        catalogue = catalogues.setdefault(partner, {})
        audience = audience if isinstance(audience, list) else [str(audience or "")]
        mappings = by_product.get(pk, [])
        effective = _effective(mappings, threshold)
        if not effective:
            best = min((m for m in mappings if m[1] == "suggestie"), key=lambda m: m[2], default=None)
            unlinked.append({"partner": partner, "partner_id": partner_id, "product_id": pk, "title": title,
                             "suggestion": (labels.get(best[0]) or best[0]) if best else "",
                             "score": best[3] if best else None})
        for uri in dict.fromkeys(m[0] for m in effective):
            catalogue.setdefault(uri, Definition()).add(
                title=title, audience=audience, online=online, lead_time=lead_time, fees=fees, subject=subject)
    uris = {uri for catalogue in catalogues.values() for uri in catalogue}
    upl = _upl_info(uris, upl_version, labels, withdrawn)
    matrix = build_matrix(catalogues, upl, all_partners=list(names.values()))
    unlinked.sort(key=lambda item: (item["partner"].casefold(), item["title"].casefold()))
    matrix.unlinked = unlinked
    matrix.min_score = threshold
    return matrix


def product_matrix(workspace, *, use_cache: bool = True) -> ProductMatrix:
    """The product matrix of the workspace (cached per process while its data is unchanged)."""
    partners = list(workspace.partners.order_by("pk").values_list("pk", "name"))
    fingerprint = matrix_fingerprint(workspace, partners)
    key = workspace.pk
    if use_cache:
        with _lock:
            hit = _cache.get(key)
            if hit is not None and hit[0] == fingerprint:
                _cache.move_to_end(key)
                return hit[1]
    # Other processes (web workers, the job worker) may have built it already: the shared cache holds the
    # pickled matrix under a key that includes the fingerprint, so a stale entry can never be served.
    shared_key = f"products-matrix:{workspace.pk}:" + hashlib.sha256(repr(fingerprint).encode()).hexdigest()
    matrix = cache.get(shared_key) if use_cache else None
    if matrix is None:
        # The computation makes many small objects and keeps them: the cyclic garbage collector would run often
        # and find nothing (a third of the time on 30 partners), so it waits until the matrix is built.
        collecting = gc.isenabled()
        gc.disable()
        try:
            matrix = _compute(workspace, partners, fingerprint[-1])
        finally:
            if collecting:
                gc.enable()
        cache.set(shared_key, matrix, SHARED_CACHE_SECONDS)
    with _lock:
        _cache[key] = (fingerprint, matrix)
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return matrix


def clear_matrix_cache() -> None:
    with _lock:
        _cache.clear()


def workspace_harmonisation(workspace) -> dict | None:
    """The diagnosis hook: ``{"organisations", "pairs": [{"a", "b", "harmonisation_index", "shared_products"}],
    "products": [{"upl_uri", "upl_label", "organisations"}]}`` with partner names, as ``harmonie catalog
    compare`` writes it; ``None`` when no partner has a catalogue yet."""
    matrix = product_matrix(workspace)
    if not matrix.partners:
        return None
    return matrix.as_comparison()


# ---------------------------------------------------------------------------------------------- filters
AUDIENCE_FILTERS = ("particulier", "ondernemer")
OFFERED_FILTERS = ("gedeeld", "iedereen", "uniek")


def filter_products(matrix: ProductMatrix, *, subject: str = "", audience: str = "", only_differences: bool = False,
                    offered: str = "", query: str = "") -> list[ProductRow]:
    """The matrix rows matching the filters (all optional):

    * ``subject``: a partner files the product under this subject;
    * ``audience``: ``particulier`` or ``ondernemer`` — a partner offers it to that audience;
    * ``only_differences``: the offering partners define it differently, or not every partner offers it;
    * ``offered``: ``gedeeld`` (2 or more partners), ``iedereen`` (all partners), ``uniek`` (one partner);
    * ``query``: text in the UPL name or a local title."""
    rows = matrix.products
    n = len(matrix.partners)
    if subject:
        rows = [r for r in rows if subject in r.subjects]
    if audience in AUDIENCE_FILTERS:
        rows = [r for r in rows if audience in r.audiences()]
    if only_differences:
        rows = [r for r in rows if r.has_differences or len(r.partners) < n]
    if offered == "gedeeld":
        rows = [r for r in rows if len(r.partners) >= 2]
    elif offered == "iedereen":
        rows = [r for r in rows if len(r.partners) == n]
    elif offered == "uniek":
        rows = [r for r in rows if len(r.partners) == 1]
    text = (query or "").strip().casefold()
    if text:
        rows = [r for r in rows if text in r.label.casefold()
                or any(text in t.casefold() for c in r.cells.values() for t in c.titles)]
    return rows


# ---------------------------------------------------------------------------------------------- exports
def _tables(matrix: ProductMatrix) -> dict[str, tuple[str, list[str], list[list]]]:
    """Every view as (sheet title, header, rows); keys are the ``tabel`` values of the CSV export."""
    attrs = [a for a, _ in ATTRIBUTES]
    yes = lambda flag: "ja" if flag else "nee"  # noqa: E731
    matrix_rows = [[r.uri, r.label, len(r.partners), r.index, yes(r.has_differences)]
                   + [" | ".join(r.cells[p].titles) if p in r.cells else "" for p in matrix.partners]
                   for r in matrix.products]
    products = [[r.uri, r.label, len(r.partners), r.coverage, r.agreement, r.index]
                + [yes(r.differences[a]) for a in attrs]
                + [" | ".join(r.upl.legal_basis), yes(r.upl.withdrawn), " | ".join(r.subjects),
                   " | ".join(r.partners)]
                for r in matrix.products]
    definitions = []
    for r in matrix.products:
        for p in r.partners:
            cell = r.cells[p]
            definitions.append([r.uri, r.label, p, " | ".join(cell.titles)] + [cell.values[a] for a in attrs]
                               + [yes(cell.differs[a]) for a in attrs])
    pairs = [[p["a"], p["b"], p["harmonisation_index"], p["shared_products"]] for p in matrix.pairs]
    partner_rows = [[p, matrix.sizes.get(p, 0), matrix.partner_index.get(p)] for p in matrix.partners]
    proposals = []
    for r in matrix.shared_products:
        for v in r.proposal.values:
            if not v.value:
                continue
            movers = sorted({c.partner for c in r.proposal.changes if c.attribute == v.attribute})
            proposals.append([r.uri, r.label, r.proposal.title, v.attribute_label, v.value, v.support, v.known,
                              yes(v.tie), " | ".join(movers)])
    changes = [[c.partner, r.uri, r.label, c.attribute_label, c.kind, c.current, c.proposed]
               for r in matrix.shared_products for c in r.proposal.changes]
    changes.sort(key=lambda row: (row[0].casefold(), row[2].casefold()))
    unique = [[r.partners[0], r.uri, r.label, " | ".join(r.cells[r.partners[0]].titles)]
              for r in matrix.unique_products]
    unique.sort(key=lambda row: (row[0].casefold(), row[2].casefold()))
    labels = [label for _a, label in ATTRIBUTES]
    unlinked = [[u["partner"], u["title"], u["suggestion"], u["score"]] for u in matrix.unlinked]
    return {
        "matrix": ("Matrix", ["UPL-URI", "uniforme productnaam", "aantal partners", "productindex",
                              "definities verschillen", *matrix.partners], matrix_rows),
        "producten": ("Producten", ["UPL-URI", "uniforme productnaam", "aantal partners", "dekking",
                                    "overeenkomst definities", "productindex",
                                    *[f"verschil {label}" for label in labels], "wettelijke grondslag",
                                    "ingetrokken", "onderwerpen", "partners"], products),
        "definities": ("Definities", ["UPL-URI", "uniforme productnaam", "partner", "lokale titels",
                                      *labels, *[f"wijkt af: {label}" for label in labels]], definitions),
        "paren": ("Paren", ["partner A", "partner B", "harmonisatie-index", "gedeelde producten"], pairs),
        "partners": ("Partners", ["partner", "UPL-producten", "partnerindex"], partner_rows),
        "voorstellen": ("Voorstellen", ["UPL-URI", "uniforme productnaam", "voorgestelde titel", "kenmerk",
                                        "voorstel", "partners met deze waarde", "partners met een waarde",
                                        "gelijkspel", "partners die wijzigen"], proposals),
        "wijzigingen": ("Wijzigingen per partner", ["partner", "UPL-URI", "uniforme productnaam", "kenmerk",
                                                    "soort", "nu", "voorstel"], changes),
        "uniek": ("Unieke producten", ["partner", "UPL-URI", "uniforme productnaam", "lokale titels"], unique),
        "niet-gekoppeld": ("Nog niet gekoppeld", ["partner", "lokale titel", "beste suggestie",
                                                  "zekerheid suggestie"], unlinked),
    }


CSV_TABLES = ("matrix", "producten", "definities", "paren", "partners", "voorstellen", "wijzigingen", "uniek",
              "niet-gekoppeld")



def export_matrix_xlsx(workspace) -> bytes:
    """One sheet per view (matrix, products with index, definitions, pairs, partners, proposals, changes per
    partner, unique products) and a sheet with the formula; text that could start a formula is neutralised."""
    from openpyxl import Workbook

    matrix = product_matrix(workspace)
    book = Workbook(write_only=True)  # streams rows: several times faster than the normal mode
    for title, header, rows in _tables(matrix).values():
        sheet = book.create_sheet(title[:31])
        sheet.freeze_panes = "A2"
        sheet.append(safe_row(header))
        for row in rows:
            sheet.append(safe_row(row))
    about = book.create_sheet("Formule")
    about.append(["Harmonisatie-index"])
    about.append(safe_row([FORMULA_NL]))
    about.append(["Index samenwerkingsverband", matrix.index])
    about.append(["Minimale zekerheid van een niet-bevestigde suggestie", matrix.min_score])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_matrix_csv(workspace, table: str = "matrix") -> bytes:
    """One view as CSV (UTF-8 with BOM so spreadsheet programs read the accents; formula text neutralised)."""
    if table not in CSV_TABLES:
        from harmonie.core.errors import BadInput

        raise BadInput(f"Onbekende tabel '{table}'; kies uit: {', '.join(CSV_TABLES)}.")
    _title, header, rows = _tables(product_matrix(workspace))[table]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
