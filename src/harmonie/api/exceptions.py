"""Errors as ``application/problem+json`` (RFC 9457), as the NL API Design Rules ask.

Every error the API returns has ``type``, ``title``, ``status``, ``detail``
(Dutch) and ``instance``; validation errors add ``invalid-params``: a list of
``{"name", "code", "reason"}``, one per wrong field.

Besides DRF's own exceptions this maps the core errors every entry point
knows (``harmonie.core.errors``): ``BadInput`` → 400, ``NotAllowed`` → 403 and
any other ``HarmonieError`` (for example "only a failed job can be retried")
→ 409.
"""

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from harmonie.core.errors import BadInput, HarmonieError, NotAllowed

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:harmonie:problemen:"

# Service messages start with "Veld 'naam': ..."; that names the invalid parameter.
_FIELD_IN_MESSAGE = re.compile(r"^\s*(?:Veld|Field)\s+'([^']+)'\s*:")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "De actie past niet bij de huidige toestand van het object."
    default_code = "conflict"


def for_field(exc: BadInput, field: str) -> BadInput:
    """Mark a service's ``BadInput`` as being about API parameter ``field`` (for ``invalid-params``)."""
    exc.api_field = field
    return exc


def _titles():
    return {
        400: ("ongeldige-invoer", _("Ongeldige invoer")),
        401: ("niet-ingelogd", _("Niet ingelogd")),
        403: ("geen-toestemming", _("Geen toestemming")),
        404: ("niet-gevonden", _("Niet gevonden")),
        405: ("methode-niet-toegestaan", _("Methode niet toegestaan")),
        406: ("niet-acceptabel", _("Gevraagd formaat niet beschikbaar")),
        409: ("conflict", _("Conflict")),
        415: ("mediatype-niet-ondersteund", _("Mediatype niet ondersteund")),
        429: ("te-veel-verzoeken", _("Te veel verzoeken")),
    }


def problem_type(status_code: int) -> str:
    code, _title = _titles().get(status_code, ("fout", ""))
    return PROBLEM_TYPE_BASE + code


def problem_title(status_code: int) -> str:
    return _titles().get(status_code, ("fout", _("Fout")))[1]


def _flatten(errors, prefix=""):
    """DRF's nested ``ValidationError.detail`` as ``[(name, code, reason)]``."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            yield from _flatten(value, name)
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            if isinstance(value, (dict, list)):
                yield from _flatten(value, f"{prefix}.{index}" if prefix else str(index))
            else:
                yield from _flatten(value, prefix)
    else:
        yield prefix or "non_field_errors", getattr(errors, "code", "invalid"), str(errors)


def problem_response(status_code, detail, *, request=None, invalid_params=None, headers=None) -> Response:
    data = {
        "type": problem_type(status_code),
        "title": problem_title(status_code),
        "status": status_code,
        "detail": str(detail),
    }
    if request is not None:
        data["instance"] = request.get_full_path()
    if invalid_params is not None:
        data["invalid-params"] = invalid_params
    response = Response(data, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
    return response


def problem_exception_handler(exc, context):
    """DRF ``EXCEPTION_HANDLER``: every handled error as problem+json."""
    request = context.get("request")
    headers = {}
    invalid_params = None

    if isinstance(exc, BadInput):
        status_code = 400
        detail = exc.message
        match = _FIELD_IN_MESSAGE.match(exc.message)
        field = getattr(exc, "api_field", None) or (match.group(1) if match else None)
        if field:
            invalid_params = [{"name": field, "code": "invalid", "reason": exc.message}]
    elif isinstance(exc, NotAllowed):
        status_code = 403
        detail = exc.message
    elif isinstance(exc, HarmonieError):
        status_code = 409
        detail = exc.message
    elif isinstance(exc, Http404):
        status_code = 404
        detail = exceptions.NotFound.default_detail
    elif isinstance(exc, PermissionDenied):
        status_code = 403
        detail = exceptions.PermissionDenied.default_detail
    elif isinstance(exc, exceptions.ValidationError):
        status_code = exc.status_code
        detail = _("Een of meer parameters zijn ongeldig.")
        invalid_params = [{"name": name, "code": code, "reason": reason}
                          for name, code, reason in _flatten(exc.detail)]
    elif isinstance(exc, exceptions.APIException):
        status_code = exc.status_code
        detail = exc.detail if isinstance(exc.detail, str) else "; ".join(
            reason for _name, _code, reason in _flatten(exc.detail))
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = "%d" % exc.wait
    else:
        return None  # unexpected: let Django log it and answer 500

    set_rollback()
    return problem_response(status_code, detail, request=request, invalid_params=invalid_params, headers=headers)
