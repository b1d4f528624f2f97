"""Refusals that services raise, and how every API answers them.

Services refuse bad input with Django's ``ValidationError`` keyed by field (``{"title": [...]}``);
forms put each message under its field, and the API's exception handler (``exception_handler``,
set as DRF's ``EXCEPTION_HANDLER``) turns it into a 400 keyed the same way, with what is not about
one field under ``non_field_errors``. A write refused for another reason (not allowed, a conflict,
too many tries) raises a ``ParticipationError``, answered 403, 409 or 429 with its message.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class ParticipationError(Exception):
    """A write that was refused; ``message`` is shown to the person, ``status`` used by the API."""

    status = 400

    def __init__(self, message, *, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.code = code


class NotAllowed(ParticipationError):
    status = 403


class Conflict(ParticipationError):
    """Someone else changed the item first (another moderator decided, or holds the claim)."""

    status = 409


class RateLimited(ParticipationError):
    status = 429

    def __init__(self, message, *, retry_after: int, code: str = "rate_limited"):
        super().__init__(message, code=code)
        self.retry_after = max(1, int(retry_after))


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def api_error(exc: ParticipationError) -> exceptions.APIException:
    """The API form of a service's refusal: 400, 403, 409 or 429 with Retry-After."""
    if isinstance(exc, RateLimited):
        return exceptions.Throttled(wait=exc.retry_after, detail=str(exc.message))
    if isinstance(exc, NotAllowed):
        return exceptions.PermissionDenied(detail=str(exc.message), code=exc.code)
    if isinstance(exc, Conflict):
        return ConflictError(detail=str(exc.message), code=exc.code)
    return exceptions.ValidationError({"detail": str(exc.message), "code": exc.code})


def validation_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as ``{field: [messages]}``; what is not about a field under ``non_field_errors``."""
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [(NON_FIELD_ERRORS, exc.messages)]
    errors: dict[str, list[str]] = {}
    for field, messages in items:
        key = api_settings.NON_FIELD_ERRORS_KEY if field in (NON_FIELD_ERRORS, None) else field
        errors.setdefault(key, []).extend(str(message) for message in messages)
    return errors


def form_add_errors(form, exc: DjangoValidationError) -> None:
    """Put a service's refusal under the form's fields (the rest above the form)."""
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, messages in items:
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def exception_handler(exc, context):
    """DRF's handler, which also answers a service's ValidationError (400 by field) and ParticipationError."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_errors(exc))
    elif isinstance(exc, ParticipationError):
        exc = api_error(exc)
    return drf_exception_handler(exc, context)
