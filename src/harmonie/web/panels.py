"""Layer-page panels for layers whose app has no web pages of its own (yet).

``core.layers.LAYERS`` points at these; each returns the HTML of the
"Gegevens" part of the layer page.
"""

from django.template.loader import render_to_string

from harmonie.core.permissions import can_manage

# What a user can do today per layer without a web import, and where it is explained.
CLI_LAYERS = {
    "producten": {
        "evidence": "products",
        "commands": [
            "harmonie upl learn GELABELDE-CATALOGUS.csv",
            "harmonie upl match PRODUCTEN.csv --output SUGGESTIES.csv",
            "harmonie catalog compare CATALOGI.csv --group-by organisatie --output VERGELIJKING.json",
            "harmonie diagnose_bron SLUG products VERGELIJKING.json",
        ],
        "doc": "docs/producten-upl.md",
        "measures": [("harmonisation_index", "harmonisatie-index"), ("shared_products", "gedeelde producten")],
    },
}


def vision_panel(request, workspace) -> str:
    return render_to_string("web/panels/vision.html", {
        "workspace": workspace, "can_manage": can_manage(request.user, workspace),
    }, request=request)


def _latest_evidence(workspace, layer):
    try:
        from harmonie.diagnosis.models import LayerEvidence
    except ImportError:  # diagnosis app not installed
        return None
    return LayerEvidence.objects.filter(workspace=workspace, layer=layer).first()


def _comparison_panel(request, workspace, layer_key) -> str:
    spec = CLI_LAYERS[layer_key]
    evidence = _latest_evidence(workspace, spec["evidence"])
    rows = []
    if evidence is not None:
        names = {p.cbs_code: p.name for p in workspace.partners.all()}
        label = lambda raw: names.get((evidence.names or {}).get(raw, ""), raw)  # noqa: E731
        for pair in evidence.payload.get("pairs", []):
            rows.append({"a": label(pair.get("a")), "b": label(pair.get("b")),
                         "values": [pair.get(key) for key, _title in spec["measures"]]})
    return render_to_string("web/panels/comparison.html", {
        "workspace": workspace, "spec": spec, "evidence": evidence, "rows": rows,
        "commands": [c.replace("SLUG", workspace.slug) for c in spec["commands"]],
    }, request=request)
