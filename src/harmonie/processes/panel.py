"""The "Gegevens" part of the Werkprocessen layer page (``core.layers`` points here)."""

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# Pages of the other Werkprocessen subjects, linked only when they exist (URL name resolves) at render time.
OTHER_PAGES = (
    ("processes:zaaktypen", _("Zaaktypen vergelijken")),
    ("processes:models", _("Procesmodellen en referentieproces")),
)


def panel(request, workspace) -> str:
    from .services import logs as services

    summary = {}
    try:
        summary = services.workspace_comparison(workspace)
    except Exception:  # noqa: BLE001 - the layer page must render even if a stored log is damaged
        import logging

        logging.getLogger(__name__).exception("event-log summary failed for %s", workspace.slug)
    links = []
    for name, label in OTHER_PAGES:
        try:
            links.append({"url": reverse(name, kwargs={"slug": workspace.slug}), "label": str(label)})
        except NoReverseMatch:
            continue
    return render_to_string("processes/logs/panel.html", {
        "workspace": workspace, "summary": summary, "links": links,
    }, request=request)
