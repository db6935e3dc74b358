"""Token authentication: hashed tokens, refusals as 401 problems, the acting token in the
audit log, and throttles (per user, and per address for bad tokens)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from srmt.accounts import services as accounts
from srmt.accounts.choices import Role
from srmt.accounts.models import ApiToken, User
from srmt.api.tests.conftest import client_for, row_counts, valid_submission
from srmt.audit.models import AuditEvent
from srmt.testing.factories import make_service_request, make_user

CREATE = "/api/v1/service-requests/"


def token_client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@pytest.fixture
def officer(reference) -> User:
    return make_user("olga.officer", role=Role.TIER2, offices=["CC-T2"])


@pytest.fixture
def issued(officer):
    return accounts.create_api_token(officer, name="Case system", actor=officer)


def test_a_token_authenticates_its_user(issued, officer):
    response = token_client(issued.secret).post(CREATE, valid_submission(), format="json")

    assert response.status_code == 201
    assert AuditEvent.objects.get(action="service_request.created").actor == officer


def test_the_audit_event_of_an_api_write_names_the_token(issued):
    token_client(issued.secret).post(CREATE, valid_submission(), format="json")

    event = AuditEvent.objects.get(action="service_request.created")
    assert event.api_token_id == issued.token.pk


def test_the_audit_event_of_an_api_view_names_the_token(issued, officer):
    sr = make_service_request()

    response = token_client(issued.secret).get(f"{CREATE}{sr.reference}/")

    assert response.status_code == 200
    viewed = AuditEvent.objects.get(action="service_request.viewed")
    assert (viewed.actor, viewed.api_token_id) == (officer, issued.token.pk)


def test_a_session_authenticated_call_names_no_token(issued, officer):
    sr = make_service_request()
    client = APIClient()
    client.force_login(officer)

    client.get(f"{CREATE}{sr.reference}/")

    viewed = AuditEvent.objects.get(action="service_request.viewed")
    assert (viewed.actor, viewed.api_token_id) == (officer, None)


def test_the_acting_token_does_not_outlive_its_request(issued):
    sr = make_service_request()
    token_client(issued.secret).get(f"{CREATE}{sr.reference}/")

    accounts.revoke_api_token(issued.token, actor=issued.token.user)

    revoked = AuditEvent.objects.get(action="api_token.revoked")
    assert revoked.api_token_id is None


def _refused(secret: str) -> tuple[object, dict[str, int]]:
    before = row_counts()
    response = token_client(secret).post(CREATE, valid_submission(), format="json")
    return response, before


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        ("revoked", "This token was revoked."),
        ("expired", "This token has expired."),
        ("deactivated", "This token's user is deactivated."),
        ("unknown", "Invalid token."),
    ],
)
def test_refused_tokens_get_401_and_change_nothing(officer, case, detail):
    if case == "expired":
        with time_machine.travel(timezone.now() - dt.timedelta(days=91), tick=False):
            issued = accounts.create_api_token(officer, name="old", actor=officer)
    else:
        issued = accounts.create_api_token(officer, name="t", actor=officer)
    if case == "revoked":
        accounts.revoke_api_token(issued.token, actor=officer)
    if case == "deactivated":
        officer.is_active = False
        officer.save(update_fields=["is_active"])
    secret = issued.secret if case != "unknown" else issued.secret[:-2] + "zz"
    used_before = ApiToken.objects.get().last_used_at

    response, before = _refused(secret)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Token"
    assert (response.json()["code"], response.json()["detail"]) == (
        "authentication_failed",
        detail,
    )
    assert row_counts() == before
    assert ApiToken.objects.get().last_used_at == used_before


@pytest.mark.parametrize(
    "header", ["Token", "Token a b", "Token \u00e9\u00e9", "Bearer something", "token"]
)
def test_malformed_authorization_headers_are_refused(reference, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    before = row_counts()

    response = client.post(CREATE, valid_submission(), format="json")

    assert response.status_code == 401
    assert response.json()["code"] in {"authentication_failed", "not_authenticated"}
    assert row_counts() == before


def test_a_legacy_40_character_key_no_longer_works(reference, officer):
    # Keys of rest_framework.authtoken were stored in clear; they are gone (ADR 19).
    response, before = _refused("9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b")

    assert response.status_code == 401
    assert row_counts() == before


# --- throttles ----------------------------------------------------------------------------


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "3/minute", "failed_authentication": "2/minute"},
    }


def test_a_user_over_the_rate_gets_429_with_retry_after(low_rates, tier2):
    client, _user = tier2
    with time_machine.travel(dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC), tick=False):
        answers = [client.get("/api/v1/offices/").status_code for _ in range(3)]
        before = row_counts()
        refused = client.post(CREATE, valid_submission(), format="json")

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "throttled"
    assert refused["Retry-After"] == "60"
    assert row_counts() == before


def test_the_user_rate_counts_each_user_apart(low_rates, make_client):
    first, _ = make_client(Role.TIER2)
    second, _ = make_client(Role.TIER2)
    for _ in range(3):
        first.get("/api/v1/offices/")

    assert first.get("/api/v1/offices/").status_code == 429
    assert second.get("/api/v1/offices/").status_code == 200


def test_the_rate_allows_calls_again_once_the_window_passed(low_rates, tier2):
    client, _user = tier2
    start = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            client.get("/api/v1/offices/")
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        assert client.get("/api/v1/offices/").status_code == 200


def test_bad_tokens_are_throttled_per_address(low_rates, issued):
    start = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        bad = [token_client("srmt_guess_" + str(n)).get("/api/v1/offices/") for n in range(2)]
        # Once the address is over the limit, even a good token waits: guesses are refused
        # before any lookup.
        throttled_bad = token_client("srmt_guess_x").get("/api/v1/offices/")
        throttled_good = token_client(issued.secret).get("/api/v1/offices/")
        elsewhere = token_client(issued.secret).get("/api/v1/offices/", REMOTE_ADDR="10.0.0.9")

    assert [r.status_code for r in bad] == [401, 401]
    assert (throttled_bad.status_code, throttled_good.status_code) == (429, 429)
    assert throttled_bad.json()["code"] == "throttled"
    assert throttled_bad["Retry-After"] == "60"
    assert elsewhere.status_code == 200
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == start  # only the call from elsewhere got through
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        assert token_client(issued.secret).get("/api/v1/offices/").status_code == 200


def test_good_tokens_do_not_count_as_failures(low_rates, issued):
    client = token_client(issued.secret)

    answers = [client.get("/api/v1/offices/").status_code for _ in range(3)]

    assert answers == [200, 200, 200]


def test_the_default_rates_do_not_get_in_the_way_of_normal_use(tier2):
    client, _user = tier2

    answers = {client.get("/api/v1/offices/").status_code for _ in range(30)}

    assert answers == {200}


def test_sessions_are_still_accepted_by_the_api(officer):
    client = APIClient()
    client.force_login(officer)

    assert client.get("/api/v1/offices/").status_code == 200


def test_no_credentials_is_401_not_authenticated(reference):
    response = client_for(None).get("/api/v1/offices/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"
