"""TIME proposals (Tolerate, Invest, Migrate, Eliminate) across partners.

Not application by application: a proposal looks at the whole referentiecomponent
over all partners. Per component with more than one partner the application used
by most partners (then most users, then lowest cost) is the candidate standard:
it gets *Invest*; the other partners' applications get *Migrate* to it, from the
day their contract ends. A second application of the same partner for the same
component gets *Eliminate*. A component used by one partner only gets *Tolerate*.

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


def _fmt(day: date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else "onbekend"


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
        standard = _standard(component)
        users_of_standard = [c.partner for c in component.cells.values() if standard in c.applications]
        for cell in sorted(component.cells.values(), key=lambda c: c.partner.casefold()):
            has_standard = standard in cell.applications
            for app in cell.applications:
                earliest = cell.contract_end
                if app == standard:
                    if component.distinct_applications == 1:
                        reasons = [f"Alle {partners} partners gebruiken '{app}': al geharmoniseerd, samen "
                                   f"doorontwikkelen en beheren."]
                    else:
                        reasons = [f"Kandidaat-standaard: gebruikt door {len(users_of_standard)} van de "
                                   f"{partners} partners ({', '.join(users_of_standard)}).",
                                   f"{component.distinct_applications} verschillende applicaties voor deze "
                                   f"referentiecomponent over de partners."]
                    result.append(Proposal(cell.partner, app, component.component_id, component.component_name,
                                           INVEST, reasons, earliest=None))
                    continue
                action = ELIMINATE if has_standard else MIGRATE
                if action == ELIMINATE:
                    reasons = [f"Deze partner gebruikt de kandidaat-standaard '{standard}' al voor deze "
                               f"referentiecomponent; '{app}' is dubbel."]
                else:
                    reasons = [f"Redundant over partners: {component.distinct_applications} applicaties voor "
                               f"'{component.component_name}'; '{standard}' wordt gebruikt door "
                               f"{len(users_of_standard)} van de {partners} partners.",
                               f"Contract loopt tot {_fmt(earliest)}; gezamenlijk venster vanaf "
                               f"{_fmt(component.common_window_from)}."]
                waits = ""
                if action == MIGRATE and not dependency.done:
                    waits = dependency.subject
                    reasons.append(f"Wacht op {dependency.subject}: eerst de werkwijze harmoniseren, dan pas de "
                                   f"applicatie (IT is geen breekijzer).")
                result.append(Proposal(cell.partner, app, component.component_id, component.component_name,
                                       action, reasons, target=standard, waits_for=waits, earliest=earliest))
    result.sort(key=lambda p: (p.component_name.casefold(), p.partner.casefold(), p.application.casefold()))
    return result
