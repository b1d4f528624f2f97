"""Answers to a category's extra questions: checked against the questions, stored as JSON."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .models import CategoryQuestion, QuestionDatatype


def _is_empty(value) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, list | tuple) and not value)
    )


def answer_clean(question: CategoryQuestion, value):
    """The answer in the form stored in JSON; raises ValidationError with a message for the person."""
    datatype = question.datatype
    if datatype == QuestionDatatype.NUMBER:
        try:
            number = float(str(value).replace(",", ".").strip())
        except ValueError:
            raise ValidationError(_("Give a number.")) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValidationError(_("Give a number."))
        return int(number) if number.is_integer() else number
    if datatype == QuestionDatatype.DATETIME:
        if isinstance(value, datetime):
            return value.isoformat()
        parsed = parse_datetime(str(value).strip())
        if parsed is None:
            raise ValidationError(_("Give a date and time, e.g. 2026-05-14 08:30."))
        return parsed.isoformat()
    keys = [key for key, _label in question.choice_list()]
    if datatype == QuestionDatatype.SINGLE:
        value = value[0] if isinstance(value, list | tuple) and len(value) == 1 else value
        if str(value) not in keys:
            raise ValidationError(_("Choose one of the proposed answers."))
        return str(value)
    if datatype == QuestionDatatype.MULTIPLE:
        values = [str(item) for item in (value if isinstance(value, list | tuple) else str(value).split(","))]
        values = [item.strip() for item in values if item.strip()]
        if any(item not in keys for item in values):
            raise ValidationError(_("Choose among the proposed answers."))
        return values
    text = str(value).strip()
    limit = 200 if datatype == QuestionDatatype.STRING else 2000
    if len(text) > limit:
        raise ValidationError(_("Keep the answer under %(n)s characters.") % {"n": limit})
    return text


def answers_clean(questions, answers: dict | None) -> dict:
    """Check the answers to ``questions`` (those of one category); unknown codes are ignored.

    Raises ValidationError({"<code>": [message]}) naming every question answered wrong or not at all.
    """
    answers = answers or {}
    cleaned, errors = {}, {}
    for question in questions:
        value = answers.get(question.code)
        if _is_empty(value):
            if question.required:
                errors[question.code] = [_("Please answer “%(question)s”.") % {"question": question.label}]
            continue
        try:
            cleaned[question.code] = answer_clean(question, value)
        except ValidationError as error:
            errors[question.code] = [f"{question.label}: {message}" for message in error.messages]
    if errors:
        raise ValidationError(errors)
    return cleaned
