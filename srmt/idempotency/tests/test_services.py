"""Claims must run in the transaction of the write they guard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from srmt.idempotency import services
from srmt.idempotency.models import IdempotencyRecord, SubmissionToken
from srmt.testing.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

CLAIMS: list[tuple[str, Callable[[Any], Any]]] = [
    (
        "claim_key",
        lambda user: services.claim_key(user, "k", method="POST", path="/x/", body_hash="h"),
    ),
    ("claim_token", lambda user: services.claim_token(user, "t")),
    ("record_result", lambda user: services.record_result(user, "t", "/x/")),
    ("release_token", lambda user: services.release_token(user, "t")),
]


@pytest.mark.parametrize(("name", "claim"), CLAIMS, ids=[name for name, _claim in CLAIMS])
def test_a_claim_outside_a_transaction_is_refused(name: str, claim: Callable[[Any], Any]) -> None:
    user = make_user(role="tier2")
    with pytest.raises(RuntimeError, match=f"{name} must run in the transaction"):
        claim(user)
    assert (IdempotencyRecord.objects.count(), SubmissionToken.objects.count()) == (0, 0)


def test_a_token_claimed_twice_answers_where_the_first_landed() -> None:
    user = make_user(role="tier2")
    with transaction.atomic():
        first = services.claim_token(user, "t")
        services.record_result(user, "t", "/staff/requests/SR-1/")
    with transaction.atomic():
        second = services.claim_token(user, "t")
    assert (first, second) == (None, "/staff/requests/SR-1/")
    assert SubmissionToken.objects.get().result_url == "/staff/requests/SR-1/"
