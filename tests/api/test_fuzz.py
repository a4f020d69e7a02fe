"""schemathesis over the OpenAPI schema, through the WSGI app, as a logged-in officer: whatever
the generated requests hold, the API answers without a server error.

Bounded (a few examples per operation) so it runs with the rest of the suite on both databases.
"""

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from unionhub.core import scope
from unionhub.orgs import services


@pytest.fixture
def keep_the_test_connection():
    """Django's handler closes a connection it finds inside a transaction when a request ends;
    the test's own transaction is one. Django's test client unhooks this the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def officer_token(tree, officer_at):
    """One account holding every role the API serves, at one district."""
    officer = officer_at(tree.district_a, scope.REGISTRAR)
    for role in (scope.CLERK, scope.UNIT_ADMIN, scope.CONGRESS_ORGANISER):
        services.role_grant(user=officer, unit=tree.district_a, role=role, by=tree.admin)
    return Token.objects.create(user=officer).key


# Read when the tests are collected, from the app itself; the schema is public outside production.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@schema.parametrize()
@hypothesis.settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_never_answers_with_a_server_error(case, officer_token, keep_the_test_connection):
    response = case.call(headers={"Authorization": f"Token {officer_token}"})
    case.validate_response(response, checks=[not_a_server_error])
