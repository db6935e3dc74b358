"""/api/v1/qa/: every endpoint for every kind of actor, strict inputs, problem codes."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.qa import services
from srmt.qa.models import Assignment, Dispute, Evaluation, Sample
from srmt.qa.tests.helpers import AFTER_W48, ALL_MET, closed_request, evaluate, reviewer
from srmt.staff.tests.conftest import StaffClient
from srmt.testing.factories import make_customer, make_representative, make_user

pytestmark = pytest.mark.django_db

STAFF_ROLES = [
    Role.TIER1,
    Role.TIER2,
    Role.OFFICE_STAFF,
    Role.SUPERVISOR,
    Role.QA_REVIEWER,
    Role.ANALYST,
    Role.ADMINISTRATOR,
    Role.CASE_SYSTEM,
]
ACTORS = [*STAFF_ROLES, "customer", "representative", "anonymous"]
REVIEWS = {Role.QA_REVIEWER, Role.ADMINISTRATOR}
REPORTS = {Role.SUPERVISOR, Role.QA_REVIEWER, Role.ANALYST, Role.ADMINISTRATOR}


def client_as(actor: str) -> APIClient:
    client = APIClient()
    if actor == "anonymous":
        return client
    if actor == "customer":
        user = make_customer("cust")
    elif actor == "representative":
        user = make_representative("rep")
    else:
        user = make_user(f"as_{actor}", role=actor, offices=["CC-T2"])
    client.force_authenticate(user)
    return client


def state() -> tuple[int, ...]:
    return (
        Sample.objects.count(),
        Assignment.objects.count(),
        Evaluation.objects.count(),
        Dispute.objects.count(),
        AuditEvent.objects.filter(action__startswith="qa.").count(),
    )


@pytest.fixture
def sampled(reference):
    sr = closed_request(office="NBC")
    one, two = reviewer("qa_one"), reviewer("qa_two")
    sample = services.draw_sample(week="2026-W48", seed=7, actor=one, at=AFTER_W48)
    assignment = Assignment.objects.get(item__service_request=sr)
    return {
        "sample": sample,
        "assignment": assignment,
        "other": two if assignment.reviewer == one else one,
    }


def expected(actor: str, allowed: set[str], ok: int) -> int:
    if actor == "anonymous":
        return 401
    return ok if actor in allowed else 403


@pytest.mark.parametrize("actor", ACTORS)
def test_read_endpoints_permission_matrix(sampled, actor):
    client = client_as(actor)
    sample = sampled["sample"]
    staff = set(STAFF_ROLES)
    cases = [
        ("/api/v1/qa/samples/", REVIEWS),
        (f"/api/v1/qa/samples/{sample.pk}/items/", REVIEWS),
        ("/api/v1/qa/scorecard/", staff),
        (f"/api/v1/qa/evaluations/?sample={sample.pk}", staff),
        ("/api/v1/qa/results/?by=office", REPORTS),
    ]
    for url, allowed in cases:
        response = client.get(url)
        assert response.status_code == expected(actor, allowed, 200), url


@pytest.mark.parametrize("actor", ACTORS)
def test_write_endpoints_permission_matrix_change_nothing_on_refusal(sampled, actor):
    client = client_as(actor)
    before = state()
    response = client.post("/api/v1/qa/samples/", {"week": "2026-W47", "seed": 1}, format="json")
    if actor in REVIEWS:
        assert response.status_code == 201
        return
    assert response.status_code == expected(actor, REVIEWS, 201)
    body = {
        "assignment": sampled["assignment"].pk,
        "scores": [{"criterion": k, "value": v} for k, v in ALL_MET.items()],
    }
    response = client.post("/api/v1/qa/evaluations/", body, format="json")
    assert response.status_code == expected(actor, REVIEWS, 201)
    assert state() == before


def test_a_reviewer_lists_submits_and_reads_results(sampled):
    assignment = sampled["assignment"]
    client = APIClient()
    client.force_authenticate(assignment.reviewer)
    samples = client.get("/api/v1/qa/samples/").json()
    assert [(s["week"], s["seed"], s["population"], s["drawn"]) for s in samples] == [
        ("2026-W48", 7, 1, 1)
    ]
    assert samples[0]["frame"][0]["office"] == "NBC"
    items = client.get(f"/api/v1/qa/samples/{sampled['sample'].pk}/items/").json()
    assert [
        (i["office"], i["assignments"][0]["id"], i["assignments"][0]["evaluation"]) for i in items
    ] == [("NBC", assignment.pk, None)]
    card = client.get("/api/v1/qa/scorecard/").json()
    assert (card["version"], len(card["criteria"])) == (1, 7)
    body = {
        "assignment": assignment.pk,
        "scores": [{"criterion": k, "value": v} for k, v in {**ALL_MET, "accuracy": 0}.items()],
        "comment": "Wrong date.",
    }
    response = client.post("/api/v1/qa/evaluations/", body, format="json")
    assert response.status_code == 201
    created = response.json()
    assert (created["result"], created["scorecard"], created["dispute"]) == ("fail", 1, None)
    again = client.post("/api/v1/qa/evaluations/", body, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "already_evaluated")
    listed = client.get(f"/api/v1/qa/evaluations/?sample={sampled['sample'].pk}").json()
    assert [e["id"] for e in listed] == [created["id"]]
    results = client.get("/api/v1/qa/results/?by=office").json()
    assert results["by"] == "office"
    assert [(r["key"], r["evaluations"], r["failed"], r["pass_rate"]) for r in results["rows"]] == [
        ("NBC", 1, 1, 0.0)
    ]
    assert results["rows"][0]["trend"] == {"2026-11": 0.0}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"scores": [{"criterion": "accuracy", "value": 2}]}, "required"),
        ({"unknown": 1}, "unknown_field"),
        ({"scores": [{"criterion": "accuracy", "value": 2, "weight": 1}]}, "unknown_field"),
        (
            {
                "scores": [
                    {"criterion": k, "value": v} for k, v in ALL_MET.items() if k != "courtesy"
                ]
            },
            "invalid_scores",
        ),
        ({"scores": [{"criterion": "accuracy", "value": 2}] * 2}, "invalid_scores"),
        ({"scores": [{"criterion": k, "value": 9} for k in ALL_MET]}, "invalid_scores"),
    ],
)
def test_evaluation_inputs_are_strict(sampled, body, code):
    assignment = sampled["assignment"]
    client = APIClient()
    client.force_authenticate(assignment.reviewer)
    payload = {"assignment": assignment.pk, **body}
    if body.get("scores") and "assignment" not in body and code == "required":
        payload.pop("assignment")
    before = state()
    response = client.post("/api/v1/qa/evaluations/", payload, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert code in {problem["code"], *(e["code"] for e in problem.get("errors", []))}
    assert state() == before


def test_someone_elses_assignment_is_refused(sampled):
    client = APIClient()
    client.force_authenticate(sampled["other"])
    body = {
        "assignment": sampled["assignment"].pk,
        "scores": [{"criterion": k, "value": v} for k, v in ALL_MET.items()],
    }
    before = state()
    response = client.post("/api/v1/qa/evaluations/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "not_your_assignment")
    assert state() == before


def test_dispute_and_decision_through_the_api(sampled):
    assignment = sampled["assignment"]
    evaluation = evaluate(assignment, {**ALL_MET, "accuracy": 0})
    responder = APIClient()
    responder.force_authenticate(assignment.item.responder)
    mine = responder.get(f"/api/v1/qa/evaluations/?sample={sampled['sample'].pk}").json()
    assert [e["id"] for e in mine] == [evaluation.pk]
    url = f"/api/v1/qa/evaluations/{evaluation.pk}/dispute/"
    response = responder.post(
        url, {"criterion": "accuracy", "reason": "The date was right."}, format="json"
    )
    assert response.status_code == 201
    dispute_id = response.json()["id"]
    again = responder.post(url, {"criterion": "courtesy", "reason": "Also this."}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "already_disputed")
    original = APIClient()
    original.force_authenticate(assignment.reviewer)
    before = state()
    refused = original.post(
        f"/api/v1/qa/disputes/{dispute_id}/decision/", {"value": 2, "comment": "ok"}, format="json"
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "own_evaluation")
    assert state() == before
    other = APIClient()
    other.force_authenticate(sampled["other"])
    decided = other.post(
        f"/api/v1/qa/disputes/{dispute_id}/decision/",
        {"value": 2, "comment": "Right."},
        format="json",
    )
    assert decided.status_code == 200
    assert (decided.json()["status"], decided.json()["decided_value"]) == ("changed", 2)
    evaluation.refresh_from_db()
    assert evaluation.result == "pass"


def test_an_unrelated_member_of_staff_sees_no_evaluations_and_cannot_dispute(sampled):
    evaluation = evaluate(sampled["assignment"])
    stranger = APIClient()
    stranger.force_authenticate(make_user(role=Role.OFFICE_STAFF, offices=["NBC"]))
    assert stranger.get(f"/api/v1/qa/evaluations/?sample={sampled['sample'].pk}").json() == []
    response = stranger.post(
        f"/api/v1/qa/evaluations/{evaluation.pk}/dispute/",
        {"criterion": "accuracy", "reason": "x"},
        format="json",
    )
    assert response.status_code == 404


def test_supervisor_of_the_responders_office_reads_the_evaluation(sampled):
    evaluation = evaluate(sampled["assignment"])
    supervisor = APIClient()
    supervisor.force_authenticate(make_user(role=Role.SUPERVISOR, offices=["NBC"]))
    listed = supervisor.get(f"/api/v1/qa/evaluations/?sample={sampled['sample'].pk}").json()
    assert [e["id"] for e in listed] == [evaluation.pk]
    elsewhere = APIClient()
    elsewhere.force_authenticate(make_user(role=Role.SUPERVISOR, offices=["NSC"]))
    assert elsewhere.get(f"/api/v1/qa/evaluations/?sample={sampled['sample'].pk}").json() == []


def test_unknown_query_parameters_are_refused(sampled):
    client = APIClient()
    client.force_authenticate(sampled["assignment"].reviewer)
    response = client.get("/api/v1/qa/results/?by=office&office=NBC")
    assert (response.status_code, response.json()["errors"][0]["code"]) == (
        400,
        "unknown_parameter",
    )
    response = client.get("/api/v1/qa/results/?by=planet")
    assert response.status_code == 400


def test_a_1367_request_is_shown_only_to_cleared_reviewers(reference):
    protected = closed_request(office="NBC", protected=True)
    cleared = reviewer("qa_cleared", cleared=True)
    plain = reviewer("qa_plain")
    sample = services.draw_sample(week="2026-W48", seed=7, actor=cleared, at=AFTER_W48)
    evaluation = evaluate(Assignment.objects.get(item__service_request=protected))
    for user, references in ((cleared, [protected.reference]), (plain, [])):
        client = APIClient()
        client.force_authenticate(user)
        items = client.get(f"/api/v1/qa/samples/{sample.pk}/items/").json()
        assert [i["reference"] for i in items] == references
        listed = client.get(f"/api/v1/qa/evaluations/?sample={sample.pk}").json()
        assert [e["reference"] for e in listed] == references
    pages = StaffClient(plain)
    assert protected.reference not in pages.get(f"/staff/qa/samples/{sample.pk}/").content.decode()
    assert pages.get(f"/staff/qa/evaluations/{evaluation.pk}/").status_code == 404


def test_results_by_month_keep_the_months_asked_for(reference):
    november = closed_request(office="NBC")
    october = closed_request(office="NSC", closed_at=AFTER_W48.replace(month=10))
    one = reviewer("qa_one")
    services.draw_sample(week="2026-W48", seed=7, actor=one, at=AFTER_W48)
    services.draw_sample(week="2026-W44", seed=7, actor=one, at=AFTER_W48)
    for sr, values in ((november, ALL_MET), (october, {**ALL_MET, "accuracy": 0})):
        evaluate(Assignment.objects.get(item__service_request=sr), values)
    client = APIClient()
    client.force_authenticate(one)
    every = client.get("/api/v1/qa/results/?by=month").json()
    assert every["months"] == ["2026-10", "2026-11"]
    assert [(r["key"], r["evaluations"], r["pass_rate"]) for r in every["rows"]] == [
        ("2026-10", 1, 0.0),
        ("2026-11", 1, 1.0),
    ]
    office = client.get("/api/v1/qa/results/?by=office&since=2026-11").json()
    assert office["months"] == ["2026-11"]
    assert [(r["key"], r["trend"]) for r in office["rows"]] == [("NBC", {"2026-11": 1.0})]
    until = client.get("/api/v1/qa/results/?by=office&until=2026-10").json()
    assert [r["key"] for r in until["rows"]] == ["NSC"]
    wrong = client.get("/api/v1/qa/results/?by=office&since=2026-13")
    assert wrong.status_code == 400
    page = StaffClient(one).get("/staff/qa/dashboard.csv?by=office&since=2026-11")
    assert page.content.decode("utf-8-sig").splitlines()[1].startswith("office,NBC,")
