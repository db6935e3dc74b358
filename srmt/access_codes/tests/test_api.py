"""POST /api/v1/cases/{receipt_number}/access-codes/ (ADR 43): who may issue, the answer
(the code once), Idempotency-Key, problem details with stable codes."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from srmt.access_codes import codes
from srmt.access_codes.models import OnlineAccessCode
from srmt.access_codes.tests.helpers import paper_case
from srmt.accounts.choices import Role
from srmt.testing.factories import make_customer, make_representative, make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/{}/access-codes/"


def _client(user: object | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)  # type: ignore[arg-type]
    return client


def _case_system() -> object:
    return make_user(role=Role.CASE_SYSTEM, is_1367_cleared=True)


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("customer", 403, "permission_denied"),
        ("representative", 403, "permission_denied"),
        *[
            (role, 403, "permission_denied")
            for role in Role.values
            if role not in {"case_system", "administrator"}
        ],
        ("administrator", 403, "clearance_required"),
        ("case_system", 403, "clearance_required"),
        ("case_system_cleared", 201, None),
        ("administrator_cleared", 201, None),
    ],
)
def test_permission_matrix(who: str, status: int, code: str | None) -> None:
    case, _person = paper_case()
    users = {
        "anonymous": lambda: None,
        "customer": lambda: make_customer("c"),
        "representative": lambda: make_representative("r", cases=[case]),
        "case_system_cleared": lambda: make_user(role=Role.CASE_SYSTEM, is_1367_cleared=True),
        "administrator_cleared": lambda: make_user(role=Role.ADMINISTRATOR, is_1367_cleared=True),
    }
    user = users.get(who, lambda: make_user(role=who))()
    answer = _client(user).post(
        URL.format(case.receipt_number), {"role": "applicant", "delivery": "none"}, format="json"
    )
    assert answer.status_code == status, answer.content
    if code is not None:
        assert answer.json()["code"] == code
        assert OnlineAccessCode.objects.count() == 0
    else:
        assert OnlineAccessCode.objects.count() == 1


def test_the_code_is_answered_once_and_stored_hashed() -> None:
    case, person = paper_case()
    answer = _client(_case_system()).post(
        URL.format(case.receipt_number), {"role": "applicant", "delivery": "none"}, format="json"
    )
    body = answer.json()
    assert (answer.status_code, sorted(body)) == (
        201,
        ["code", "delivery", "expires_at", "receipt_number", "role"],
    )
    row = OnlineAccessCode.objects.get()
    assert (row.person, row.delivery) == (person, "none")
    assert codes.matches(body["code"], row.salt, row.digest)
    assert body["code"] not in row.digest


def test_an_idempotency_key_replays_the_answer_without_a_second_code() -> None:
    case, _person = paper_case()
    client = _client(_case_system())
    first = client.post(
        URL.format(case.receipt_number),
        {"role": "applicant", "delivery": "none"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    again = client.post(
        URL.format(case.receipt_number),
        {"role": "applicant", "delivery": "none"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert OnlineAccessCode.objects.count() == 1


@pytest.mark.parametrize(
    ("receipt", "body", "status", "code"),
    [
        ("EAC2699999999", {"role": "applicant"}, 404, "not_found"),
        ("EAC26", {"role": "applicant"}, 400, "invalid_receipt_number"),
        ("EAC2690000001", {"role": "beneficiary"}, 400, "not_on_case"),
        ("EAC2690000001", {"role": "attorney"}, 400, "invalid_choice"),
        ("EAC2690000001", {"role": "applicant", "delivery": "pigeon"}, 400, "invalid_choice"),
        ("EAC2690000001", {"role": "applicant", "extra": 1}, 400, "unknown_field"),
    ],
)
def test_refusals_are_problem_details_and_change_nothing(
    receipt: str, body: dict[str, object], status: int, code: str
) -> None:
    paper_case()
    answer = _client(_case_system()).post(URL.format(receipt), body, format="json")
    assert answer.status_code == status, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["code"] == code
    assert OnlineAccessCode.objects.count() == 0
