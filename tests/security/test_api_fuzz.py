"""Every operation of the public API, called with inputs generated from its OpenAPI schema
(schemathesis + Hypothesis): whatever is sent, the answer is never a server error.

The number of cases per operation is bounded (``FUZZ_EXAMPLES``, 4 by default) so that the whole
file stays within about a minute; raise it locally to search harder.
"""

import json
import os
from urllib.parse import urlencode

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.core import NotSet

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))


@pytest.fixture
def token(db, user_factory, area_factory):
    area_factory()
    return Token.objects.create(user=user_factory(roles=["resident"])).key


def _send(case, token):
    """The case, sent through Django's test client (on the test's database connection and transaction)."""
    path = case.formatted_path
    if case.query:
        path += "?" + urlencode(case.query, doseq=True)
    body, content_type = b"", "application/json"
    if case.body is not None and not isinstance(case.body, NotSet):
        if isinstance(case.body, (str, bytes)) and not (case.media_type and "json" in case.media_type):
            body, content_type = case.body, case.media_type or "application/octet-stream"
        else:
            body = json.dumps(case.body, allow_nan=True)
    headers = {f"HTTP_{name.upper().replace('-', '_')}": str(value) for name, value in (case.headers or {}).items()}
    headers["HTTP_AUTHORIZATION"] = f"Token {token}"  # a resident's, whatever the case generated
    headers.pop("HTTP_CONTENT_TYPE", None)
    return Client().generic(case.method, path, body, content_type=content_type, **headers)


def test_no_operation_answers_a_server_error(token):
    raw = json.loads(Client().get("/api/schema/", {"format": "json"}).content)
    schema = schemathesis.openapi.from_dict(raw)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            try:
                status = _send(case, token).status_code
            except Exception as exc:  # the test client re-raises what the view raised: a server error
                failures.append(f"{case.method} {case.formatted_path} {case.query} {case.body!r:.300}: {exc!r}")
                return
            if status >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query} {case.body!r:.300}: {status}")

        check()
    assert operations > 20
    assert failures == [], "\n".join(failures)
