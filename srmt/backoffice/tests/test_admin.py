"""The admin's record views: read-only, under the staff pages' rules, audited.

The 1367 side (a protected case answered as an unknown one, for every actor kind) is proved in
srmt/tests/test_confidentiality.py; here: office scope, list rows, and what the outbox admin
refuses."""

from __future__ import annotations

import pytest
from django.test import Client

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.audit.models import AuditEvent
from srmt.backoffice import visibility
from srmt.notifications.models import Notification
from srmt.service_requests import services
from srmt.testing.factories import make_case, make_service_request, make_user

pytestmark = pytest.mark.usefixtures("reference")


def _admin_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _superuser(role: str = Role.ADMINISTRATOR, **extra: object) -> User:
    return make_user(role=role, is_staff=True, is_superuser=True, **extra)


def test_an_office_scoped_superuser_sees_only_the_cases_of_its_offices() -> None:
    make_case("EAC2190000001", office="ESC")
    make_case("WAC2190000002", office="CSC")
    client = _admin_client(_superuser(Role.OFFICE_STAFF, offices=["ESC"]))

    page = client.get("/admin/cases/case/").content.decode()

    assert ("EAC2190000001" in page, "WAC2190000002" in page) == (True, False)


def test_admin_lists_and_details_of_records_are_audited() -> None:
    case = make_case("EAC2190000001", office="ESC")
    user = _superuser()
    client = _admin_client(user)

    client.get("/admin/cases/case/")
    client.get(f"/admin/cases/case/{case.pk}/change/")

    events = (
        AuditEvent.objects.filter(actor=user)
        .exclude(action="user.signed_in")
        .values_list("action", "object_id", "changes")
    )
    assert list(events) == [
        ("case.listed", "*", {"ids": ["EAC2190000001"]}),
        ("case.viewed", "EAC2190000001", {"in": "admin"}),
    ]


def test_list_rows_show_only_the_ids_the_reader_may_see() -> None:
    cleared = make_user("cleared", role=Role.ADMINISTRATOR, is_1367_cleared=True)
    public = make_service_request(actor=cleared)
    hidden = make_service_request(
        actor=cleared, receipt_number=make_case(is_protected=True).receipt_number
    )
    # a list row written before list rows left protected objects out
    audit.record(
        actor=cleared,
        action=AuditAction.SERVICE_REQUEST_LISTED,
        object_type="service_request",
        object_id="*",
        changes={"ids": [public.reference, hidden.reference]},
    )
    event = AuditEvent.objects.get(action="service_request.listed")
    uncleared = _superuser()

    page = _admin_client(uncleared).get(f"/admin/audit/auditevent/{event.pk}/change/")

    assert visibility.listed_ids(uncleared, event) == [public.reference]
    assert visibility.listed_ids(cleared, event) == [public.reference, hidden.reference]
    shown = page.content.decode()
    assert (public.reference in shown, hidden.reference in shown) == (True, False)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/notifications/notification/{pk}/delete/",
        "/admin/notifications/notification/{pk}/change/",
        "/admin/notifications/notification/add/",
    ],
)
def test_the_outbox_cannot_be_changed_or_deleted_in_the_admin(path: str) -> None:
    notification = _a_sent_response()
    client = _admin_client(_superuser(is_1367_cleared=True))
    before = list(Notification.objects.values_list("pk", "status", "body"))

    get = client.get(path.format(pk=notification.pk))
    post = client.post(path.format(pk=notification.pk), {"post": "yes", "body": "Changed."})

    assert (get.status_code, post.status_code) in {(200, 403), (403, 403)}
    if get.status_code == 200:  # the change page is a read-only view
        assert 'name="body"' not in get.content.decode()
    assert list(Notification.objects.values_list("pk", "status", "body")) == before


def _a_sent_response() -> Notification:
    supervisor = make_user(role=Role.SUPERVISOR)
    sr = make_service_request(actor=supervisor)
    services.add_response(sr, actor=supervisor, kind="initial", body="We are on it.")
    return Notification.objects.get(related_reference=sr.reference, kind="response_initial")


def test_the_outbox_list_offers_no_delete_action() -> None:
    _a_sent_response()
    page = _admin_client(_superuser(is_1367_cleared=True)).get("/admin/notifications/notification/")
    assert page.status_code == 200
    assert "delete_selected" not in page.content.decode()
