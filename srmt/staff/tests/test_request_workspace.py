"""Issue 9, "act from the request page": the action area, the collision warning, the history
and the office pickers of the request page."""

from __future__ import annotations

import html
import re

import pytest

from srmt.accounts.choices import Role
from srmt.offices.models import Office
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest
from srmt.staff.tests.conftest import client_for
from srmt.staff.tests.demo import build_demo
from srmt.staff.tests.test_request_pages import _snapshot
from srmt.testing.factories import make_case, make_service_request, make_user


@pytest.fixture
def demo(tier1, esc_staff):
    return build_demo(intake=tier1, worker=esc_staff)


def _seen(client, sr: ServiceRequest) -> dict[str, str]:
    """The version and moment the user's page was drawn with (as every action form sends)."""
    context = client.get(f"/staff/requests/{sr.reference}/").context
    return {"seen_version": str(context["sr"].version), "seen_at": context["seen_at"]}


def _panels(content: str) -> list[str]:
    return re.findall(r'<details class="srmt-action" id="panel-(\w+)"', content)


# --- the action area -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "panels"),
    [
        ("esc_staff", ["respond", "note", "assign", "status", "expedite"]),
        ("tier1", ["note", "expedite"]),  # expedite: the files of evidence, to attach one
        ("supervisor", ["respond", "note", "assign", "status", "expedite"]),
    ],
)
def test_the_page_offers_only_the_actions_the_role_allows(request, demo, fixture, panels):
    client = client_for(request.getfixturevalue(fixture))
    content = client.get(f"/staff/requests/{demo.worked.reference}/").content.decode()
    assert _panels(content) == panels
    assert " open>" not in content.split('id="actions"')[1].split("</section>")[0]  # all closed


def test_qa_reviewer_sees_no_action_area(reference, demo):
    content = client_for(make_user(role=Role.QA_REVIEWER)).get(
        f"/staff/requests/{demo.worked.reference}/"
    )
    assert _panels(content.content.decode()) == []


def test_the_request_page_links_to_no_separate_action_page(esc_staff, demo):
    content = (
        client_for(esc_staff).get(f"/staff/requests/{demo.worked.reference}/").content.decode()
    )
    hrefs = re.findall(r'href="([^"]+)"', content)
    assert not [h for h in hrefs if h.endswith(("/respond/", "/expedite/"))]


@pytest.mark.parametrize(
    ("path", "data", "panel", "form"),
    [
        ("respond/", {"kind": "follow_up", "body": ""}, "respond", "response_form"),
        ("note/", {"body": "  "}, "note", "note_form"),
        ("status/", {"to": "withdrawn", "reason": ""}, "status", "transition_form"),
        ("redirect/", {"topic": "", "reason": ""}, "redirect", "redirect_form"),
    ],
)
def test_an_error_redraws_the_request_page_with_that_panel_open(
    esc_staff, demo, path, data, panel, form
):
    before = _snapshot(demo.worked)
    response = client_for(esc_staff).post(f"/staff/requests/{demo.worked.reference}/{path}", data)
    assert response.status_code == 200
    assert response.templates[0].name == "staff/request_detail.html"
    assert response.context["panel"] == panel
    assert response.context[form].errors
    content = response.content.decode()
    assert f'id="panel-{panel}" ' in content
    assert re.search(rf'id="panel-{panel}"[^>]*\bopen>', content)
    assert content.count(" open>") == 1
    assert "<title>Error:" in content
    assert _snapshot(demo.worked) == before


def test_office_picker_tells_apart_the_two_portland_offices(esc_staff, demo):
    response = client_for(esc_staff).get(f"/staff/requests/{demo.worked.reference}/")
    choices = dict(response.context["transition_form"].fields["office"].choices)
    assert choices["POM"] == "POM – Portland Field Office (Portland, ME)"
    assert choices["POO"] == "POO – Portland Field Office (Portland, OR)"
    content = response.content.decode()
    assert '<div class="usa-combo-box"><select name="office"' in content


# --- the collision warning -----------------------------------------------------------------

ACTIONS = [
    ("note/", {"body": "Called the customer back."}),
    ("respond/", {"kind": "follow_up", "body": "We asked the office again."}),
    ("status/", {"to": "awaiting_office", "reason": "Asked the office for the file."}),
    ("assign/", {"assignee": ""}),
]


@pytest.mark.parametrize(("path", "data"), ACTIONS)
def test_a_change_by_someone_else_since_the_page_was_opened_is_not_overwritten(
    esc_staff, supervisor, demo, path, data
):
    # given Olga opened the request, then Sam (a supervisor) added a note to it
    mine = client_for(esc_staff)
    seen = _seen(mine, demo.worked)
    services.add_note(demo.worked, actor=supervisor, body="Customer called again.")
    before = _snapshot(demo.worked)
    # when Olga sends her action from the page she opened before
    response = mine.post(f"/staff/requests/{demo.worked.reference}/{path}", {**data, **seen})
    # then nothing is applied, and the page says who changed what, and shows the request now
    assert response.status_code == 200
    assert _snapshot(demo.worked) == before
    content = html.unescape(response.content.decode())
    assert "Someone changed this request since you opened it" in content
    changes = response.context["collision_changes"]
    assert len(changes) == 1
    assert re.fullmatch(
        r"sam\.supervisor added an internal note at \d{1,2} \w{3} \d{4}, \d\d:\d\d E[SD]T",
        changes[0],
    ), changes
    assert response.context["sr"].version == before[1]
    assert f'name="seen_version" value="{before[1]}"' in content
    # and sending it again, now knowingly, applies it
    again = mine.post(
        f"/staff/requests/{demo.worked.reference}/{path}",
        {**data, **_seen(mine, demo.worked)},
    )
    assert again.status_code == 302
    assert _snapshot(demo.worked) != before


def test_an_unchanged_request_takes_the_action(esc_staff, demo):
    client = client_for(esc_staff)
    response = client.post(
        f"/staff/requests/{demo.worked.reference}/note/",
        {"body": "All good.", **_seen(client, demo.worked)},
    )
    assert response.status_code == 302
    assert demo.worked.notes.last().body == "All good."


def test_a_collision_on_the_expedite_decision_decides_nothing(esc_staff, tier1):
    sr = make_service_request(
        actor=tier1, type="expedite_request", receipt_number=make_case(office="ESC").receipt_number
    )
    client = client_for(esc_staff)
    seen = _seen(client, sr)
    services.add_note(sr, actor=tier1, body="Customer sent a doctor's letter.")
    response = client.post(
        f"/staff/requests/{sr.reference}/expedite/decide/", {"decision": "approve", **seen}
    )
    assert response.status_code == 400
    sr.refresh_from_db()
    assert (sr.expedite.status, sr.status) == ("pending", sr.status)
    assert sr.is_open
    assert response.context["panel"] == "expedite"
    assert "Tina Tierone added an internal note" in response.context["collision_changes"][0]


# --- the expedite panel ----------------------------------------------------------------------


def test_the_expedite_panel_shows_the_evidence_and_description_before_the_decision(
    esc_staff, tier1
):
    sr = make_service_request(
        actor=tier1,
        type="expedite_request",
        receipt_number=make_case(office="ESC").receipt_number,
        description="My mother is in hospital abroad.",
    )
    content = (
        client_for(esc_staff).get(f"/staff/requests/{sr.reference}/expedite/").content.decode()
    )
    panel = content.split('id="panel-expedite"')[1]
    order = [
        panel.index(text)
        for text in (
            "Why the case is urgent",
            "The customer's description",
            "My mother is in hospital abroad.",
            "<h3>Evidence</h3>",
            'id="decide-heading"',
            'name="decision"',
        )
    ]
    assert order == sorted(order)
    assert re.search(r'id="panel-expedite"[^>]*\bopen>', content)


# --- the history -----------------------------------------------------------------------------


def test_a_response_without_a_status_change_shows_no_noop_move(esc_staff, demo):
    # the worked request is Responded; a follow-up keeps it Responded
    services.add_response(demo.worked, actor=esc_staff, kind="follow_up", body="Still on it.")
    content = html.unescape(
        client_for(esc_staff).get(f"/staff/requests/{demo.worked.reference}/").content.decode()
    )
    assert "Responded → Responded" not in content
    assert "Status: In progress → Responded" in content
    assert "Still on it." in content


def test_the_routing_caption_stays_true_after_a_transfer(esc_staff, csc_staff, demo):
    routed = demo.fresh.display_routing_reason
    services.transition_request(
        demo.fresh, actor=esc_staff, to="transferred", reason="File is at CSC", office_code="CSC"
    )
    response = client_for(csc_staff).get(f"/staff/requests/{demo.fresh.reference}/")
    content = html.unescape(response.content.decode())
    summary = content.split('id="summary-heading"')[1].split("</section>")[0]
    assert "Transferred here from ESC on" in summary
    assert "Why: File is at CSC" in summary
    assert routed not in summary
    assert "Transferred from ESC – " in content  # the history names both offices


def test_the_history_shows_every_kind_of_event_in_words(esc_staff, supervisor, demo):
    services.assign_request(demo.worked, actor=supervisor, assignee=None)
    response = client_for(esc_staff).get(f"/staff/requests/{demo.worked.reference}/")
    titles = [entry.title for entry in response.context["history"]]
    assert titles == [
        "Recorded and routed to ESC – Vermont Service Center",
        "Status: Received → Assigned",
        "Status: Assigned → In progress",
        "Internal note",
        "Initial response",
        "Status: In progress → Responded",
        "Returned to the office queue, nobody assigned",
    ]
    content = response.content.decode()
    audit = content.split('id="audit-heading"')[1]
    assert "service_request." not in audit


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_history_is_in_the_readers_language(esc_staff, demo, language):
    content = html.unescape(
        client_for(esc_staff)
        .get(f"/staff/requests/{demo.worked.reference}/", headers={"accept-language": language})
        .content.decode()
    )
    expected = {
        "en": ["Recorded and routed to ESC", "Act on this request", "Keyboard shortcuts"],
        "es": ["Registrada y dirigida a ESC", "Actuar sobre esta solicitud", "Atajos de teclado"],
    }[language]
    for text in expected:
        assert text in content, text


def test_offices_in_the_picker_are_the_active_ones(esc_staff, demo):
    response = client_for(esc_staff).get(f"/staff/requests/{demo.worked.reference}/")
    codes = [c for c, _label in response.context["transition_form"].fields["office"].choices]
    assert codes[1:] == [o.code for o in Office.objects.active()]


# --- the poll while the page is open ----------------------------------------------------------


def test_the_open_page_is_told_when_someone_changes_the_request(esc_staff, tier1, demo):
    client = client_for(esc_staff)
    seen = _seen(client, demo.worked)
    url = f"/staff/requests/{demo.worked.reference}/changes/"
    page = client.get(f"/staff/requests/{demo.worked.reference}/").content.decode()
    assert f'hx-get="{url}?seen_version=' in page
    unchanged = client.get(url, seen)
    assert (unchanged.status_code, unchanged.content) == (204, b"")
    services.add_note(demo.worked, actor=tier1, body="Customer called again.")
    changed = client.get(url, seen)
    assert changed.status_code == 200
    content = changed.content.decode()
    assert "This request changed since you opened the page:" in content
    assert "Tina Tierone added an internal note at " in content
    assert "Customer called again." not in content  # who and when, not what was written


# Every role (customers and representatives: test_outside_accounts), written out: who may see
# the request is told what changed; the others get the same 404 as for an unknown reference.
POLL_MATRIX = {
    "tier1": (Role.TIER1, ["CC-T1"], 200),
    "tier2_elsewhere": (Role.TIER2, ["CC-T2"], 200),
    "office_staff_at_esc": (Role.OFFICE_STAFF, ["ESC"], 200),
    "office_staff_elsewhere": (Role.OFFICE_STAFF, ["CSC"], 404),
    "supervisor": (Role.SUPERVISOR, ["ESC"], 200),
    "qa_reviewer": (Role.QA_REVIEWER, [], 200),
    "analyst": (Role.ANALYST, [], 404),
    "administrator": (Role.ADMINISTRATOR, [], 200),
    "case_system": (Role.CASE_SYSTEM, [], 404),
}


def test_the_poll_matrix_covers_every_staff_role():
    assert {role for role, _offices, _status in POLL_MATRIX.values()} == set(Role)


@pytest.mark.parametrize("actor", list(POLL_MATRIX))
def test_the_poll_answers_only_those_who_may_see_the_request(demo, tier1, actor):
    role, offices, status = POLL_MATRIX[actor]
    services.add_note(demo.worked, actor=tier1, body="Again.")
    before = ServiceRequest.objects.values_list("version", "status").get(pk=demo.worked.pk)
    client = client_for(make_user(f"poll_{actor}", role=role, offices=offices))
    response = client.get(f"/staff/requests/{demo.worked.reference}/changes/?seen_version=1")
    unknown = client.get("/staff/requests/SR-0000-0000/changes/?seen_version=1")
    assert (response.status_code, unknown.status_code) == (status, 404)
    if status == 200:
        assert "Tina Tierone added an internal note at " in response.content.decode()
    # reading changes nothing
    assert ServiceRequest.objects.values_list("version", "status").get(pk=demo.worked.pk) == before


def test_the_redrawn_form_after_a_collision_applies_when_sent_again_as_shown(
    esc_staff, supervisor, demo
):
    """The form shown after a collision keeps the text, its one-time token and the new
    version: sending it again as it is applies it once."""
    client = client_for(esc_staff)
    seen = _seen(client, demo.worked)
    services.add_note(demo.worked, actor=supervisor, body="Customer called again.")
    refused = client.post(
        f"/staff/requests/{demo.worked.reference}/note/", {"body": "Called back.", **seen}
    )
    form = refused.content.decode().split('id="panel-note"')[1].split("</form>")[0]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert fields["seen_version"] == str(refused.context["sr"].version)
    assert "Called back.</textarea>" in form
    sent = client.post(
        f"/staff/requests/{demo.worked.reference}/note/", {**fields, "body": "Called back."}
    )
    assert sent.status_code == 302
    again = client.post(
        f"/staff/requests/{demo.worked.reference}/note/", {**fields, "body": "Called back."}
    )
    assert again.status_code == 302  # the same submission: nothing done twice
    assert list(demo.worked.notes.values_list("body", flat=True)).count("Called back.") == 1
