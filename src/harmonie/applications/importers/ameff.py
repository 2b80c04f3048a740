"""A partner's application landscape as an ArchiMate exchange file (AMEFF: Archi, GEMMA Softwarecatalogus).

Applications are the ``ApplicationComponent`` elements that are not themselves
GEMMA referentiecomponenten. An application's referentiecomponenten come from
relationships (Specialization, Realization, Association, Aggregation) to an
element that is a referentiecomponent (property "GEMMA type" =
Referentiecomponent, or a name / Object ID known in GEMMA), or from a property
"Referentiecomponent(en)" (several separated by ' | '). Supplier, product,
version, contract end, cost, users and hosting come from properties with those
(Dutch or English) names.
"""

from __future__ import annotations

import hashlib

from harmonie.core.errors import BadInput

from ..exchange import read_model
from .base import COLUMNS, Portfolio, PortfolioRow, clean, parse_cost, parse_end, parse_users, split_components

LINK_TYPES = {"Specialization", "Realization", "Association", "Aggregation"}


def _prop(props: dict, fieldname: str) -> str:
    lowered = {clean(k).lower(): v for k, v in props.items()}
    for alias in COLUMNS[fieldname]:
        if alias in lowered:
            return lowered[alias]
    return ""


def parse_ameff(data: bytes, name: str, mapping: dict | None = None, known_components=None) -> Portfolio:
    """``known_components``: a callable(text) → bool telling whether a name/Object ID is a GEMMA component."""
    model = read_model(data, name)
    by_id = {e.identifier: e for e in model.elements}

    def is_reference(element) -> bool:
        if element.type != "ApplicationComponent":
            return False
        if clean(element.properties.get("GEMMA type")).lower() == "referentiecomponent":
            return True
        if known_components is not None:
            return known_components(element.name) or known_components(element.properties.get("Object ID", ""))
        return False

    links: dict[str, list[str]] = {}
    for relation in model.relations:
        if relation.type not in LINK_TYPES:
            continue
        for app_end, ref_end in ((relation.source, relation.target), (relation.target, relation.source)):
            app, ref = by_id.get(app_end), by_id.get(ref_end)
            if app and ref and app.type == "ApplicationComponent" and not is_reference(app) and is_reference(ref):
                label = ref.properties.get("Object ID") or ref.name
                links.setdefault(app.identifier, [])
                if label not in links[app.identifier]:
                    links[app.identifier].append(label)
    rows = []
    for index, element in enumerate(model.elements, start=1):
        if element.type != "ApplicationComponent" or is_reference(element):
            continue
        where = f"element {index} ('{element.name or element.identifier}')"
        if not clean(element.name):
            raise BadInput(f"Bestand '{name}', {where}: de applicatie heeft geen naam.")
        props = element.properties
        components = list(links.get(element.identifier, []))
        for part in split_components(_prop(props, "referentiecomponent")):
            if part not in components:
                components.append(part)
        try:
            end = parse_end(_prop(props, "contract_end"), name, index)
            cost = parse_cost(_prop(props, "yearly_cost") or None, name, index)
            users = parse_users(_prop(props, "users") or None, name, index)
        except BadInput as exc:
            raise BadInput(exc.message.replace(f"regel {index}", where)) from exc
        rows.append(PortfolioRow(
            line=index, application=clean(element.name), partner=clean(_prop(props, "partner")),
            supplier=clean(_prop(props, "supplier")), product=clean(_prop(props, "product")),
            version=clean(_prop(props, "version")), components=components, contract_end=end, yearly_cost=cost,
            users=users, hosting=clean(_prop(props, "hosting")),
        ))
    if not rows:
        raise BadInput(f"Bestand '{name}': het model bevat geen applicaties (ApplicationComponent-elementen die "
                       f"geen referentiecomponent zijn).")
    return Portfolio(name=name, format="ameff", rows=rows, file_sha256=hashlib.sha256(data).hexdigest())
