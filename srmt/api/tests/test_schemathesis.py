"""Property-based tests of the whole API against its committed schema (openapi.yaml).

Schemathesis generates requests for every operation from `openapi.yaml`, valid ones and
invalid ones, and calls the Django WSGI app in-process with an administrator's token. Every
answer must be a non-5xx, with a documented status code and content type, and a body that
matches the documented schema. The run is bounded (MAX_EXAMPLES per operation) and
deterministic (`derandomize`), so CI sees the same requests every time.

Path parameters point at real objects half of the time (a generated `reference` of even
length is swapped for a real request's), so operations are exercised beyond their 404s.
Select with `-m schemathesis`, leave out with `-m "not schemathesis"`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from srmt.accounts.services import create_api_token
from srmt.api.tests.endpoints import World, make_world

pytestmark = pytest.mark.schemathesis

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "openapi.yaml"
MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

SEED = 20260307
# An explicit configuration: no schemathesis.toml is looked for, and the seed is fixed.
# Invalid data must be refused with a 4xx; 412 counts too, because a PATCH checks its
# If-Match precondition before its body (RFC 9110, 13.2.1).
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422]
            }
        },
    }
)
schema = schemathesis.openapi.from_path(SCHEMA_PATH, config=CONFIG)
schema.app = get_wsgi_application()


@dataclass(frozen=True)
class Target:
    world: World
    token: str


@pytest.fixture
def target(reference, settings, tmp_path) -> Iterator[Target]:
    settings.MEDIA_ROOT = tmp_path
    world = make_world()
    # The WSGI handler closes the database connection after each request, as in production;
    # the test's transaction lives on that connection, so keep it open (as Django's test
    # client does).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield Target(world, create_api_token(world.user, actor=world.user, name="fuzz").secret)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _point_at_real_objects(case: schemathesis.Case, world: World) -> None:
    parameters = case.path_parameters or {}
    real = {
        "reference": world.sr.reference,
        "receipt_number": world.receipt,
        "attachment_id": world.attachment_id,
    }
    if "attachment_id" in parameters:
        real["reference"] = world.expedite
    for name, value in list(parameters.items()):
        if name in real and len(str(value)) % 2 == 0:
            parameters[name] = real[name]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_schema(case: schemathesis.Case, target: Target) -> None:
    _point_at_real_objects(case, target.world)
    # Every example is a fresh client as far as the throttles go: hypothesis runs them all in
    # one test, and the create endpoint's many fields give it more than a minute's rate.
    cache.clear()
    case.call_and_validate(
        headers={"Authorization": f"Token {target.token}"},
        checks=CHECKS,
    )
