"""API: possible repeats at submission, linking, merging and the repeat_count filter."""

from __future__ import annotations

from collections.abc import Callable

from rest_framework.test import APIClient

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.api.tests.conftest import row_counts, valid_submission
from srmt.testing.factories import make_case

Clients = Callable[..., tuple[APIClient, User]]
URL = "/api/v1/service-requests/"


def test_possible_repeat_then_link_merge_and_filter(make_client: Clients) -> None:
    client, _user = make_client(Role.TIER1)
    make_case("EAC2190012345")
    first = client.post(URL, valid_submission(), format="json")
    assert first.status_code == 201
    original = first.data["reference"]

    before = row_counts()
    asked = client.post(URL, valid_submission(repeat_check="ask"), format="json")
    assert asked.status_code == 409
    assert asked.data["code"] == "possible_repeat"
    assert [c["reference"] for c in asked.data["candidates"]] == [original]
    assert asked.data["candidates"][0]["repeat_count"] == 0
    assert asked.data["case_repeat_count"] == 0
    assert row_counts() == before

    linked = client.post(URL, valid_submission(repeat_of=original), format="json")
    assert linked.status_code == 201
    assert (linked.data["repeat_of"], linked.data["repeat_count"]) == (original, 1)

    merged = client.post(URL, valid_submission(merge_into=original), format="json")
    assert merged.status_code == 201
    assert (merged.data["status"], merged.data["repeat_count"]) == ("merged", 2)

    again = client.post(URL, valid_submission(repeat_check="ask"), format="json")
    assert (again.status_code, again.data["case_repeat_count"]) == (409, 2)

    new = client.post(URL, valid_submission(repeat_check="ignore"), format="json")
    assert (new.status_code, new.data["repeat_count"]) == (201, 0)

    listed = client.get(URL, {"repeat_count_min": 2})
    assert sorted(r["reference"] for r in listed.data["results"]) == sorted(
        [original, linked.data["reference"], merged.data["reference"]]
    )
    bad = client.get(URL, {"repeat_count_min": -1})
    assert bad.status_code == 400


def test_repeat_and_merge_together_are_refused(make_client: Clients) -> None:
    client, _user = make_client(Role.TIER1)
    make_case("EAC2190012345")
    original = client.post(URL, valid_submission(), format="json").data["reference"]
    before = row_counts()
    response = client.post(
        URL, valid_submission(repeat_of=original, merge_into=original), format="json"
    )
    assert (response.status_code, response.data["code"]) == (400, "invalid_repeat")
    assert row_counts() == before
