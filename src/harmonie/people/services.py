"""The one entry point of the people layer: views, API, CLI and jobs call these functions.

Coördinator side: survey rounds, groups, link batches (CSV), closing, response counts and
results (always through the same k-anonymity rules). Respondent side: open a link, save a
step (save and continue), submit once. Steering side: the management & governance
questionnaire per partner and its side-by-side comparison.
"""

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harmonie.core import audit
from harmonie.core.errors import BadInput, HarmonieError, NotAllowed
from harmonie.core.models import AuditAction, Partner
from harmonie.core.permissions import can_edit_partner, can_manage, can_view
from harmonie.core.spreadsheet import safe_row

from .analysis import report as report_mod
from .analysis import steering as steering_mod
from .analysis.scoring import Answers
from .analysis.validation import validate_all, validate_step
from .instruments import (
    STEERING_KEYS,
    STEERING_KPI_KEYS,
    STEERING_QUESTIONS,
    STEP_KEYS,
    TEXT_MAX,
    step_fields,
)
from .models import (
    Draft,
    KpiDefinition,
    LinkBatch,
    RespondentLink,
    SteeringAnswer,
    Survey,
    SurveyGroup,
    SurveyResponse,
    UsedLink,
)

MAX_LINKS_PER_BATCH = 2000


class LinkRefused(HarmonieError):
    """The respondent link cannot be used (unknown, used, closed, not yet open)."""

    def __init__(self, message, status=410):
        super().__init__(message)
        self.status = status


class RateLimited(HarmonieError):
    status = 429


def _require(condition, message):
    if not condition:
        raise NotAllowed(message)


def _require_manage(user, workspace):
    _require(can_manage(user, workspace), _("Alleen de coördinator van dit samenwerkingsverband mag dit doen."))


def _date(value, field):
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise BadInput(_("Veld '%(field)s': geef een datum als JJJJ-MM-DD.") % {"field": field}) from None


def _int_in(value, field, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadInput(_("Veld '%(field)s': geef een geheel getal.") % {"field": field}) from None
    if not low <= number <= high:
        raise BadInput(_("Veld '%(field)s': kies een getal van %(low)s tot en met %(high)s.")
                       % {"field": field, "low": low, "high": high})
    return number


# --- survey rounds -----------------------------------------------------------------------------


def surveys(workspace):
    return Survey.objects.filter(workspace=workspace).prefetch_related("partners")


def get_survey(workspace, survey_id) -> Survey | None:
    try:
        return Survey.objects.filter(workspace=workspace, pk=int(survey_id)).first()
    except (TypeError, ValueError):
        return None


def create_survey(user, workspace, *, title, opens_on, closes_on, partners=None, change_subject="",
                  k=None, k_free_text=None, threshold=None, is_demo=False) -> Survey:
    """A new survey round. ``partners``: partner ids (default: every partner of the workspace)."""
    if user is not None:
        _require_manage(user, workspace)
    title = (title or "").strip()
    if not title:
        raise BadInput(_("Veld 'titel': geef de enquêteronde een titel."))
    if len(title) > 200:
        raise BadInput(_("Veld 'titel': hoogstens 200 tekens."))
    opens_on, closes_on = _date(opens_on, "open vanaf"), _date(closes_on, "open tot en met")
    if closes_on < opens_on:
        raise BadInput(_("Veld 'open tot en met': de sluitingsdatum ligt vóór de openingsdatum."))
    available = {p.pk: p for p in workspace.partners.all()}
    if partners is None or partners == []:
        chosen = list(available.values())
    else:
        chosen = []
        for pid in partners:
            try:
                chosen.append(available[int(pid)])
            except (KeyError, TypeError, ValueError):
                raise BadInput(_("Veld 'partners': partner '%(pid)s' hoort niet bij dit samenwerkingsverband.")
                               % {"pid": pid}) from None
    if not chosen:
        raise BadInput(_("Veld 'partners': voeg eerst partners toe aan het samenwerkingsverband."))
    k = _int_in(k if k is not None else 5, "k", 3, 50)
    k_free_text = _int_in(k_free_text if k_free_text is not None else max(10, k), "k open antwoorden", k, 100)
    threshold = _int_in(threshold if threshold is not None else 10, "drempel", 1, 100)
    with transaction.atomic():
        survey = Survey.objects.create(
            workspace=workspace, title=title, opens_on=opens_on, closes_on=closes_on, k=k,
            k_free_text=k_free_text, threshold=threshold, is_demo=is_demo,
            change_subject=(change_subject or "").strip()[:200] or Survey._meta.get_field("change_subject").default,
        )
        survey.partners.set(chosen)
        audit.record_change(user, workspace, AuditAction.CREATE, survey,
                            after={"titel": title, "open": str(opens_on), "tot": str(closes_on), "k": k})
    return survey


def add_group(user, survey, *, partner, name, parent=None) -> SurveyGroup:
    if user is not None:
        _require_manage(user, survey.workspace)
    partner_obj = _survey_partner(survey, partner)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise BadInput(_("Veld 'groep': geef een naam van hoogstens 120 tekens."))
    parent_obj = None
    if parent not in (None, ""):
        parent_obj = SurveyGroup.objects.filter(survey=survey, partner=partner_obj, pk=_safe_int(parent)).first()
        if parent_obj is None:
            raise BadInput(_("Veld 'valt onder': die groep hoort niet bij deze partner in deze ronde."))
    if SurveyGroup.objects.filter(survey=survey, partner=partner_obj, name=name).exists():
        raise BadInput(_("Veld 'groep': ‘%(name)s’ bestaat al bij %(partner)s.") % {"name": name, "partner": partner_obj.name})
    with transaction.atomic():
        group = SurveyGroup.objects.create(survey=survey, partner=partner_obj, name=name, parent=parent_obj)
        audit.record_change(user, survey.workspace, AuditAction.CREATE, group,
                            after={"ronde": survey.title, "partner": partner_obj.name, "groep": name})
    return group


def _safe_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _survey_partner(survey, partner) -> Partner:
    pid = partner.pk if isinstance(partner, Partner) else _safe_int(partner)
    found = survey.partners.filter(pk=pid).first()
    if found is None:
        raise BadInput(_("Veld 'partner': deze partner doet niet mee aan deze enquêteronde."))
    return found


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def generate_links(user, survey, *, partner, count, group=None) -> tuple[LinkBatch, list[str]]:
    """A batch of single-use links. The tokens are returned once and stored only as hashes."""
    if user is not None:
        _require_manage(user, survey.workspace)
    if survey.is_closed():
        raise BadInput(_("Deze enquêteronde is gesloten: er kunnen geen links meer bij."))
    partner_obj = _survey_partner(survey, partner)
    group_obj = None
    if group not in (None, ""):
        group_obj = SurveyGroup.objects.filter(survey=survey, partner=partner_obj, pk=_safe_int(group)).first()
        if group_obj is None:
            raise BadInput(_("Veld 'groep': die groep hoort niet bij deze partner in deze ronde."))
    count = _int_in(count, "aantal", 1, MAX_LINKS_PER_BATCH)
    tokens = [secrets.token_urlsafe(18) for _ in range(count)]
    with transaction.atomic():
        batch = LinkBatch.objects.create(survey=survey, partner=partner_obj, group=group_obj, size=count,
                                         created_by=user if getattr(user, "is_authenticated", False) else None)
        RespondentLink.objects.bulk_create([RespondentLink(batch=batch, token_hash=_hash(t)) for t in tokens])
        audit.record_change(user, survey.workspace, AuditAction.CREATE, batch,
                            after={"ronde": survey.title, "partner": partner_obj.name,
                                   "groep": group_obj.name if group_obj else "", "aantal": count})
    return batch, tokens


def links_csv(batch, tokens, base_url: str) -> bytes:
    """CSV for a mail merge (UTF-8 with BOM so spreadsheet programs read the accents)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["ronde", "partner", "groep", "link"])
    for token in tokens:
        writer.writerow(safe_row([batch.survey.title, batch.partner.name, batch.group.name if batch.group else "",
                                  f"{base_url.rstrip('/')}/enquete/{token}/"]))
    return out.getvalue().encode("utf-8-sig")


def close_survey(user, survey) -> Survey:
    if user is not None:
        _require_manage(user, survey.workspace)
    if survey.closed_at is None:
        with transaction.atomic():
            survey.closed_at = timezone.now()
            survey.save(update_fields=["closed_at"])
            audit.record_change(user, survey.workspace, AuditAction.UPDATE, survey, after={"gesloten": True})
    return survey


def link_stats(survey) -> dict:
    """Links handed out per partner (not per person; used links are not shown per group)."""
    stats = {}
    for batch in survey.batches.select_related("partner", "group"):
        stats.setdefault(batch.partner_id, 0)
        stats[batch.partner_id] += batch.size
    return stats


# --- results -----------------------------------------------------------------------------------


def survey_data(survey, *, with_answers=None) -> report_mod.SurveyData:
    closed = survey.is_closed()
    with_answers = closed if with_answers is None else with_answers
    partners = list(survey.partners.order_by("name"))
    groups = [report_mod.Group(g.pk, g.partner.cbs_code, g.name, g.parent_id)
              for g in survey.groups.select_related("partner")]
    codes = {p.pk: p.cbs_code for p in partners}
    respondents = []
    rows = survey.responses.values_list("partner_id", "group_id", "answers") if with_answers else \
        survey.responses.values_list("partner_id", "group_id")
    for row in rows:
        if row[0] not in codes:
            continue
        answers = Answers.from_clean(row[2]) if with_answers else None
        respondents.append(report_mod.Respondent(codes[row[0]], row[1], answers))
    meta = {"id": survey.pk, "title": survey.title, "opens_on": survey.opens_on.isoformat(),
            "closes_on": survey.closes_on.isoformat(), "k": survey.k, "threshold": survey.threshold}
    return report_mod.SurveyData(meta=meta, partners=[(p.cbs_code, p.name) for p in partners], groups=groups,
                                 respondents=respondents, closed=closed and with_answers, k=survey.k,
                                 threshold=survey.threshold)


def results(survey, user=None) -> dict:
    """The contract structure: full results once closed, before that only counts >= k."""
    if user is not None:
        _require(can_view(user, survey.workspace), _("U heeft geen toegang tot dit samenwerkingsverband."))
    return report_mod.build_report(survey_data(survey))


def comments(survey) -> dict:
    """Free-text answers per partner, only once closed and only for partners with at least
    ``k_free_text`` respondents (never per group). Sorted alphabetically, so the order says
    nothing about who answered when."""
    if not survey.is_closed():
        return {}
    out = {}
    partners = {p.pk: p for p in survey.partners.all()}
    counts = {}
    for partner_id in survey.responses.values_list("partner_id", flat=True):
        counts[partner_id] = counts.get(partner_id, 0) + 1
    for pid, partner in partners.items():
        if counts.get(pid, 0) >= survey.k_free_text:
            texts = sorted(t for t in survey.responses.filter(partner_id=pid).exclude(comment="")
                           .values_list("comment", flat=True))
            out[partner.cbs_code] = texts
    return out


# --- respondent side ---------------------------------------------------------------------------


@dataclass
class LinkSession:
    survey: Survey
    partner_name: str
    group_name: str
    data: dict
    step: str
    link: RespondentLink


def open_link(token: str) -> LinkSession:
    token = (token or "").strip()
    link = None
    if 10 <= len(token) <= 100:
        link = RespondentLink.objects.select_related("batch__survey", "batch__partner", "batch__group") \
            .filter(token_hash=_hash(token)).first()
    if link is None:
        raise LinkRefused(_("Deze link is ongeldig. Controleer of u de hele link uit de uitnodiging hebt gebruikt."),
                          status=400)
    if UsedLink.objects.filter(pk=link.pk).exists():
        raise LinkRefused(_("Met deze link is de vragenlijst al ingevuld. Elke link werkt één keer; dank u wel."))
    survey = link.batch.survey
    today = timezone.localdate()
    if survey.is_closed(today):
        raise LinkRefused(_("Deze enquête is gesloten; er kunnen geen antwoorden meer bij."))
    if survey.opens_on > today:
        raise LinkRefused(_("Deze enquête is nog niet geopend. U kunt hem invullen vanaf %(date)s.")
                          % {"date": survey.opens_on.strftime("%d-%m-%Y")}, status=409)
    draft = Draft.objects.filter(link=link).first()
    return LinkSession(survey=survey, partner_name=link.batch.partner.name,
                       group_name=link.batch.group.name if link.batch.group else "",
                       data=dict(draft.data) if draft else {}, step=draft.step if draft else "", link=link)


def save_step(token: str, step: str, data: dict) -> tuple[LinkSession, dict, list]:
    """Validate and keep the answers of one step (server-side, per link). Invalid answers are
    not kept; returns (session, clean values, errors)."""
    session = open_link(token)
    if step not in STEP_KEYS:
        raise BadInput(_("Onbekende stap in de vragenlijst."))
    clean, errors = validate_step(step, {name: data.get(name) for name in step_fields(step)})
    if not errors:
        merged = {**session.data, **clean}
        Draft.objects.update_or_create(link=session.link, defaults={"data": merged, "step": step})
        session.data = merged
        session.step = step
    return session, clean, errors


def _rate_key(client_key: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_key}".encode()).hexdigest()[:32]
    return f"harmonie:people:rate:{digest}"


def check_rate(client_key: str):
    """At most HARMONIE_SURVEY_RATE_LIMIT (default 60) submissions per client address (hashed,
    kept only in the cache, never with the answers) per HARMONIE_SURVEY_RATE_WINDOW (default 600)
    seconds. Generous on purpose: all employees of a town hall may share one address."""
    if not client_key:
        return
    limit = int(getattr(settings, "HARMONIE_SURVEY_RATE_LIMIT", 60))
    window = int(getattr(settings, "HARMONIE_SURVEY_RATE_WINDOW", 600))
    key = _rate_key(client_key)
    cache.add(key, 0, window)
    try:
        used = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        used = 1
    if used > limit:
        raise RateLimited(_("Er zijn vanaf dit adres te veel vragenlijsten kort na elkaar verstuurd. "
                            "Probeer het over een paar minuten opnieuw; er is niets opgeslagen."))


def submit(token: str, data: dict | None = None, client_key: str = "") -> None:
    """Store the answers once, without the link, account or IP address. Refuses (and stores
    nothing) on a rate limit, an unknown/used link, a closed round or tampered values."""
    check_rate(client_key)
    session = open_link(token)
    answers = {**session.data, **(data or {})}
    clean, errors = validate_all(answers)
    if errors:
        raise BadInput(_("De antwoorden zijn niet geldig; er is niets opgeslagen.") + " "
                       + " ".join(message for _field, message in errors[:3]))
    batch = session.link.batch
    comment = clean.pop("opmerking", "")
    try:
        with transaction.atomic():
            UsedLink.objects.create(link=session.link)
            SurveyResponse.objects.create(survey=session.survey, partner=batch.partner, group=batch.group,
                                          submitted_on=timezone.localdate(), answers=clean, comment=comment)
            Draft.objects.filter(link=session.link).delete()
    except IntegrityError:
        raise LinkRefused(_("Met deze link is de vragenlijst al ingevuld. Elke link werkt één keer.")) from None


# --- steering questionnaire --------------------------------------------------------------------


def steering_for(partner) -> tuple[dict, dict]:
    answers = dict(SteeringAnswer.objects.filter(partner=partner).values_list("key", "value"))
    kpis = {k.key: {"definition": k.definition, "norm": k.norm}
            for k in KpiDefinition.objects.filter(partner=partner)}
    return answers, kpis


def save_steering(user, partner, *, answers: dict, kpis: dict) -> None:
    """Answers of one partner (coördinator, or the partnerbijdrager of that partner)."""
    if user is not None:
        _require(can_edit_partner(user, partner), _("U mag alleen de antwoorden van uw eigen gemeente wijzigen."))
    questions = {q.key: q for q in STEERING_QUESTIONS}
    clean_answers = {}
    for key, value in (answers or {}).items():
        if key not in STEERING_KEYS:
            raise BadInput(_("Onbekende vraag '%(key)s'.") % {"key": key})
        value = str(value or "").strip()
        if len(value) > TEXT_MAX:
            raise BadInput(_("Vraag ‘%(question)s’: hoogstens %(max)s tekens.") % {"question": questions[key].label, "max": TEXT_MAX})
        if value and questions[key].choices and value not in questions[key].choices:
            raise BadInput(_("Vraag ‘%(question)s’: kies een van de antwoorden.") % {"question": questions[key].label})
        clean_answers[key] = value
    clean_kpis = {}
    for key, value in (kpis or {}).items():
        if key not in STEERING_KPI_KEYS:
            raise BadInput(_("Onbekende KPI '%(key)s'.") % {"key": key})
        definition = str((value or {}).get("definition") or "").strip()
        norm = str((value or {}).get("norm") or "").strip()
        if len(definition) > TEXT_MAX or len(norm) > 200:
            raise BadInput(_("KPI: definitie hoogstens 1000 tekens, norm hoogstens 200."))
        clean_kpis[key] = (definition, norm)
    before_answers, before_kpis = steering_for(partner)
    by = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        for key, value in clean_answers.items():
            SteeringAnswer.objects.update_or_create(partner=partner, key=key,
                                                    defaults={"value": value, "updated_by": by})
        for key, (definition, norm) in clean_kpis.items():
            KpiDefinition.objects.update_or_create(partner=partner, key=key,
                                                   defaults={"definition": definition, "norm": norm,
                                                             "updated_by": by})
        after_answers, after_kpis = steering_for(partner)
        if (before_answers, before_kpis) != (after_answers, after_kpis):
            audit.record_change(user, partner.workspace, AuditAction.UPDATE, partner,
                                before={"aansturing": before_answers, "kpi": before_kpis},
                                after={"aansturing": after_answers, "kpi": after_kpis})


def steering_comparison(workspace) -> dict:
    """Every partner's answers and KPI definitions side by side: two queries, whatever the number of partners."""
    partners = list(workspace.partners.order_by("name"))
    code = {p.pk: p.cbs_code for p in partners}
    answers = {p.cbs_code: {} for p in partners}
    kpis = {p.cbs_code: {} for p in partners}
    for partner_id, key, value in SteeringAnswer.objects.filter(partner__in=partners) \
            .values_list("partner_id", "key", "value"):
        answers[code[partner_id]][key] = value
    for partner_id, key, definition, norm in KpiDefinition.objects.filter(partner__in=partners) \
            .values_list("partner_id", "key", "definition", "norm"):
        kpis[code[partner_id]][key] = {"definition": definition, "norm": norm}
    return steering_mod.compare([(p.cbs_code, p.name) for p in partners], answers, kpis)
