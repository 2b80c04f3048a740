"""Overlap of partner application portfolios per GEMMA referentiecomponent.

Input: a list of ``Usage`` records (one application of one partner mapped to
one referentiecomponent). Output per component: the partners, the distinct
applications (1 = harmonised), shared suppliers, costs side by side and the
common contract window: the first day on which no partner is bound by a
contract for that component (the day after the latest contract end), or
``None`` when an end date is unknown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal


@dataclass(frozen=True)
class Usage:
    partner: str
    application: str
    component_id: str  # GEMMA Object ID
    component_name: str
    contract_end: date | None = None
    supplier: str = ""
    product: str = ""
    yearly_cost: Decimal | None = None
    users: int | None = None


@dataclass
class PartnerCell:
    partner: str
    applications: list[str] = field(default_factory=list)
    suppliers: list[str] = field(default_factory=list)
    yearly_cost: Decimal | None = None
    users: int | None = None
    contract_end: date | None = None  # latest known end of this partner's contracts for the component
    end_unknown: bool = False

    @property
    def count(self) -> int:
        return len(self.applications)


@dataclass
class ComponentOverlap:
    component_id: str
    component_name: str
    partners: list[str]
    applications: list[str]
    cells: dict[str, PartnerCell]
    shared_suppliers: list[str]
    common_window_from: date | None
    total_cost: Decimal | None

    @property
    def distinct_applications(self) -> int:
        return len(self.applications)

    @property
    def harmonised(self) -> bool:
        return len(self.applications) == 1 and len(self.partners) > 1


def common_window(ends: list[date | None]) -> date | None:
    """The day after the latest contract end; ``None`` when any end is unknown (or there are none)."""
    if not ends or any(end is None for end in ends):
        return None
    return max(ends) + timedelta(days=1)


def _unique(values) -> list[str]:
    seen, out = set(), []
    for value in values:
        if value and value not in seen:
            seen.add(value)
            out.append(value)
    return out


def overlap(usages: list[Usage]) -> list[ComponentOverlap]:
    """One ``ComponentOverlap`` per referentiecomponent that has at least one application, by name."""
    by_component: dict[str, list[Usage]] = defaultdict(list)
    for usage in usages:
        by_component[usage.component_id].append(usage)
    result = []
    for component_id, rows in by_component.items():
        cells: dict[str, PartnerCell] = {}
        for row in rows:
            cell = cells.setdefault(row.partner, PartnerCell(partner=row.partner))
            if row.application not in cell.applications:
                cell.applications.append(row.application)
            if row.supplier and row.supplier not in cell.suppliers:
                cell.suppliers.append(row.supplier)
            if row.yearly_cost is not None:
                cell.yearly_cost = (cell.yearly_cost or Decimal(0)) + Decimal(row.yearly_cost)
            if row.users is not None:
                cell.users = (cell.users or 0) + row.users
            if row.contract_end is None:
                cell.end_unknown = True
            elif cell.contract_end is None or row.contract_end > cell.contract_end:
                cell.contract_end = row.contract_end
        supplier_partners: dict[str, set] = defaultdict(set)
        for cell in cells.values():
            for supplier in cell.suppliers:
                supplier_partners[supplier.casefold()].add(cell.partner)
        shared = sorted({s for cell in cells.values() for s in cell.suppliers
                         if len(supplier_partners[s.casefold()]) > 1}, key=str.casefold)
        costs = [c.yearly_cost for c in cells.values() if c.yearly_cost is not None]
        result.append(ComponentOverlap(
            component_id=component_id,
            component_name=rows[0].component_name,
            partners=sorted(cells, key=str.casefold),
            applications=sorted(_unique(r.application for r in rows), key=str.casefold),
            cells=cells,
            shared_suppliers=shared,
            common_window_from=common_window([r.contract_end for r in rows]),
            total_cost=sum(costs, Decimal(0)) if costs else None,
        ))
    result.sort(key=lambda c: (c.component_name.casefold(), c.component_id))
    return result


def heat_level(distinct: int, partners: int) -> str:
    """A CSS-friendly level for the heatmap: how much redundancy there is across partners."""
    if partners <= 1:
        return "single"
    if distinct <= 1:
        return "harmonised"
    if distinct < partners:
        return "partial"
    return "divergent"
