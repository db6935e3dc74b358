"""Electronically filed cases belong to the account that filed them (ADR 43): the case
systems say so through the cases API and `srmt import-cases`; the filer sees the case;
which cases get the full account."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from srmt.accounts.choices import Role
from srmt.cases import access
from srmt.cases.models import Case
from srmt.testing.factories import make_case, make_customer, make_user

pytestmark = pytest.mark.django_db


def _put(body: dict[str, object]) -> object:
    client = APIClient()
    client.force_authenticate(make_user(role=Role.CASE_SYSTEM, is_1367_cleared=True))
    base = {"form_type": "I-130", "office": "NSC", "received_on": "2026-02-03"}
    return client.put("/api/v1/cases/IOE0912345678/", {**base, **body}, format="json")


def test_the_cases_api_records_the_online_filer_and_the_filer_sees_the_case() -> None:
    ana = make_customer("ana")
    answer = _put({"filed_online_by": "ANA@example.com"})
    assert answer.status_code == 201, answer.content
    case = Case.objects.get()
    assert case.filed_online_by == ana
    assert list(access.own_cases(ana)) == [case]
    assert list(access.own_cases(make_customer("luis"))) == []
    # Left out: unchanged; empty: cleared.
    assert _put({}).status_code == 200
    assert Case.objects.get().filed_online_by == ana
    assert _put({"filed_online_by": ""}).status_code == 200
    assert Case.objects.get().filed_online_by is None


def test_an_unknown_filer_is_refused_and_nothing_is_written() -> None:
    answer = _put({"filed_online_by": "nobody@example.com"})
    assert (answer.status_code, answer.json()["code"]) == (400, "invalid_person")
    assert Case.objects.count() == 0


def test_import_cases_takes_the_online_filer(tmp_path) -> None:
    ana = make_customer("ana")
    path = tmp_path / "cases.csv"
    path.write_text(
        "receipt_number,form_type,office,received_on,filed_online_by\n"
        "IOE0912345678,I-130,NSC,2026-02-03,ana@example.com\n",
        encoding="utf-8",
    )
    call_command("import_cases", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Case.objects.get().filed_online_by == ana


@pytest.mark.parametrize(
    ("receipt", "filed_online", "full"),
    [
        ("EAC2690000001", False, False),  # paper, no IOE receipt: status tracking only
        ("IOE0912345678", False, True),  # paper with an IOE receipt
        ("IOE0912345679", True, True),  # filed online
        ("LIN2690000001", True, True),  # filed online, whatever the receipt says
    ],
)
def test_full_account_by_kind_of_case(receipt: str, filed_online: bool, full: bool) -> None:
    case = make_case(receipt)
    if filed_online:
        case.filed_online_by = make_customer("filer")
    assert access.full_account(case) is full


_receipts = st.builds(
    lambda prefix, digits: prefix + digits,
    st.one_of(st.just("IOE"), st.text(alphabet="ACEILNOSW", min_size=3, max_size=3)),
    st.text(alphabet="0123456789", min_size=10, max_size=10),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(_receipts, st.booleans()), max_size=8, unique_by=lambda r: r[0]))
def test_the_filter_and_the_function_agree_on_every_case(
    reference: None, cases: list[tuple[str, bool]]
) -> None:
    """access.full_account_q() (what the pages and services filter on) picks exactly the
    cases access.full_account() says get the full account, for any receipt and filer."""
    with transaction.atomic():
        filer = make_customer("filer")
        made = [
            make_case(receipt, filed_online_by=filer if online else None)
            for receipt, online in cases
        ]
        full = set(Case.objects.filter(access.full_account_q()).filter(pk__in=[c.pk for c in made]))
        assert full == {c for c in made if access.full_account(c)}
        transaction.set_rollback(True)
