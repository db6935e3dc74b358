"""The queue's columns, sorting, saved views, bulk actions and CSV export (docs/adr/0031)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest
from django.utils import timezone

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.staff.export import safe_cell
from srmt.staff.tests.conftest import client_for
from srmt.staff.tests.demo import set_deadline
from srmt.testing.factories import make_case, make_service_request, make_user
from srmt.workspace.models import SavedQueueView


def _references(response) -> list[str]:
    return [sr.reference for sr, _overdue, _at_risk in response.context["rows"]]


@dataclass(frozen=True)
class Three:
    a: ServiceRequest
    b: ServiceRequest
    c: ServiceRequest

    def refs(self, names: str) -> list[str]:
        return [getattr(self, n).reference for n in names]


@pytest.fixture
def ben(reference) -> User:
    return make_user(
        "ben.adams", role=Role.OFFICE_STAFF, offices=["ESC"], first_name="Ben", last_name="Adams"
    )


@pytest.fixture
def three(esc_staff, ben, tier1) -> Three:
    """a: general inquiry by phone, English, assigned to Olga Ramos, due in 5 days, 3 days old;
    b: expedite by email, Spanish, Ben Adams, in progress, due in 1 day, 1 day old;
    c: outside normal processing time, online, English, unassigned, due in 10 days, 9 days old."""

    def make(type_: str, channel: str, language: str, name: str) -> ServiceRequest:
        return make_service_request(
            actor=tier1,
            type=type_,
            channel=channel,
            receipt_number=make_case(office="ESC").receipt_number,
            requester=RequesterData(
                name=name, email=f"{name.lower()}@example.com", language=language
            ),
        )

    a = make("general_case_inquiry", "phone_tier1", "en", "Ann")
    b = make("expedite_request", "email", "es", "Bea")
    c = make("outside_normal_processing_time", "online", "en", "Cy")
    services.assign_request(a, actor=esc_staff, assignee=esc_staff)
    services.assign_request(b, actor=ben, assignee=ben)
    services.transition_request(b, actor=ben, to="in_progress")
    set_deadline(a, created_days_ago=3, due_in_days=5)
    set_deadline(b, created_days_ago=1, due_in_days=1.5)
    set_deadline(c, created_days_ago=9, due_in_days=10)
    return Three(a, b, c)


# (sort key, ascending order, descending order): ties (one office) fall back on the id, in
# the same direction; requests without an assignee come last both ways.
SORTS = [
    ("type", "cba", "abc"),  # Case outside…, Expedite…, General…
    ("status", "abc"[::1], "cba"),  # Assigned, In progress, Received
    ("due", "bac", "cab"),
    ("channel", "bca", "acb"),  # Email, Online e-Request, Phone, Tier 1
    ("language", "acb", "bca"),  # English (a, c by id), Spanish
    ("assignee", "bac", "abc"),  # Adams, Ramos, then nobody
    ("office", "abc", "cba"),  # all ESC: by id
    ("created", "cab", "bac"),
]


@pytest.mark.parametrize(("key", "ascending", "descending"), SORTS, ids=[s[0] for s in SORTS])
def test_the_queue_sorts_by_every_column_both_ways(esc_staff, three, key, ascending, descending):
    client = client_for(esc_staff)
    up = client.get(f"/staff/queues/ESC/?sort={key}")
    down = client.get(f"/staff/queues/ESC/?sort=-{key}")
    assert _references(up) == three.refs(ascending)
    assert _references(down) == three.refs(descending)


def test_the_queue_sorts_by_reference(esc_staff, three):
    client = client_for(esc_staff)
    refs = sorted(three.refs("abc"))
    assert _references(client.get("/staff/queues/ESC/?sort=reference")) == refs
    assert _references(client.get("/staff/queues/ESC/?sort=-reference")) == refs[::-1]


def test_the_queue_sorts_types_by_their_spanish_names_in_spanish(esc_staff, three):
    # Caso fuera…, Consulta general…, Solicitud de trámite acelerado
    response = client_for(esc_staff).get(
        "/staff/queues/ESC/?sort=type", headers={"accept-language": "es"}
    )
    names = [sr.type.name_es for sr, _o, _r in response.context["rows"]]
    assert names == sorted(names)


@pytest.mark.parametrize("sort", ["nonsense", "-", "due_at", "-id", "requester__email"])
def test_an_unknown_sort_falls_back_on_the_due_date(esc_staff, three, sort):
    response = client_for(esc_staff).get(f"/staff/queues/ESC/?sort={sort}")
    assert response.status_code == 200
    assert _references(response) == three.refs("bac")


def test_sortable_headers_say_how_the_table_is_sorted(esc_staff, three):
    content = (
        client_for(esc_staff).get("/staff/queues/ESC/?sort=-created&status=all").content.decode()
    )
    assert content.count("aria-sort=") == 1
    assert (
        '<th scope="col" aria-sort="descending">'
        '<a class="usa-link srmt-sort-link" href="?status=all&amp;sort=created">Received'
    ) in content
    assert (
        'href="?status=all&amp;sort=type">Type'
        '<span class="usa-sr-only"> (select to sort by this column)'
    ) in content


def test_the_queue_shows_the_new_columns(esc_staff, three):
    content = client_for(esc_staff).get("/staff/queues/ESC/").content.decode()
    assert content.count('class="usa-link srmt-reference"') == 3
    for header in ("Due in", "Channel", "Language", "Assignee", "Office"):
        assert f">{header}<span" in content
    assert "<td>Spanish</td>" in content
    assert "<td>Email</td>" in content


# --- saved views ----------------------------------------------------------------------


def test_save_rename_and_delete_a_view(esc_staff, three):
    client = client_for(esc_staff)
    response = client.post(
        "/staff/queues/ESC/views/",
        {
            "name": "  My  overdue ",
            "status": "all",
            "assigned": "me",
            "sort": "-created",
            "page": "3",
        },
    )
    view = SavedQueueView.objects.get()
    assert (view.name, view.office.code, view.query) == (
        "My overdue",
        "ESC",
        {"status": "all", "assigned": "me", "sort": "-created"},
    )
    assert response["Location"] == "/staff/queues/ESC/?status=all&assigned=me&sort=-created"
    listed = client.get("/staff/queues/ESC/").content.decode()
    assert (
        'href="/staff/queues/ESC/?status=all&amp;assigned=me&amp;sort=-created">My overdue</a>'
        in listed
    )
    client.post(f"/staff/views/{view.pk}/rename/", {"name": "Mine"})
    view.refresh_from_db()
    assert view.name == "Mine"
    client.post(f"/staff/views/{view.pk}/delete/")
    assert not SavedQueueView.objects.exists()
    assert list(
        AuditEvent.objects.filter(object_type="queue_view")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["queue_view.saved", "queue_view.renamed", "queue_view.deleted"]


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "This field is required."),
        ("mine", "You already have a view named “mine”. Choose another name."),
        ("x" * 81, "Ensure this value has at most 80 characters (it has 81)."),
    ],
)
def test_a_view_needs_a_new_name(esc_staff, name, error):
    client = client_for(esc_staff)
    client.post("/staff/queues/ESC/views/", {"name": "Mine"})
    response = client.post("/staff/queues/ESC/views/", {"name": name})
    assert response.status_code == 400
    assert response.context["save_form"].errors == {"name": [error]}
    assert list(SavedQueueView.objects.values_list("name", flat=True)) == ["Mine"]


def test_another_users_view_is_not_found(esc_staff, ben):
    theirs = client_for(ben)
    theirs.post("/staff/queues/ESC/views/", {"name": "Ben's", "status": "all"})
    view = SavedQueueView.objects.get()
    client = client_for(esc_staff)
    events = AuditEvent.objects.count()
    assert client.post(f"/staff/views/{view.pk}/rename/", {"name": "Stolen"}).status_code == 404
    assert client.post(f"/staff/views/{view.pk}/delete/").status_code == 404
    assert "Ben&#x27;s" not in client.get("/staff/queues/ESC/").content.decode()
    view.refresh_from_db()
    assert (view.name, view.owner, AuditEvent.objects.count()) == ("Ben's", ben, events)


# --- bulk actions ---------------------------------------------------------------------


def _state(sr: ServiceRequest) -> tuple[object, ...]:
    fresh = ServiceRequest.objects.get(pk=sr.pk)
    return (
        fresh.version,
        fresh.status,
        fresh.assignee_id,
        fresh.office_id,
        fresh.status_changes.count(),
    )


def test_bulk_assign_reports_each_request_and_keeps_refused_ones_unchanged(
    reference, esc_staff, ben, tier1, three
):
    # given a Tier 2 worker at ESC (who sees every office and acts on ESC's requests), c at
    # ESC, a closed request at ESC, one at CSC, one on a 1367 case he may not see, and a
    # reference that names nothing
    worker = make_user("tomas.t2", role=Role.TIER2, offices=["ESC"])
    closed = make_service_request(
        actor=tier1, receipt_number=make_case(office="ESC").receipt_number
    )
    services.add_response(closed, actor=esc_staff, kind="final", body="Done.")
    at_csc = make_service_request(
        actor=tier1, receipt_number=make_case(office="CSC").receipt_number
    )
    admin = make_user("admin1", role=Role.ADMINISTRATOR, is_1367_cleared=True)
    protected = make_service_request(
        actor=admin, receipt_number=make_case(office="ESC", is_protected=True).receipt_number
    )
    refused = (closed, at_csc, protected)
    before = [_state(sr) for sr in refused]
    events = AuditEvent.objects.filter(action="service_request.assigned").count()
    # when he assigns them all to Ben at once
    response = client_for(worker).post(
        "/staff/queues/ESC/bulk/",
        {
            "reference": [
                three.c.reference,
                closed.reference,
                at_csc.reference,
                protected.reference,
                "SR-NONE-0000",
            ],
            "action": "assign",
            "assignee": "ben.adams",
        },
    )
    # then one was done, four refused with the reason, and the refused ones are unchanged
    not_found = "No service request matches that reference, or you may not see it."
    assert response.status_code == 200
    assert [(r.reference, r.done, r.message) for r in response.context["results"]] == [
        (three.c.reference, True, "Done. Status: Assigned; assigned to Ben Adams."),
        (closed.reference, False, "This request is closed. Reopen it to change it."),
        (at_csc.reference, False, "Your role does not allow you to do that on this request."),
        (protected.reference, False, not_found),
        ("SR-NONE-0000", False, not_found),
    ]
    assert ServiceRequest.objects.get(pk=three.c.pk).assignee == ben
    assert [_state(sr) for sr in refused] == before
    assert AuditEvent.objects.filter(action="service_request.assigned").count() == events + 1
    content = response.content.decode()
    assert content.count(">Refused</span>") == 4
    assert "1 request changed. 4 refused." in content


def test_bulk_transfer_and_status_change_each_go_through_the_service(esc_staff, three):
    client = client_for(esc_staff)
    transfer = client.post(
        "/staff/queues/ESC/bulk/",
        {
            "reference": [three.a.reference],
            "action": "transfer",
            "office": "CSC",
            "reason": "Their case.",
        },
    )
    status = client.post(
        "/staff/queues/ESC/bulk/",
        {
            "reference": [three.b.reference, three.c.reference],
            "action": "status",
            "to": "in_progress",
        },
    )
    assert [(r.done, r.message) for r in transfer.context["results"]] == [
        (True, "Done. Status: Transferred; at CSC."),
    ]
    assert [r.done for r in status.context["results"]] == [False, True]
    assert ServiceRequest.objects.get(pk=three.a.pk).office.code == "CSC"
    assert ServiceRequest.objects.get(pk=three.c.pk).status == "in_progress"
    audited = AuditEvent.objects.filter(
        action="service_request.transitioned", actor=esc_staff
    ).values_list("object_id", flat=True)
    assert sorted(audited) == sorted([three.a.reference, three.c.reference])


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"action": "assign"}, {"assignee": ["Choose who to assign the requests to."]}),
        (
            {"action": "transfer"},
            {
                "office": ["Choose the office to transfer the requests to."],
                "reason": ["Give a reason for the transfer."],
            },
        ),
        ({"action": "status"}, {"to": ["Choose the new status."]}),
        (
            {"action": "status", "to": "withdrawn"},
            {"reason": ["Give a reason for withdrawing the requests."]},
        ),
        ({"action": ""}, {"action": ["This field is required."]}),
    ],
)
def test_bulk_form_errors_all_at_once_and_nothing_changes(esc_staff, three, data, errors):
    before = [_state(sr) for sr in (three.a, three.b, three.c)]
    response = client_for(esc_staff).post(
        "/staff/queues/ESC/bulk/", {"reference": three.refs("abc"), **data}
    )
    assert response.status_code == 400
    assert response.context["bulk_form"].errors == errors
    assert [_state(sr) for sr in (three.a, three.b, three.c)] == before


def test_bulk_without_a_selection_changes_nothing(esc_staff, three):
    response = client_for(esc_staff).post(
        "/staff/queues/ESC/bulk/", {"action": "status", "to": "in_progress"}
    )
    assert response.status_code == 400
    assert response.context["bulk_form"].non_field_errors() == ["Select at least one request."]


@pytest.mark.parametrize("role", [Role.TIER1, Role.QA_REVIEWER])
def test_roles_that_cannot_change_requests_get_no_bulk_actions(reference, three, role):
    user = make_user(role=role, offices=["ESC"])
    client = client_for(user)
    page = client.get("/staff/queues/ESC/")
    assert page.context["can_bulk"] is False
    assert 'id="bulk-form"' not in page.content.decode()
    before = _state(three.c)
    response = client.post(
        "/staff/queues/ESC/bulk/",
        {"reference": [three.c.reference], "action": "status", "to": "in_progress"},
    )
    assert response.status_code == 403
    assert _state(three.c) == before


# --- CSV export -----------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_export_holds_exactly_the_filtered_rows_in_order(esc_staff, three):
    response = client_for(esc_staff).get(
        "/staff/queues/ESC/export.csv?sort=-due&assigned=unassigned"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="srmt-ESC-')
    c = ServiceRequest.objects.get(pk=three.c.pk)
    local = timezone.localtime
    assert _csv(response) == [
        [
            "Reference",
            "Type",
            "Status",
            "Due",
            "Channel",
            "Language",
            "Assignee",
            "Office",
            "Received",
            "Escalation level",
            "Flagged",
        ],
        [
            c.reference,
            "Case outside normal processing time",
            "Received",
            local(c.due_at).isoformat(timespec="minutes"),
            "Online e-Request",
            "English",
            "",
            "ESC",
            local(c.created_at).isoformat(timespec="minutes"),
            "0",
            "No",
        ],
    ]
    event = AuditEvent.objects.get(action="service_requests.exported")
    assert (event.actor, event.object_id, event.changes) == (
        esc_staff,
        "*",
        {
            "office": "ESC",
            "query": {"assigned": "unassigned", "sort": "-due"},
            "count": 1,
            "ids": [c.reference],
        },
    )


def test_export_headers_and_values_follow_the_language(esc_staff, three):
    response = client_for(esc_staff).get(
        "/staff/queues/ESC/export.csv?assigned=unassigned", headers={"accept-language": "es"}
    )
    rows = _csv(response)
    assert rows[0][:4] == ["Referencia", "Tipo", "Estado", "Fecha límite"]
    assert rows[1][5] == "Inglés"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555", "'+1 555"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Ana Pérez", "Ana Pérez"),
        ("a=b", "a=b"),
        (None, ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_defused(value, written):
    assert safe_cell(value) == written


def test_an_assignee_named_like_a_formula_is_exported_as_text(esc_staff, tier1):
    evil = make_user(
        "evil",
        role=Role.OFFICE_STAFF,
        offices=["ESC"],
        first_name="=cmd|' /C calc'!A0",
        last_name="",
    )
    sr = make_service_request(actor=tier1, receipt_number=make_case(office="ESC").receipt_number)
    services.assign_request(sr, actor=esc_staff, assignee=evil)
    rows = _csv(client_for(esc_staff).get("/staff/queues/ESC/export.csv"))
    assert rows[1][6] == "'=cmd|' /C calc'!A0"


def test_export_leaves_out_what_the_user_may_not_see(reference, esc_staff, tier1):
    admin = make_user("admin1", role=Role.ADMINISTRATOR, is_1367_cleared=True)
    protected = make_service_request(
        actor=admin, receipt_number=make_case(office="ESC", is_protected=True).receipt_number
    )
    seen = make_service_request(actor=tier1, receipt_number=make_case(office="ESC").receipt_number)
    uncleared = _csv(client_for(esc_staff).get("/staff/queues/ESC/export.csv?status=all"))
    assert [r[0] for r in uncleared[1:]] == [seen.reference]
    vawa = make_user("vera", role=Role.OFFICE_STAFF, offices=["ESC-VAWA"], is_1367_cleared=True)
    cleared = _csv(client_for(vawa).get("/staff/queues/ESC-VAWA/export.csv?status=all"))
    assert [r[0] for r in cleared[1:]] == [protected.reference]
    # the protected request is named alone in the audit log, never in a list's row
    exported = AuditEvent.objects.filter(action="service_requests.exported").order_by("id")
    assert [(e.actor.username, e.object_id) for e in exported] == [
        (esc_staff.username, "*"),
        ("vera", "*"),
        ("vera", protected.reference),
    ]
    assert exported[1].changes["ids"] == []


def test_export_of_a_queue_the_user_may_not_open_is_not_found(csc_staff, esc_staff):
    assert client_for(csc_staff).get("/staff/queues/ESC/export.csv").status_code == 404
    assert not AuditEvent.objects.filter(action="service_requests.exported").exists()


# --- the filter panel and pickers (issue 9, section 5) ----------------------------------


def test_office_pickers_tell_apart_the_two_portland_field_offices_and_are_combo_boxes(
    supervisor,
):
    response = client_for(supervisor).get("/staff/queues/POO/")
    content = response.content.decode()
    assert dict(response.context["office_form"].fields["office"].choices)["POM"] == (
        "POM – Portland Field Office (Portland, ME)"
    )
    assert '<option value="POO" selected>POO – Portland Field Office (Portland, OR)</option>' in (
        content
    )
    assert "<h1>Work queue: Portland Field Office (Portland, OR)</h1>" in content
    assert '<div class="usa-combo-box" data-default-value="POO">' in content
    bulk_offices = dict(response.context["bulk_form"].fields["office"].choices)
    assert bulk_offices["POM"] == "POM – Portland Field Office (Portland, ME)"
    assert content.count('<div class="usa-combo-box"') == 1  # no rows: no bulk form


def test_the_filter_panel_has_a_filter_button_and_a_clear_link(esc_staff):
    content = client_for(esc_staff).get("/staff/queues/ESC/?status=all").content.decode()
    assert '<button type="submit" class="usa-button">Filter</button>' in content
    assert '<a class="usa-link" href="/staff/queues/ESC/">Clear filters</a>' in content
    assert '<div class="tablet:grid-col-8 desktop:grid-col-6 srmt-sort-field">' in content


def test_a_rename_to_a_taken_name_is_refused_and_changes_nothing(esc_staff):
    client = client_for(esc_staff)
    client.post("/staff/queues/ESC/views/", {"name": "Mine"})
    client.post("/staff/queues/ESC/views/", {"name": "Other", "status": "all"})
    other = SavedQueueView.objects.get(name="Other")
    response = client.post(f"/staff/views/{other.pk}/rename/", {"name": "MINE"}, follow=True)
    assert "You already have a view named “MINE”. Choose another name." in (
        response.content.decode()
    )
    assert sorted(SavedQueueView.objects.values_list("name", flat=True)) == ["Mine", "Other"]
