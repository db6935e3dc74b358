"""Plain factory functions for tests: make_*(**overrides) returning saved objects."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from srmt.accounts import services as accounts
from srmt.accounts.actors import SYSTEM
from srmt.accounts.choices import AccountKind, Role
from srmt.accounts.models import User
from srmt.cases import links
from srmt.cases.choices import LinkMethod, PartyRole
from srmt.cases.models import Case, Person, Representation
from srmt.offices.models import FormType, Office
from srmt.service_requests import services
from srmt.service_requests.expedites import ExpediteData
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.requesters import RequesterData

_serial = itertools.count(1)


def make_user(
    username: str | None = None,
    *,
    role: str = Role.TIER1,
    offices: list[str] | tuple[str, ...] = (),
    is_1367_cleared: bool = False,
    **extra: Any,
) -> User:
    user = User.objects.create_user(
        username=username or f"user{next(_serial)}",
        password="correct horse battery staple",
        role=role,
        is_1367_cleared=is_1367_cleared,
        **extra,
    )
    if offices:
        user.offices.set(Office.objects.filter(code__in=offices))
    return user


def make_customer(
    username: str,
    *,
    people: list[Person] | tuple[Person, ...] = (),
    filed_online: list[Case] | tuple[Case, ...] = (),
) -> User:
    """A customer account, linked (verified by access code) to `people`, that filed the
    cases `filed_online` online (`Case.filed_online_by`, also set on the objects given): a
    paper case without an IOE receipt gets status tracking only (ADR 43, revised)."""
    account = accounts.create_outside_account(
        username, kind=AccountKind.CUSTOMER, email=f"{username}@example.com", actor=None
    )
    for person in people:
        links.link_customer(account, person, method=LinkMethod.ACCESS_CODE, actor=SYSTEM)
    for case in filed_online:
        case.filed_online_by = account
    Case.objects.filter(pk__in=[c.pk for c in filed_online]).update(filed_online_by=account)
    return account


def make_representative(
    username: str,
    *,
    cases: list[Case] | tuple[Case, ...] = (),
    accepted_on: dt.date = dt.date(2026, 3, 2),
) -> User:
    """An attorney's account with a Form G-28 accepted on `accepted_on` on each of `cases`."""
    account = accounts.create_outside_account(
        username, kind=AccountKind.REPRESENTATIVE, email=f"{username}@example.com", actor=None
    )
    for case in cases:
        make_g28(account, case, accepted_on=accepted_on)
    return account


def make_g28(account: User, case: Case, *, accepted_on: dt.date) -> Representation:
    return links.record_representation(
        account, case, role=PartyRole.ATTORNEY, accepted_on=accepted_on, actor=SYSTEM
    )


def make_case(
    receipt_number: str | None = None,
    *,
    form: str = "I-130",
    office: str = "ESC",
    is_protected: bool = False,
    **extra: Any,
) -> Case:
    number = receipt_number or f"EAC{2190000000 + next(_serial):010d}"
    return Case.objects.create(
        receipt_number=number,
        form_type=FormType.objects.get(code=form),
        office=Office.objects.get(code=office),
        received_on=extra.pop("received_on", dt.date(2026, 3, 2)),
        is_protected=is_protected,
        status_text=extra.pop("status_text", "Case Was Received"),
        **extra,
    )


def make_service_request(
    *,
    actor: User | None = None,
    type: str = "general_case_inquiry",
    channel: str = "phone_tier1",
    receipt_number: str = "",
    description: str = "Caller asks when the interview will be scheduled.",
    requester: RequesterData | None = None,
    urgency: str = "normal",
) -> ServiceRequest:
    actor = (
        actor
        or User.objects.filter(username="factory_tier1").first()
        or make_user("factory_tier1", role=Role.ADMINISTRATOR)
    )
    if not receipt_number and type != "change_of_address":
        receipt_number = make_case().receipt_number
    sr, _created = services.submit_request(
        services.Submission(
            type=type,
            channel=channel,
            description=description,
            receipt_number=receipt_number,
            urgency=urgency,
            requester=requester
            or RequesterData(name="Ana Pérez", email="ana@example.com", language="es"),
            expedite=ExpediteData("severe_financial_loss", "A job offer depends on it.")
            if type == "expedite_request"
            else None,
        ),
        actor=actor,
    )
    return sr
