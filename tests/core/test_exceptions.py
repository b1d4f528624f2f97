"""The core's exception handler: a service's ValidationError is a 400 keyed by field, in every API."""

import json

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import RequestFactory
from rest_framework.views import APIView

from civic.core.exceptions import NotAllowed, exception_handler, validation_errors


def answer(exc):
    request = RequestFactory().get("/")
    response = exception_handler(exc, {"view": APIView(), "request": request})
    return response.status_code, response.data


def test_a_validation_error_keyed_by_field_is_a_400_under_that_field():
    status, data = answer(DjangoValidationError({"title": "Give your idea a title.", "photo": ["a.gif: no."]}))

    assert status == 400
    assert json.loads(json.dumps(data)) == {"title": ["Give your idea a title."], "photo": ["a.gif: no."]}


def test_what_is_not_about_one_field_goes_under_non_field_errors():
    assert validation_errors(DjangoValidationError("The vote is closed.")) == {
        "non_field_errors": ["The vote is closed."]
    }
    assert validation_errors(DjangoValidationError({"__all__": ["Both or neither."]})) == {
        "non_field_errors": ["Both or neither."]
    }


def test_a_refusal_for_another_reason_keeps_its_status():
    status, data = answer(NotAllowed("Only council staff review ideas.", code="forbidden"))

    assert status == 403 and str(data["detail"]) == "Only council staff review ideas."


def test_every_api_uses_the_core_handler(settings):
    assert settings.REST_FRAMEWORK["EXCEPTION_HANDLER"] == "civic.core.exceptions.exception_handler"


@pytest.mark.django_db
def test_a_service_refusal_in_an_api_view_is_a_400_under_its_field(client, category_factory):
    """``coordinates_clean`` raises Django's ValidationError; the handler answers it under ``location``."""
    category_factory(code="pothole")

    response = client.get("/api/v1/reports/nearby/", {"category": "pothole", "lon": "200", "lat": "45.7"})

    assert response.status_code == 400
    assert list(response.json()) == ["location"]
