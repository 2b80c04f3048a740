"""What every portfolio importer returns: plain rows (no Django), with the line they came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from harmonie.core.errors import BadInput

from ..analysis.dates import DateError, parse_date

SEPARATOR = " | "

# field → accepted column names (lower case); the first is the canonical name.
COLUMNS = {
    "partner": ["partner", "gemeente", "organisatie"],
    "application": ["application", "applicatie", "applicatienaam", "naam"],
    "supplier": ["supplier", "leverancier"],
    "product": ["product", "product/versie", "pakket"],
    "version": ["version", "versie"],
    "referentiecomponent": ["referentiecomponent", "referentiecomponenten", "gemma-referentiecomponent",
                            "gemma referentiecomponent"],
    "contract_end": ["contract_end", "contract einddatum", "einddatum contract", "contract_einddatum",
                     "einddatum"],
    "yearly_cost": ["yearly_cost", "kosten per jaar", "jaarlijkse kosten", "kosten"],
    "users": ["users", "gebruikers", "aantal gebruikers"],
    "hosting": ["hosting"],
}
REQUIRED = ("application",)


@dataclass
class PortfolioRow:
    line: int
    application: str
    partner: str = ""
    supplier: str = ""
    product: str = ""
    version: str = ""
    components: list[str] = field(default_factory=list)
    contract_end: date | None = None
    yearly_cost: Decimal | None = None
    users: int | None = None
    hosting: str = ""


@dataclass
class Portfolio:
    name: str
    format: str
    rows: list[PortfolioRow]
    file_sha256: str = ""


def clean(value) -> str:
    return re.sub(r"\s+", " ", str(value if value is not None else "")).strip()


def split_components(value) -> list[str]:
    """'A | B' → ['A', 'B'] (also 'A|B'); empty → []."""
    return [part.strip() for part in str(value or "").split("|") if part.strip()]


def resolve_columns(header: list[str], mapping: dict | None, name: str) -> dict[str, int]:
    """field → column index, from an explicit mapping (field → column name) or the known column names."""
    lowered = [clean(h).lower() for h in header]
    found: dict[str, int] = {}
    for fieldname, aliases in COLUMNS.items():
        wanted = (mapping or {}).get(fieldname)
        if wanted:
            key = clean(wanted).lower()
            if key not in lowered:
                raise BadInput(f"Bestand '{name}', regel 1: kolom '{wanted}' (voor '{fieldname}') ontbreekt; "
                               f"gevonden: {', '.join(repr(h) for h in header if h) or '(geen)'}.")
            found[fieldname] = lowered.index(key)
            continue
        for alias in aliases:
            if alias in lowered:
                found[fieldname] = lowered.index(alias)
                break
    missing = [f for f in REQUIRED if f not in found]
    if missing:
        raise BadInput(f"Bestand '{name}', regel 1: kolom '{missing[0]}' ontbreekt (of geef een kolomkoppeling); "
                       f"gevonden: {', '.join(repr(h) for h in header if h) or '(geen)'}.")
    return found


MAX_COST = Decimal(10) ** 12  # the column holds 14 digits, 2 of them after the decimal point
MAX_USERS = 2 ** 31 - 1


def parse_cost(value, name: str, line: int) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        text = str(value)
    else:
        text = clean(value).replace("€", "").replace("EUR", "").replace(" ", "")
    if not text or text == "-":
        return None
    if "," in text:  # Dutch: 12.500,50
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise BadInput(f"Bestand '{name}', regel {line}: kosten '{value}' zijn geen bedrag.") from exc
    if not amount.is_finite():
        raise BadInput(f"Bestand '{name}', regel {line}: kosten '{value}' zijn geen bedrag.")
    if abs(amount) >= MAX_COST:
        raise BadInput(f"Bestand '{name}', regel {line}: kosten '{value}' zijn te groot (maximaal "
                       f"{MAX_COST - 1} euro per jaar).")
    if amount < 0:
        raise BadInput(f"Bestand '{name}', regel {line}: kosten '{value}' zijn negatief.")
    return amount.quantize(Decimal("0.01"))


def parse_users(value, name: str, line: int) -> int | None:
    if value is None or clean(value) == "":
        return None
    text = clean(value).replace(".", "")
    try:
        number = int(value) if isinstance(value, float) else int(text)
    except (ValueError, OverflowError) as exc:
        raise BadInput(f"Bestand '{name}', regel {line}: aantal gebruikers '{value}' is geen geheel getal.") from exc
    if number < 0:
        raise BadInput(f"Bestand '{name}', regel {line}: aantal gebruikers '{value}' is negatief.")
    if number > MAX_USERS:
        raise BadInput(f"Bestand '{name}', regel {line}: aantal gebruikers '{value}' is te groot.")
    return number


def parse_end(value, name: str, line: int) -> date | None:
    try:
        return parse_date(value)
    except DateError as exc:
        raise BadInput(f"Bestand '{name}', regel {line}: contract-einddatum {exc}.") from exc


def build_row(cells: list, columns: dict[str, int], name: str, line: int) -> PortfolioRow | None:
    def get(fieldname):
        index = columns.get(fieldname)
        return cells[index] if index is not None and index < len(cells) else None

    if all(clean(c) == "" for c in cells):
        return None
    application = clean(get("application"))
    if not application:
        raise BadInput(f"Bestand '{name}', regel {line}: veld 'application' (applicatienaam) is leeg.")
    return PortfolioRow(
        line=line, application=application, partner=clean(get("partner")), supplier=clean(get("supplier")),
        product=clean(get("product")), version=clean(get("version")),
        components=split_components(get("referentiecomponent")),
        contract_end=parse_end(get("contract_end"), name, line),
        yearly_cost=parse_cost(get("yearly_cost"), name, line), users=parse_users(get("users"), name, line),
        hosting=clean(get("hosting")),
    )
