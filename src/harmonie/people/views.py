"""Pages of the people layer.

* Respondent pages (``respondent_urls``, mounted at ``/enquete/``): anonymous, no account,
  one single-use link per person, save and continue, no inline script or style.
* Coördinator pages (``urls``, mounted at ``w/<slug>/``): survey rounds, groups, link batches
  (CSV), response counts, results once closed, and the steering questionnaire.
* Layer panels for the layer pages "cultuur" and "aansturing".

Everything goes through ``harmonie.people.services``.
"""

import itertools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.permissions import can_edit_partner, can_manage
from harmonie.web.views import _ctx, workspace_view

from . import charts, instruments, services
from .instruments import (
    CULTURE_DIMENSIONS,
    CULTURE_TYPE_LABELS,
    CULTURE_TYPES,
    ORIC_ITEMS,
    SCALE_5,
    STEERING_KPIS,
    STEERING_QUESTIONS,
    STEP_KEYS,
    STEPS,
    URGENCY_HAVE_TO,
    URGENCY_WANT,
    culture_field,
)

# --- respondent pages ------------------------------------------------------------------------


def _private(response):
    """Pages with a personal link: never cached. (The project-wide Referrer-Policy "same-origin"
    keeps the link from leaking to other sites; "no-referrer" would make browsers send
    ``Origin: null`` on the form POST, which the CSRF check rightly refuses.)"""
    response["Cache-Control"] = "no-store"
    return response


def _refused(request, exc):
    return _private(render(request, "people/respondent_refused.html", {"message": exc.message},
                           status=getattr(exc, "status", 400)))


def _culture_rows(perspective, data, error_fields):
    rows = []
    for dimension in CULTURE_DIMENSIONS:
        fields = []
        total = 0
        for type_key, _label in CULTURE_TYPES:
            name = culture_field(perspective, dimension.key, type_key)
            value = data.get(name, "")
            try:
                total += int(value)
            except (TypeError, ValueError):
                pass
            fields.append({"name": name, "id": f"f-{name}", "value": value,
                           "label": dimension.statements[type_key], "invalid": name in error_fields})
        rows.append({"dimension": dimension, "fields": fields, "total": total,
                     "error": error_fields.get(fields[0]["name"], "") if any(f["invalid"] for f in fields) else ""})
    return rows


def _scale_items(prefix, items, data, error_fields, change=""):
    out = []
    for number, *rest in items:
        text = rest[-1].replace("{verandering}", change) if change else rest[-1]
        name = f"{prefix}-{number}"
        value = str(data.get(name, ""))
        out.append({"name": name, "id": f"f-{name}", "text": text, "value": value,
                    "error": error_fields.get(name, ""),
                    "options": [{"value": str(v), "label": label, "id": f"f-{name}-{v}",
                                 "checked": value == str(v)} for v, label in SCALE_5]})
    return out


def _step_context(session, step, data, errors):
    error_fields = {}
    for name, message in errors:
        error_fields.setdefault(name, message)
    index = STEP_KEYS.index(step)
    context = {
        "session": session,
        "survey": session.survey,
        "step": step,
        "step_label": dict(STEPS)[step],
        "step_number": index + 1,
        "step_count": len(STEPS),
        "steps": [{"key": key, "label": label, "current": key == step,
                   "done": all(n in session.data for n in instruments.step_fields(key)) and key != "versturen"}
                  for key, label in STEPS],
        "errors": [{"id": f"f-{name}" if name else "", "message": message} for name, message in errors],
        "is_first": index == 0,
    }
    if step in ("nu", "gewenst"):
        context["culture_rows"] = _culture_rows(step, data, error_fields)
        if step == "nu":
            context["perspective_text"] = _(
                "Verdeel per onderwerp 100 punten over de vier beschrijvingen: hoe meer een beschrijving past bij "
                "hoe het nu is, hoe meer punten. Alle 100 punten aan één beschrijving mag ook.")
        else:
            context["perspective_text"] = _(
                "Verdeel per onderwerp 100 punten over de vier beschrijvingen: hoe meer een beschrijving past bij "
                "hoe het over een paar jaar zou moeten zijn, hoe meer punten. Alle 100 punten aan één beschrijving "
                "mag ook.")
    elif step == "bereidheid":
        context["items"] = _scale_items("oric", ORIC_ITEMS, data, error_fields, session.survey.change_subject)
    elif step == "urgentie":
        context["want_items"] = _scale_items("willen", URGENCY_WANT, data, error_fields)
        context["have_to_items"] = _scale_items("moeten", URGENCY_HAVE_TO, data, error_fields)
        context["comment"] = data.get("opmerking", "")
        context["comment_error"] = error_fields.get("opmerking", "")
    else:
        context["missing"] = [label for key, label in STEPS[:-1]
                              if not all(n in session.data for n in instruments.step_fields(key)
                                         if n != "opmerking")]
    context["sources"] = {"culture": instruments.CULTURE_SOURCE, "oric": instruments.ORIC_SOURCE,
                          "urgency": instruments.URGENCY_SOURCE}
    return context


def _first_open_step(session):
    for key in STEP_KEYS[:-1]:
        if not all(n in session.data for n in instruments.step_fields(key) if n != "opmerking"):
            return key
    return STEP_KEYS[-1]


def _client_key(request):
    """The client's address for the rate limit. Behind the TLS-terminating proxy of a production
    installation (``HARMONIE_SURVEY_TRUST_PROXY``, default: production mode) the proxy appends
    the real address as the last entry of X-Forwarded-For."""
    from django.conf import settings

    if getattr(settings, "HARMONIE_SURVEY_TRUST_PROXY", getattr(settings, "PRODUCTION", False)):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


@never_cache
@require_http_methods(["GET", "POST"])
def respondent_survey(request, token):
    try:
        session = services.open_link(token)
    except services.LinkRefused as exc:
        return _refused(request, exc)
    url = reverse("enquete:survey", kwargs={"token": token})
    if request.method == "GET":
        step = request.GET.get("stap", "")
        if step not in STEP_KEYS:
            step = _first_open_step(session)
        return _private(render(request, "people/respondent_step.html",
                               _step_context(session, step, session.data, [])))

    step = request.POST.get("stap", "")
    action = request.POST.get("actie", "volgende")
    if step not in STEP_KEYS:
        step = _first_open_step(session)
    index = STEP_KEYS.index(step)
    if step == "versturen":
        try:
            services.submit(token, {}, client_key=_client_key(request))
        except services.RateLimited as exc:
            return _refused(request, exc)
        except services.LinkRefused as exc:
            return _refused(request, exc)
        except BadInput as exc:
            context = _step_context(session, step, session.data, [("", exc.message)])
            return _private(render(request, "people/respondent_step.html", context, status=400))
        return redirect("enquete:thanks")
    posted = {name: request.POST.get(name, "") for name in instruments.step_fields(step)}
    try:
        session, _clean, errors = services.save_step(token, step, posted)
    except services.LinkRefused as exc:
        return _refused(request, exc)
    if action == "vorige":
        return redirect(f"{url}?stap={STEP_KEYS[max(0, index - 1)]}")
    if errors:
        context = _step_context(session, step, posted, errors)
        return _private(render(request, "people/respondent_step.html", context, status=400))
    if action == "opslaan":
        context = _step_context(session, step, session.data, [])
        context["saved"] = True
        return _private(render(request, "people/respondent_step.html", context))
    return redirect(f"{url}?stap={STEP_KEYS[min(len(STEP_KEYS) - 1, index + 1)]}")


def respondent_thanks(request):
    return _private(render(request, "people/respondent_thanks.html", {}))


# --- coördinator pages ------------------------------------------------------------------------


def _survey_or_redirect(request, workspace):
    survey = services.get_survey(workspace, request.GET.get("ronde") or request.POST.get("ronde"))
    return survey


def _require_manage(request, workspace):
    if not can_manage(request.user, workspace):
        raise PermissionDenied(_("Alleen de coördinator van dit samenwerkingsverband mag dit doen."))


def _survey_url(workspace, survey):
    return reverse("people:survey", kwargs={"slug": workspace.slug}) + f"?ronde={survey.pk}"


@workspace_view
@require_http_methods(["GET", "POST"])
def surveys(request, workspace):
    errors = []
    form = {}
    if request.method == "POST":
        _require_manage(request, workspace)
        form = {key: request.POST.get(key, "") for key in ("titel", "verandering", "open", "sluit", "k", "drempel")}
        try:
            survey = services.create_survey(
                request.user, workspace, title=form["titel"], change_subject=form["verandering"],
                opens_on=form["open"], closes_on=form["sluit"], partners=request.POST.getlist("partners") or None,
                k=form["k"] or None, threshold=form["drempel"] or None)
        except (BadInput, NotAllowed) as exc:
            errors.append(exc.message)
        else:
            messages.success(request, _("Enquêteronde ‘%(title)s’ is aangemaakt. Maak nu links aan.") % {"title": survey.title})
            return redirect(_survey_url(workspace, survey))
    rows = []
    for survey in services.surveys(workspace):
        result = services.results(survey)
        rows.append({"survey": survey, "visible_n": sum(p.get("n", 0) for p in result["partners"].values())})
    return render(request, "people/surveys.html", _ctx(
        request, workspace, "people", rows=rows, errors=errors, form=form, partners=workspace.partners.all(),
        today=timezone.localdate(), status=400 if errors else 200), status=400 if errors else 200)


def _culture_table(culture):
    return [{"label": CULTURE_TYPE_LABELS[key], "now": culture["now"][key], "preferred": culture["preferred"][key],
             "difference": culture["difference"][key], "flagged": key in culture["flagged"]}
            for key, _label in CULTURE_TYPES]


def _result_blocks(survey, result):
    """Per partner (and group) what the templates show: kite SVG, tables, flags."""
    blocks = []
    partner_names = {code: entry.get("name") or entry.get("partner") for code, entry in result["partners"].items()}
    ids = itertools.count(1)  # unique ids (within the page) for the table captions of the blocks

    def block(title, entry, level):
        if entry.get("suppressed"):
            return {"title": title, "suppressed": True, "level": level}
        data = {"title": title, "n": entry["n"], "level": level, "suppressed": False, "uid": next(ids)}
        if "culture" in entry:
            data.update({
                "kite": charts.kite_svg(entry["culture"], title=_("Cultuurprofiel %(title)s") % {"title": title}),
                "culture": _culture_table(entry["culture"]),
                "readiness": entry["readiness"],
                "urgency": entry["urgency"],
                "partner_differences": [
                    {**row, "partner_name": partner_names.get(row["partner"], row["partner"]),
                     "type_label": CULTURE_TYPE_LABELS[row["type"]],
                     "perspective_label": _("nu") if row["perspective"] == "now" else _("gewenst")}
                    for row in entry["culture"].get("partner_differences", [])],
            })
        data["groups"] = [block(g["group"], g, level + 1) for g in entry.get("groups", [])]
        return data

    for code, entry in result["partners"].items():
        blocks.append(block(partner_names[code], entry, 0))
    return blocks


def _partner_comparison(survey, result):
    """Types x visible partners, now and preferred; a row is flagged when two partners differ by at
    least the threshold."""
    visible = [(code, entry) for code, entry in result["partners"].items() if "culture" in entry]
    if len(visible) < 2:
        return None
    rows = []
    for perspective, label in (("now", _("nu")), ("preferred", _("gewenst"))):
        for key, type_label in CULTURE_TYPES:
            values = [entry["culture"][perspective][key] for _code, entry in visible]
            spread = round(max(values) - min(values), 1)
            rows.append({"label": f"{type_label} ({label})", "values": values, "spread": spread,
                         "flagged": spread >= survey.threshold})
    return {"partners": [entry["name"] for _code, entry in visible], "rows": rows}


@workspace_view
def survey_detail(request, workspace):
    survey = _survey_or_redirect(request, workspace)
    if survey is None:
        if request.GET.get("ronde"):
            raise Http404(_("Deze enquêteronde bestaat niet."))
        return redirect("people:surveys", slug=workspace.slug)
    result = services.results(survey)
    comments = services.comments(survey)
    names = {p.cbs_code: p.name for p in survey.partners.all()}
    link_stats = services.link_stats(survey)
    return render(request, "people/survey_detail.html", _ctx(
        request, workspace, "people", survey=survey, result=result, blocks=_result_blocks(survey, result),
        comparison=_partner_comparison(survey, result) if result["closed"] else None,
        comments=[{"partner": names.get(code, code), "texts": texts} for code, texts in comments.items() if texts],
        partners=survey.partners.order_by("name"),
        groups=survey.groups.select_related("partner", "parent"),
        links=[{"partner": p, "count": link_stats.get(p.pk, 0)} for p in survey.partners.order_by("name")],
        batches=survey.batches.select_related("partner", "group")[:50],
        sources=[instruments.CULTURE_SOURCE, instruments.ORIC_SOURCE, instruments.URGENCY_SOURCE],
    ))


@workspace_view
@require_POST
def survey_group(request, workspace):
    _require_manage(request, workspace)
    survey = _survey_or_redirect(request, workspace)
    if survey is None:
        messages.error(request, _("Kies een bestaande enquêteronde."))
        return redirect("people:surveys", slug=workspace.slug)
    try:
        group = services.add_group(request.user, survey, partner=request.POST.get("partner"),
                                   name=request.POST.get("naam", ""), parent=request.POST.get("valt_onder") or None)
    except (BadInput, NotAllowed) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Groep ‘%(name)s’ is toegevoegd.") % {"name": group.name})
    return redirect(_survey_url(workspace, survey))


@workspace_view
@require_POST
def survey_links(request, workspace):
    _require_manage(request, workspace)
    survey = _survey_or_redirect(request, workspace)
    if survey is None:
        messages.error(request, _("Kies een bestaande enquêteronde."))
        return redirect("people:surveys", slug=workspace.slug)
    try:
        batch, tokens = services.generate_links(request.user, survey, partner=request.POST.get("partner"),
                                                count=request.POST.get("aantal"),
                                                group=request.POST.get("groep") or None)
    except (BadInput, NotAllowed) as exc:
        messages.error(request, exc.message)
        return redirect(_survey_url(workspace, survey))
    data = services.links_csv(batch, tokens, request.build_absolute_uri("/"))
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    name = f"links-ronde{survey.pk}-{batch.partner.cbs_code}{'-groep' + str(batch.group_id) if batch.group_id else ''}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@workspace_view
@require_POST
def survey_close(request, workspace):
    _require_manage(request, workspace)
    survey = _survey_or_redirect(request, workspace)
    if survey is None:
        messages.error(request, _("Kies een bestaande enquêteronde."))
        return redirect("people:surveys", slug=workspace.slug)
    services.close_survey(request.user, survey)
    messages.success(request, _("De enquêteronde is gesloten. De uitkomsten zijn nu zichtbaar."))
    return redirect(_survey_url(workspace, survey))


@workspace_view
def steering(request, workspace):
    comparison = services.steering_comparison(workspace)
    editable = [p for p in workspace.partners.all() if can_edit_partner(request.user, p)]
    return render(request, "people/steering.html", _ctx(
        request, workspace, "people", comparison=comparison, editable=editable))


@workspace_view
@require_http_methods(["GET", "POST"])
def steering_edit(request, workspace, partner_id):
    partner = get_object_or_404(workspace.partners, pk=partner_id)
    if not can_edit_partner(request.user, partner):
        raise PermissionDenied(_("U mag alleen de antwoorden van uw eigen gemeente wijzigen."))
    answers, kpis = services.steering_for(partner)
    error = ""
    status = 200
    if request.method == "POST":
        answers = {q.key: request.POST.get(q.key, "") for q in STEERING_QUESTIONS}
        kpis = {key: {"definition": request.POST.get(f"kpi-{key}-definitie", ""),
                      "norm": request.POST.get(f"kpi-{key}-norm", "")} for key, _label in STEERING_KPIS}
        try:
            services.save_steering(request.user, partner, answers=answers, kpis=kpis)
        except (BadInput, NotAllowed) as exc:
            error = exc.message
            status = 400
        else:
            messages.success(request, _("De antwoorden van %(partner)s zijn opgeslagen.") % {"partner": partner.name})
            return redirect("people:steering", slug=workspace.slug)
    questions = [{"q": q, "id": f"v-{q.key}", "value": answers.get(q.key, "")} for q in STEERING_QUESTIONS]
    kpi_rows = [{"key": key, "label": label, "definition": kpis.get(key, {}).get("definition", ""),
                 "norm": kpis.get(key, {}).get("norm", "")} for key, label in STEERING_KPIS]
    return render(request, "people/steering_edit.html", _ctx(
        request, workspace, "people", partner=partner, questions=questions, kpi_rows=kpi_rows, error=error),
        status=status)


# --- layer panels -----------------------------------------------------------------------------


def culture_panel(request, workspace) -> str:
    """The "Gegevens" part of the layer page "Cultuur & urgentie"."""
    latest = services.surveys(workspace).first()
    context = {"workspace": workspace, "survey": latest, "can_manage": can_manage(request.user, workspace)}
    if latest is not None:
        result = services.results(latest)
        context["result"] = result
        context["blocks"] = [b for b in _result_blocks(latest, result)]
    return render_to_string("people/panel_culture.html", context, request=request)


def steering_panel(request, workspace) -> str:
    """The "Gegevens" part of the layer page "Aansturing"."""
    comparison = services.steering_comparison(workspace)
    return render_to_string("people/panel_steering.html", {"workspace": workspace, "comparison": comparison},
                            request=request)
