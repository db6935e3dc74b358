"""The sweep deletes idempotency records and claimed submission tokens past the retention."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from srmt.idempotency.models import IdempotencyRecord, SubmissionToken
from srmt.service_requests.sweep import run_sweep
from srmt.testing.factories import make_user

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def _keep(user: Any, name: str, age: dt.timedelta) -> None:
    IdempotencyRecord.objects.create(
        user=user, key=name, method="POST", path="/api/v1/x/", body_hash="h",
        status_code=201, created_at=AT - age,
    )  # fmt: skip
    SubmissionToken.objects.create(user=user, token=name, claimed_at=AT - age, result_url="/")


@pytest.mark.parametrize(
    ("retention_hours", "kept"),
    [(48, ["47 hours", "48 hours"]), (24, [])],
)
def test_the_sweep_purges_what_is_older_than_the_retention(
    reference: None, settings: Any, retention_hours: int, kept: list[str]
) -> None:
    # given keys and tokens 47 hours, exactly 48 hours and 49 hours old
    settings.SRMT_IDEMPOTENCY_RETENTION_HOURS = retention_hours
    user = make_user(role="tier2")
    for hours in (47, 48, 49):
        _keep(user, f"{hours} hours", hours * HOUR)
    # when
    report = run_sweep(at=AT)
    # then
    assert report.idempotency_purged == 2 * (3 - len(kept))
    assert report.as_dict()["idempotency_purged"] == report.idempotency_purged
    assert sorted(IdempotencyRecord.objects.values_list("key", flat=True)) == kept
    assert sorted(SubmissionToken.objects.values_list("token", flat=True)) == kept
