"""Harvester: fetch one municipality's catalogue from the national SC search service (SRU).

The request is ``<base>?version=1.2&operation=searchRetrieve&x-connection=sc&query=authority=="<name>"
&startRecord=<n>&maximumRecords=<m>``; the harvester follows ``nextRecordPosition`` until the service gives
none (or the records run out). Every response is size-limited, parsed with the hardened XML helpers, and
every network problem becomes a Dutch ``BadInput`` message that names the page and the URL.
"""

from __future__ import annotations

import hashlib
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from harmonie.core.errors import BadInput

from .base import Catalogue
from .sc import Accept, parse_sru

DEFAULT_PAGE_SIZE = 100
MAX_PAGES = 1000
USER_AGENT = "Harmonie-catalogusophaler/1.0"


def page_url(base_url: str, authority: str, start: int, size: int) -> str:
    parts = urllib.parse.urlsplit(base_url)
    query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    query.update({
        "version": query.get("version", "1.2"), "operation": "searchRetrieve",
        "x-connection": query.get("x-connection", "sc"),
        "query": f'authority=="{authority}"', "startRecord": str(start), "maximumRecords": str(size),
    })
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def fetch(url: str, *, timeout: float, max_bytes: int, page: int) -> bytes:
    """GET ``url``; at most ``max_bytes``; Dutch messages for HTTP errors, timeouts and unreachable hosts."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise BadInput(f"Het adres van de zoekdienst moet met http:// of https:// beginnen ({url}).")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/xml, text/xml"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise BadInput(f"De zoekdienst stuurde op pagina {page} een te groot antwoord ({int(length):,} "
                               f"bytes; maximaal {max_bytes:,}).".replace(",", "."))
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise BadInput(f"De zoekdienst antwoordde op pagina {page} met HTTP-fout {exc.code} ({exc.reason}) voor "
                       f"{url}.") from exc
    except (TimeoutError, socket.timeout) as exc:
        raise BadInput(f"De zoekdienst antwoordde op pagina {page} niet binnen {timeout:g} seconden ({url}).") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise BadInput(f"De zoekdienst antwoordde op pagina {page} niet binnen {timeout:g} seconden "
                           f"({url}).") from exc
        raise BadInput(f"De zoekdienst is niet bereikbaar ({reason}) op {url}.") from exc
    except OSError as exc:
        raise BadInput(f"De verbinding met de zoekdienst brak af op pagina {page} ({exc}).") from exc
    if len(data) > max_bytes:
        raise BadInput(f"De zoekdienst stuurde op pagina {page} een te groot antwoord (meer dan {max_bytes:,} "
                       f"bytes).".replace(",", "."))
    if not data.strip():
        raise BadInput(f"De zoekdienst stuurde op pagina {page} een leeg antwoord ({url}).")
    return data


def harvest(base_url: str, authority: str, *, accept: Accept | None = None, page_size: int = DEFAULT_PAGE_SIZE,
            timeout: float = 30.0, max_bytes: int = 50 * 1024 * 1024, max_pages: int = MAX_PAGES,
            progress: Callable[[int, int | None], None] | None = None) -> Catalogue:
    """All SC products of ``authority`` from the SRU service at ``base_url``, page by page."""
    authority = (authority or "").strip()
    if not authority:
        raise BadInput("Geef de naam van de organisatie zoals de zoekdienst die kent (bijvoorbeeld 'Vlieland').")
    if '"' in authority or "\\" in authority:
        raise BadInput(f"De organisatienaam '{authority}' mag geen aanhalingstekens of backslashes bevatten.")
    rows, skipped, seen_positions = [], 0, set()
    digest = hashlib.sha256()
    start, total = 1, None
    for page in range(1, max_pages + 1):
        url = page_url(base_url, authority, start, page_size)
        data = fetch(url, timeout=timeout, max_bytes=max_bytes, page=page)
        digest.update(data)
        try:
            result = parse_sru(data, f"antwoord pagina {page} ({url})", accept, offset=start - 1)
        except BadInput as exc:
            raise BadInput(f"De zoekdienst gaf een onbruikbaar antwoord: {exc.message}") from exc
        if result.number_of_records is None:
            raise BadInput(f"De zoekdienst gaf op pagina {page} een antwoord zonder numberOfRecords ({url}).")
        total = result.number_of_records
        for row in result.rows:
            if row.line in seen_positions:
                raise BadInput(f"De zoekdienst gaf record {row.line} twee keer (pagina {page}); de paginering klopt "
                               f"niet.")
            seen_positions.add(row.line)
        rows.extend(result.rows)
        skipped += result.skipped_other
        if progress:
            progress(len(rows) + skipped, total)
        next_position = result.next_position
        if next_position is None:
            # Some services leave nextRecordPosition out on the last page only; be strict about gaps.
            fetched = start - 1 + len(result.rows) + result.skipped_other
            if fetched < total and result.rows:
                next_position = fetched + 1
            else:
                break
        if next_position <= start:
            raise BadInput(f"De zoekdienst gaf op pagina {page} nextRecordPosition {next_position}, niet na "
                           f"startRecord {start}; het ophalen is gestopt.")
        start = next_position
    else:
        raise BadInput(f"Het ophalen is gestopt na {max_pages} pagina's; de zoekdienst blijft pagina's geven.")
    if not rows:
        raise BadInput(f"De zoekdienst vond geen producten voor '{authority}' ({base_url}). Controleer de "
                       f"organisatienaam.")
    if total is not None and len(rows) + skipped < total:
        raise BadInput(f"De zoekdienst meldt {total} records voor '{authority}', maar gaf er {len(rows) + skipped}; "
                       f"er is niets geïmporteerd.")
    return Catalogue(name=f"zoekdienst: {authority}", format="harvest", rows=rows, file_sha256=digest.hexdigest(),
                     where="record", skipped_other=skipped)
