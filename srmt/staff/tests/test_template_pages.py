"""The template library's pages and the respond panel's template picker: what each actor
sees and may do (every refusal leaves the data as it was), creating, new versions with their
diff, deactivating, previewing with a real request, and responding from a template."""

from __future__ import annotations

import pytest
from django.test import Client

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.response_templates.models import ResponseTemplate, TemplateVersion
from srmt.service_requests.models import Response, ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.staff.tests.conftest import client_for
from srmt.testing.factories import (
    make_case,
    make_customer,
    make_representative,
    make_service_request,
    make_user,
)

EN = "We asked the {{ office_name }} about {{ receipt_number }}. {{ action_taken }}"
ES = "Consultamos a la oficina {{ office_name }} sobre {{ receipt_number }}. {{ action_taken }}"


def state() -> tuple[int, ...]:
    return (
        ResponseTemplate.objects.count(),
        ResponseTemplate.objects.filter(is_active=True).count(),
        TemplateVersion.objects.count(),
        AuditEvent.objects.count(),
        Response.objects.count(),
    )


def esc_request(language: str = "en") -> ServiceRequest:
    case = make_case(form="I-130", office="ESC")
    return make_service_request(
        receipt_number=case.receipt_number,
        requester=RequesterData(name="Ana Pérez", email="ana@example.com", language=language),
    )


def new_template(code: str, office: str) -> dict[str, str]:
    return {
        "code": code,
        "name": "Office letter",
        "office": office,
        "request_type": "",
        "response_kind": "",
        "body_en": EN,
        "body_es": ES,
        "change_note": "",
    }


def new_version() -> dict[str, str]:
    return {"body_en": EN + " Thanks.", "body_es": ES + " Gracias.", "change_note": "Polite"}


PAGES = (
    "list",
    "new_page",
    "create_national",
    "create_esc",
    "detail_national",
    "edit_national",
    "edit_esc",
    "deactivate_esc",
    "picker",
)
# actor -> status per page. The picker fills the respond form on the page of a request at ESC.
EXPECTED: dict[str, tuple[int, ...]] = {
    "tier1": (403, 403, 403, 403, 403, 403, 403, 403, 403),
    "tier2_cc": (403, 403, 403, 403, 403, 403, 403, 403, 403),
    "office_staff_esc": (403, 403, 403, 403, 403, 403, 403, 403, 200),
    "office_staff_csc": (403, 403, 403, 403, 403, 403, 403, 403, 404),
    "supervisor_esc": (200, 200, 200, 302, 200, 403, 302, 302, 200),
    "supervisor_national": (200, 200, 302, 302, 200, 302, 302, 302, 200),
    "qa_reviewer": (403, 403, 403, 403, 403, 403, 403, 403, 403),
    "analyst": (403, 403, 403, 403, 403, 403, 403, 403, 404),
    "administrator": (200, 200, 302, 302, 200, 302, 302, 302, 200),
    "case_system": (403, 403, 403, 403, 403, 403, 403, 403, 404),
}
ACTORS = {
    "tier1": (Role.TIER1, ["CC-T1"]),
    "tier2_cc": (Role.TIER2, ["CC-T2"]),
    "office_staff_esc": (Role.OFFICE_STAFF, ["ESC"]),
    "office_staff_csc": (Role.OFFICE_STAFF, ["CSC"]),
    "supervisor_esc": (Role.SUPERVISOR, ["ESC"]),
    "supervisor_national": (Role.SUPERVISOR, []),
    "qa_reviewer": (Role.QA_REVIEWER, []),
    "analyst": (Role.ANALYST, []),
    "administrator": (Role.ADMINISTRATOR, []),
    "case_system": (Role.CASE_SYSTEM, []),
}
# What a page that succeeds writes: (templates, active, versions).
WRITES = {
    "create_national": (1, 1, 1),
    "create_esc": (1, 1, 1),
    "edit_national": (0, 0, 1),
    "edit_esc": (0, 0, 1),
    "deactivate_esc": (0, -1, 0),
}


def test_the_matrix_covers_every_role():
    assert {role for role, _offices in ACTORS.values()} == set(Role)
    assert set(EXPECTED) == set(ACTORS)


def _visit(client: Client, page: str, sr: ServiceRequest) -> int:
    requests = {
        "list": lambda: client.get("/staff/templates/"),
        "new_page": lambda: client.get("/staff/templates/new/"),
        "create_national": lambda: client.post(
            "/staff/templates/new/", new_template("new-national", "national")
        ),
        "create_esc": lambda: client.post("/staff/templates/new/", new_template("new-esc", "ESC")),
        "detail_national": lambda: client.get("/staff/templates/acknowledgement/"),
        "edit_national": lambda: client.post(
            "/staff/templates/acknowledgement/edit/", new_version()
        ),
        "edit_esc": lambda: client.post("/staff/templates/esc-letter/edit/", new_version()),
        "deactivate_esc": lambda: client.post(
            "/staff/templates/esc-letter/active/", {"active": "0"}
        ),
        "picker": lambda: client.get(
            f"/staff/requests/{sr.reference}/respond/template/?template=acknowledgement"
        ),
    }
    return requests[page]().status_code


@pytest.mark.parametrize("actor", list(EXPECTED))
def test_permission_matrix(reference, actor):
    admin = make_user("pages_admin", role=Role.ADMINISTRATOR)
    client_for(admin).post("/staff/templates/new/", new_template("esc-letter", "ESC"))
    sr = esc_request()
    role, offices = ACTORS[actor]
    client = client_for(make_user(f"pages_{actor}", role=role, offices=offices))
    for page, expected in zip(PAGES, EXPECTED[actor], strict=True):
        before = state()
        assert (page, _visit(client, page, sr)) == (page, expected)
        after = state()
        if page in WRITES and expected == 302:
            templates, active, versions = WRITES[page]
            assert after[:3] == (before[0] + templates, before[1] + active, before[2] + versions)
            assert after[3] == before[3] + 1  # audited
        elif page != "picker":  # the picker's page view is audited as a view of the request
            assert after == before, page


@pytest.mark.parametrize("kind", ["customer", "representative"])
def test_outside_accounts_are_nobody(reference, kind):
    account = make_customer("pages_c") if kind == "customer" else make_representative("pages_r")
    client = Client()
    client.force_login(account)
    before = state()
    for path in ("/staff/templates/", "/staff/templates/new/", "/staff/templates/acknowledgement/"):
        assert client.get(path).status_code in (302, 403)
    assert client.post("/staff/templates/acknowledgement/active/", {"active": "0"}).status_code in (
        302,
        403,
    )
    assert state() == before


@pytest.fixture
def admin_client(reference):
    return client_for(make_user("lib_admin", role=Role.ADMINISTRATOR, is_1367_cleared=True))


def test_list_filters_and_language(admin_client):
    page = admin_client.get("/staff/templates/?office=NSC&language=es&status=active")
    assert page.status_code == 200
    rows = [row[0].code for row in page.context["rows"]]
    assert rows == ["nsc-card-returned"]
    assert "La tarjeta del número de recibo" in page.content.decode()
    national = admin_client.get("/staff/templates/?office=national&request_type=expedite_request")
    assert [row[0].code for row in national.context["rows"]] == [
        "expedite-denied",
        "expedite-granted",
    ]


def test_create_refuses_an_unknown_variable_and_names_it(admin_client):
    before = state()
    data = new_template("typo", "national") | {"body_en": "Hello {{ custmer_name }}"}
    page = admin_client.post("/staff/templates/new/", data)
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "body_en": ["Unknown variable: custmer_name. Use only the variables in the list."]
    }
    assert state() == before


def test_new_version_history_and_diff(admin_client):
    admin_client.post("/staff/templates/new/", new_template("esc-letter", "ESC"))
    edit = admin_client.get("/staff/templates/esc-letter/edit/")
    assert edit.context["form"].initial == {"body_en": EN, "body_es": ES}
    admin_client.post("/staff/templates/esc-letter/edit/", new_version())
    page = admin_client.get("/staff/templates/esc-letter/?from=1&to=2")
    assert [v.version for v in page.context["versions"]] == [2, 1]
    assert page.context["diff"]["en"][-1].op == "added"
    html = page.content.decode()
    assert "Polite" in html
    assert '<ins><span class="usa-sr-only">[added: </span> Thanks.<span' in html
    assert '<ins><span class="usa-sr-only">[added: </span> Gracias.<span' in html


def test_deactivated_templates_are_no_longer_offered(admin_client):
    sr = esc_request()
    admin_client.post("/staff/templates/acknowledgement/active/", {"active": "0"})
    page = admin_client.get(f"/staff/requests/{sr.reference}/")
    assert "acknowledgement" not in [t.code for t in page.context["offered_templates"]]
    admin_client.post("/staff/templates/acknowledgement/active/", {"active": "1"})
    page = admin_client.get(f"/staff/requests/{sr.reference}/")
    assert "acknowledgement" in [t.code for t in page.context["offered_templates"]]


def test_preview_with_a_real_request(admin_client):
    sr = esc_request("es")
    page = admin_client.get(f"/staff/templates/acknowledgement/?reference={sr.reference}")
    assert page.context["preview"].rendered.text.startswith(
        f"Recibimos su solicitud {sr.reference} y la oficina Vermont Service Center"
    )
    assert [v.name for v in page.context["preview_missing"]["to_write"]] == ["action_taken"]


def test_preview_of_a_request_one_may_not_see(reference):
    protected = make_case(form="I-360", office="ESC", is_protected=True)
    sr = make_service_request(receipt_number=protected.receipt_number)
    supervisor = make_user("lib_sup", role=Role.SUPERVISOR)  # not cleared for 1367 cases
    page = client_for(supervisor).get(f"/staff/templates/acknowledgement/?reference={sr.reference}")
    assert page.status_code == 200
    assert page.context["preview_form"].errors == {
        "reference": [f"No service request you may see matches {sr.reference}."]
    }
    assert "preview" not in page.context
    assert sr.reference in page.content.decode()  # only as typed, in the error


def test_picker_fills_the_respond_form_with_htmx_and_without(admin_client):
    sr = esc_request()
    url = f"/staff/requests/{sr.reference}/respond/template/?template=acknowledgement"
    partial = admin_client.get(url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert partial.templates[0].name == "staff/_respond_form.html"
    form = partial.context["response_form"]
    assert form.initial["template"] == "acknowledgement"
    assert form.initial["kind"] == "initial"
    assert form.initial["body"].startswith(f"We received your request {sr.reference}")
    assert "{{ action_taken }}" in form.initial["body"]
    html = partial.content.decode()
    assert "Write these parts yourself" in html
    assert 'name="template" value="acknowledgement"' in html
    full = admin_client.get(url)
    assert full.context["panel"] == "respond"
    assert full.context["response_form"].initial["template"] == "acknowledgement"


def test_picker_refuses_a_template_not_offered(admin_client):
    sr = esc_request()
    page = admin_client.get(
        f"/staff/requests/{sr.reference}/respond/template/?template=nsc-card-returned",
        HTTP_HX_REQUEST="true",
    )
    assert page.context["response_form"].template_error == (
        "No template with the code nsc-card-returned is offered for this request."
    )


def test_respond_from_a_template_records_it_and_refuses_unfilled(admin_client):
    sr = esc_request()
    before = state()
    refused = admin_client.post(
        f"/staff/requests/{sr.reference}/respond/",
        {
            "kind": "initial",
            "body": "We received it. {{ action_taken }}",
            "template": "acknowledgement",
            "seen_version": sr.version,
        },
    )
    assert refused.status_code == 200
    assert refused.context["response_form"].errors == {
        "body": ["Fill in or remove every variable before sending: {{ action_taken }}."]
    }
    assert state() == before
    sent = admin_client.post(
        f"/staff/requests/{sr.reference}/respond/",
        {
            "kind": "initial",
            "body": "We received it. The officer has your file since 30 October.",
            "template": "acknowledgement",
            "seen_version": sr.version,
        },
    )
    assert sent.status_code == 302
    response = Response.objects.get(service_request=sr)
    assert (response.template_code, response.template_version) == ("acknowledgement", 1)
