"""Account kinds (ADR 27): only staff accounts hold a role, clearance or admin access."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from srmt.accounts import services as accounts
from srmt.accounts.actors import SYSTEM, kind_of
from srmt.accounts.choices import AccountKind, Role
from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit.models import AuditEvent
from srmt.testing.factories import make_user


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [AccountKind.CUSTOMER, AccountKind.REPRESENTATIVE])
@pytest.mark.parametrize(
    "flags",
    [
        {"role": Role.TIER1},
        {"role": Role.ADMINISTRATOR},
        {"is_1367_cleared": True},
        {"is_staff": True},
        {"is_superuser": True},
    ],
    ids=["tier1", "administrator", "cleared", "is_staff", "is_superuser"],
)
def test_the_database_refuses_staff_powers_on_outside_accounts(
    kind: AccountKind, flags: dict[str, object]
) -> None:
    account = accounts.create_outside_account("someone", kind=kind, email="", actor=None)
    before = User.objects.filter(pk=account.pk).values().get()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=account.pk).update(**flags)
    assert User.objects.filter(pk=account.pk).values().get() == before


@pytest.mark.django_db
def test_a_staff_account_needs_a_role() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nobody", kind=AccountKind.STAFF, role="")
    assert not User.objects.filter(username="nobody").exists()


@pytest.mark.django_db
def test_outside_accounts_have_no_capability_and_no_password() -> None:
    customer = accounts.create_outside_account(
        "ana", kind=AccountKind.CUSTOMER, email="ana@example.com", actor=None
    )
    assert (customer.role, customer.has_usable_password(), customer.is_agency_staff) == (
        "",
        False,
        False,
    )
    assert [c for c in Capability if customer.can(c)] == []
    assert (kind_of(customer), kind_of(SYSTEM), kind_of(make_user("t1"))) == (
        "customer",
        "system",
        "staff",
    )
    event = AuditEvent.objects.get(action="user.created")
    assert (event.object_id, event.changes) == (str(customer.pk), {"kind": "customer"})


@pytest.mark.django_db
def test_no_staff_account_is_made_as_an_outside_one() -> None:
    with pytest.raises(ValueError):
        accounts.create_outside_account("x", kind=AccountKind.STAFF, email="", actor=None)
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_the_admin_cannot_give_an_outside_account_staff_powers() -> None:
    from django.test import Client

    # given a customer and a superuser
    customer = accounts.create_outside_account(
        "ana", kind=AccountKind.CUSTOMER, email="ana@example.com", actor=None
    )
    admin_user = make_user(
        "root", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True, is_1367_cleared=True
    )
    client = Client()
    client.force_login(admin_user)
    url = f"/admin/accounts/user/{customer.pk}/change/"
    before = User.objects.filter(pk=customer.pk).values().get()
    # when
    page = client.get(url)
    posted = client.post(
        url,
        {
            "username": "ana",
            "email": "ana@example.com",
            "language": "en",
            "is_active": "on",
            "date_joined_0": "2026-12-03",
            "date_joined_1": "10:00:00",
            "kind": "staff",
            "role": "administrator",
            "is_1367_cleared": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    # then the staff fields are shown read-only and nothing of them changed
    assert page.status_code == 200
    editable = set(page.context["adminform"].form.fields)
    assert editable.isdisjoint({"kind", "role", "is_1367_cleared", "is_staff", "is_superuser"})
    assert posted.status_code == 302
    after = User.objects.filter(pk=customer.pk).values().get()
    staff_fields = ("kind", "role", "is_1367_cleared", "is_staff", "is_superuser")
    assert {f: after[f] for f in staff_fields} == {f: before[f] for f in staff_fields}
    assert list(customer.offices.all()) == []
