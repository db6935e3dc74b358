"""The permission matrix of the workspace pages (docs/adr/0031): every role against the home
page, the queue with its export, bulk actions and saved views, and the notifications pages.
Outcomes are written out, not derived from accounts.roles; every refusal leaves the data as
it was. Customers and representatives are nobody on every staff URL (test_outside_accounts,
which walks these URLs too); 8 U.S.C. 1367 is test_confidentiality's, where these pages are
probed."""

from __future__ import annotations

import pytest

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.service_requests.models import ServiceRequest
from srmt.staff.tests.conftest import client_for
from srmt.testing.factories import make_case, make_service_request, make_user
from srmt.workspace.models import NotificationPreference, SavedQueueView

PAGES = ("home", "queue", "export", "bulk", "save_view", "notifications", "settings")
# role (and offices) -> status per page; bulk is a status change of a request held by ESC.
EXPECTED: dict[str, tuple[list[str], tuple[int, ...]]] = {
    "tier1": (["CC-T1"], (200, 200, 200, 403, 302, 200, 200)),
    "tier2_at_esc": (["ESC"], (200, 200, 200, 200, 302, 200, 200)),
    "tier2_elsewhere": (["CC-T2"], (200, 200, 200, 200, 302, 200, 200)),
    "office_staff_at_esc": (["ESC"], (200, 200, 200, 200, 302, 200, 200)),
    "office_staff_elsewhere": (["CSC"], (200, 404, 404, 404, 404, 200, 200)),
    "supervisor": (["ESC"], (200, 200, 200, 200, 302, 200, 200)),
    "qa_reviewer": ([], (200, 200, 200, 403, 302, 200, 200)),
    "analyst": ([], (302, 404, 404, 404, 404, 403, 403)),
    "administrator": ([], (200, 200, 200, 200, 302, 200, 200)),
    "case_system": ([], (403, 404, 404, 404, 404, 403, 403)),
}
ROLES = {
    "tier1": Role.TIER1,
    "tier2_at_esc": Role.TIER2,
    "tier2_elsewhere": Role.TIER2,
    "office_staff_at_esc": Role.OFFICE_STAFF,
    "office_staff_elsewhere": Role.OFFICE_STAFF,
    "supervisor": Role.SUPERVISOR,
    "qa_reviewer": Role.QA_REVIEWER,
    "analyst": Role.ANALYST,
    "administrator": Role.ADMINISTRATOR,
    "case_system": Role.CASE_SYSTEM,
}
# Whether the bulk status change went through for the request (the service decides: Tier 2
# elsewhere sees it but may not act on it, so its row is refused inside a 200).
BULK_DONE = {"tier2_at_esc", "office_staff_at_esc", "supervisor", "administrator"}


def test_the_matrix_covers_every_role():
    assert set(ROLES.values()) == set(Role)
    assert set(EXPECTED) == set(ROLES)
    assert all(len(outcomes) == len(PAGES) for _offices, outcomes in EXPECTED.values())


def _state(sr: ServiceRequest) -> tuple[object, ...]:
    fresh = ServiceRequest.objects.get(pk=sr.pk)
    return (fresh.version, fresh.status, fresh.assignee_id, fresh.office_id)


@pytest.mark.parametrize("actor", list(EXPECTED))
def test_workspace_pages_per_role(reference, actor):
    offices, expected = EXPECTED[actor]
    user = make_user(f"u_{actor}", role=ROLES[actor], offices=offices)
    sr = make_service_request(receipt_number=make_case(office="ESC").receipt_number)
    before = _state(sr)
    client = client_for(user)
    answers = (
        client.get("/staff/").status_code,
        client.get("/staff/queues/ESC/").status_code,
        client.get("/staff/queues/ESC/export.csv").status_code,
        client.post(
            "/staff/queues/ESC/bulk/",
            {"reference": [sr.reference], "action": "status", "to": "in_progress"},
        ).status_code,
        client.post("/staff/queues/ESC/views/", {"name": "Mine"}).status_code,
        client.get("/staff/notifications/").status_code,
        client.get("/staff/notifications/settings/").status_code,
    )
    assert answers == expected
    if actor in BULK_DONE:
        assert _state(sr)[1] == "in_progress"
    else:
        assert _state(sr) == before
    saved = expected[PAGES.index("save_view")] == 302
    assert SavedQueueView.objects.filter(owner=user).count() == (1 if saved else 0)
    exported = AuditEvent.objects.filter(action="service_requests.exported", actor=user).count()
    assert exported == (1 if expected[PAGES.index("export")] == 200 else 0)
    assert not NotificationPreference.objects.filter(user=user).exists()
