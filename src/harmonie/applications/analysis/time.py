"""TIME proposals (Tolerate, Invest, Migrate, Eliminate) across partners.

Not application by application: a proposal looks at the whole referentiecomponent
over all partners. Per component with more than one partner the application used
by most partners (then most users, then lowest cost) is the candidate standard:
it gets *Invest*; the other partners' applications get *Migrate* to it, from the
day their contract ends. A second application of the same partner for the same
component gets *Eliminate*. A component used by one partner only gets *Tolerate*.

Refinement for suites with several modules per component: every application used by
two or more partners is *Invest* (shared); an application only one partner uses
gets *Migrate* to the most shared application that partner does not use yet; if
the partner already has all shared ones, the application is a local addition
(*Tolerate*), unless the partner has more applications for the component than
any other partner: the surplus gets *Eliminate*.

A consolidation (Migrate) only makes sense once the processes and products it
serves are harmonised (lesson L3: IT must not be the crowbar). When that
harmonisation is not done, the proposal is marked ``waits_for`` with what it
waits for, and its reasons say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .overlap import ComponentOverlap

TOLERATE, INVEST, MIGRATE, ELIMINATE = "tolerate", "invest", "migrate", "eliminate"
LABELS = {TOLERATE: "Tolereren", INVEST: "Investeren", MIGRATE: "Migreren", ELIMINATE: "Elimineren"}


@dataclass(frozen=True)
class Harmonisation:
    """What a consolidation on one component depends on, and whether it is done."""

    subject: str  # e.g. "procesharmonisatie Vergunningverlening"
    done: bool = False


@dataclass
class Proposal:
    partner: str
    application: str
    component_id: str
    component_name: str
    action: str
    reasons: list[str] = field(default_factory=list)
    target: str = ""  # the application to migrate to
    waits_for: str = ""  # the harmonisation this consolidation waits for ("" = nothing)
    earliest: date | None = None  # first day the contract allows the change

    @property
    def label(self) -> str:
        return LABELS[self.action]

    @property
    def is_consolidation(self) -> bool:
        return self.action in (MIGRATE, ELIMINATE) and bool(self.target)


def _fmt(day: date) -> str:
    """1-1-2031: the same short form as the contract tables on the pages."""
    return f"{day.day}-{day.month}-{day.year}"


def _contract_until(day: date | None) -> str:
    return f"Contract loopt tot {_fmt(day)}" if day else "Einddatum van het contract onbekend"


def _standard(component: ComponentOverlap) -> str:
    """The application used by most partners; ties: most users, lowest cost, then name."""
    def score(app):
        partners = [c for c in component.cells.values() if app in c.applications]
        users = sum((c.users or 0) for c in partners)
        cost = sum(float(c.yearly_cost or 0) for c in partners)
        return (-len(partners), -users, cost, app.casefold())

    return min(component.applications, key=score)


def proposals(components: list[ComponentOverlap], harmonisation: dict[str, Harmonisation] | None = None,
              default_subject: str = "proces- en productharmonisatie") -> list[Proposal]:
    harmonisation = harmonisation or {}
    result: list[Proposal] = []
    for component in components:
        partners = len(component.partners)
        dependency = harmonisation.get(component.component_id) or Harmonisation(
            f"{default_subject} voor {component.component_name}")
        if partners <= 1:
            for cell in component.cells.values():
                for app in cell.applications:
                    reasons = ["Alleen deze partner gebruikt een applicatie voor deze referentiecomponent: "
                               "geen overlap tussen partners."]
                    action = TOLERATE
                    if len(cell.applications) > 1 and app != cell.applications[0]:
                        action = ELIMINATE
                        reasons = [f"Deze partner heeft {len(cell.applications)} applicaties voor dezelfde "
                                   f"referentiecomponent; '{cell.applications[0]}' dekt hem al."]
                    result.append(Proposal(cell.partner, app, component.component_id, component.component_name,
                                           action, reasons, target=cell.applications[0] if action == ELIMINATE
                                           else "", earliest=cell.contract_end))
            continue
        used_by = {app: [c.partner for c in component.cells.values() if app in c.applications]
                   for app in component.applications}
        shared = sorted((a for a in component.applications if len(used_by[a]) >= 2),
                        key=lambda a: (-len(used_by[a]), a.casefold()))
        standard = shared[0] if shared else _standard(component)
        window = (f"gezamenlijk venster vanaf {_fmt(component.common_window_from)}" if component.common_window_from
                  else "gezamenlijk venster nog niet te bepalen (een einddatum ontbreekt)")
        for cell in sorted(component.cells.values(), key=lambda c: c.partner.casefold()):
            others = [len(c.applications) for c in component.cells.values() if c.partner != cell.partner]
            excess = len(cell.applications) - max(others or [0])
            unique = [a for a in cell.applications if len(used_by[a]) == 1]
            eliminate = set(unique[len(unique) - excess:]) if excess > 0 and shared else set()
            missing = [a for a in shared if a not in cell.applications]
            for app in cell.applications:
                earliest = cell.contract_end
                target, waits = "", ""
                if len(used_by[app]) >= 2:
                    action = INVEST
                    if component.distinct_applications == 1:
                        reasons = [f"Alle {partners} partners gebruiken '{app}': al geharmoniseerd, samen "
                                   f"doorontwikkelen en beheren."]
                    else:
                        reasons = [f"Gedeeld: gebruikt door {len(used_by[app])} van de {partners} partners "
                                   f"({', '.join(used_by[app])}); kandidaat voor de gezamenlijke standaard."]
                    earliest = None
                elif not shared and app == standard:
                    action = INVEST
                    reasons = [f"Kandidaat-standaard: geen applicatie wordt door meer partners gebruikt; '{app}' "
                               f"heeft de meeste gebruikers.",
                               f"{component.distinct_applications} verschillende applicaties voor deze "
                               f"referentiecomponent over de partners."]
                    earliest = None
                elif app in eliminate:
                    action, target = ELIMINATE, ", ".join(a for a in cell.applications if a in shared)
                    reasons = [f"Deze partner heeft {len(cell.applications)} applicaties voor "
                               f"'{component.component_name}', meer dan elke andere partner (hoogstens "
                               f"{max(others)}); '{app}' heeft geen tegenhanger bij andere partners.",
                               f"{_contract_until(earliest)}."]
                elif not shared or missing:
                    action, target = MIGRATE, (missing[0] if missing else standard)
                    reasons = [f"Redundant over partners: {component.distinct_applications} applicaties voor "
                               f"'{component.component_name}'; '{target}' wordt gebruikt door "
                               f"{len(used_by[target])} van de {partners} partners.",
                               f"{_contract_until(earliest)}; {window}."]
                else:
                    action = TOLERATE
                    reasons = [f"Aanvulling op de gedeelde applicatie(s) van deze partner; geen tegenhanger bij "
                               f"andere partners. Nagaan of hij dubbel is."]
                if action == MIGRATE and not dependency.done:
                    waits = dependency.subject
                    reasons.append(f"Wacht op {dependency.subject}: eerst de werkwijze harmoniseren, dan pas de "
                                   f"applicatie (IT is geen breekijzer).")
                result.append(Proposal(cell.partner, app, component.component_id, component.component_name,
                                       action, reasons, target=target, waits_for=waits, earliest=earliest))
    result.sort(key=lambda p: (p.component_name.casefold(), p.partner.casefold(), p.application.casefold()))
    return result
