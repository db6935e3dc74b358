"""The /qa/ staff pages: a permission matrix over every actor kind, and the flows a QA
reviewer, a responder and their supervisor go through, with nothing changed on refusal."""

from __future__ import annotations

import pytest
from django.test import Client

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.qa import services
from srmt.qa.models import Assignment, Dispute, Evaluation, Sample
from srmt.qa.tests.helpers import AFTER_W48 as AFTER
from srmt.qa.tests.helpers import ALL_MET, closed_request, evaluate, reviewer
from srmt.staff.tests.conftest import StaffClient
from srmt.testing.factories import make_customer, make_representative, make_user

pytestmark = pytest.mark.django_db

PAGES = ("index", "sample", "score", "mine", "evaluation", "dashboard", "csv")
# actor -> status per page. The evaluation is of an NBC responder's response.
EXPECTED: dict[str, tuple[int, ...]] = {
    "tier1": (403, 403, 403, 200, 404, 403, 403),
    "tier2": (403, 403, 403, 200, 404, 403, 403),
    "office_staff_nbc": (403, 403, 403, 200, 404, 403, 403),
    "responder": (403, 403, 403, 200, 200, 403, 403),
    "supervisor_nbc": (403, 403, 403, 200, 200, 200, 200),
    "supervisor_elsewhere": (403, 403, 403, 200, 404, 200, 200),
    "qa_reviewer": (200, 200, 404, 200, 200, 200, 200),
    "assigned_reviewer": (200, 200, 302, 200, 200, 200, 200),
    "analyst": (403, 403, 403, 200, 404, 200, 200),
    "administrator": (200, 200, 404, 200, 200, 200, 200),
    "case_system": (403, 403, 403, 200, 404, 403, 403),
}


@pytest.fixture
def world(reference):
    sr = closed_request(office="NBC")
    one, two = reviewer("qa_one"), reviewer("qa_two")
    sample = services.draw_sample(week="2026-W48", seed=7, actor=one, at=AFTER)
    assignment = Assignment.objects.get(item__service_request=sr)
    evaluation = evaluate(assignment, {**ALL_MET, "accuracy": 0})
    return {
        "sr": sr,
        "sample": sample,
        "assignment": assignment,
        "evaluation": evaluation,
        "responder": assignment.item.responder,
        "other": two if assignment.reviewer == one else one,
    }


def actor_for(name: str, world: dict) -> object:
    simple = {
        "tier1": (Role.TIER1, ["CC-T1"]),
        "tier2": (Role.TIER2, ["CC-T2"]),
        "office_staff_nbc": (Role.OFFICE_STAFF, ["NBC"]),
        "supervisor_nbc": (Role.SUPERVISOR, ["NBC"]),
        "supervisor_elsewhere": (Role.SUPERVISOR, ["NSC"]),
        "qa_reviewer": (Role.QA_REVIEWER, ["HQ-SCOPS"]),
        "analyst": (Role.ANALYST, []),
        "administrator": (Role.ADMINISTRATOR, []),
        "case_system": (Role.CASE_SYSTEM, []),
    }
    if name == "responder":
        return world["responder"]
    if name == "assigned_reviewer":
        return world["assignment"].reviewer
    role, offices = simple[name]
    return make_user(f"p_{name}", role=role, offices=offices)


def urls(world: dict) -> list[str]:
    return [
        "/staff/qa/",
        f"/staff/qa/samples/{world['sample'].pk}/",
        f"/staff/qa/assignments/{world['assignment'].pk}/",
        "/staff/qa/mine/",
        f"/staff/qa/evaluations/{world['evaluation'].pk}/",
        "/staff/qa/dashboard/",
        "/staff/qa/dashboard.csv?by=responder",
    ]


def test_the_matrix_covers_every_staff_role():
    assert set(Role.values) <= {n.split("_nbc")[0].split("_elsewhere")[0] for n in EXPECTED} | {
        "office_staff",
        "supervisor",
    }


@pytest.mark.parametrize("actor", sorted(EXPECTED))
def test_page_permission_matrix(world, actor):
    client = StaffClient(actor_for(actor, world))
    got = tuple(client.get(url).status_code for url in urls(world))
    assert dict(zip(PAGES, got, strict=True)) == dict(zip(PAGES, EXPECTED[actor], strict=True))


@pytest.mark.parametrize("actor", ["anonymous", "customer", "representative"])
def test_outside_actors_get_nothing(world, actor):
    client = Client()
    if actor == "customer":
        client.force_login(make_customer("cust"))
    if actor == "representative":
        client.force_login(make_representative("rep"))
    for url in urls(world):
        response = client.get(url)
        assert response.status_code in {302, 403}, url
        if response.status_code == 302:
            assert response["Location"].startswith("/staff/login/")


def counts() -> tuple[int, ...]:
    return (
        Sample.objects.count(),
        Assignment.objects.count(),
        Evaluation.objects.count(),
        Dispute.objects.count(),
    )


def test_writes_refused_to_non_reviewers_change_nothing(world):
    client = StaffClient(make_user("p_sup", role=Role.SUPERVISOR, offices=["NBC"]))
    before = counts()
    assert client.post("/staff/qa/", {"week": "2026-W47", "seed": 3}).status_code == 403
    assert client.post(f"/staff/qa/samples/{world['sample'].pk}/", {}).status_code == 403
    dispute = client.post(
        f"/staff/qa/evaluations/{world['evaluation'].pk}/dispute/",
        {"criterion": "accuracy", "reason": "x"},
    )
    assert dispute.status_code == 403
    assert "Only the author of the response may dispute its evaluation." in dispute.content.decode()
    assert counts() == before


def test_a_reviewer_draws_scores_and_another_decides_the_dispute(reference):
    sr = closed_request(office="NBC")
    one = reviewer("qa_one")
    reviewer("qa_two", offices=("NBC",))  # of the request's office: never assigned it
    client = StaffClient(one)
    response = client.post("/staff/qa/", {"week": "2026-W48", "seed": 7})
    sample = Sample.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/qa/samples/{sample.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert sr.reference in page
    assert "qa_one (not scored yet)" in page
    assignment = Assignment.objects.get()
    assert assignment.reviewer == one
    form = {f"score_{k}": v for k, v in ALL_MET.items()} | {
        "score_accuracy": 0,
        "comment_accuracy": "Wrong date.",
    }
    response = client.post(f"/staff/qa/assignments/{assignment.pk}/", form)
    evaluation = Evaluation.objects.get()
    assert response["Location"] == f"/staff/qa/evaluations/{evaluation.pk}/"
    assert evaluation.result == "fail"
    responder = StaffClient(assignment.item.responder)
    assert sr.reference in responder.get("/staff/qa/mine/").content.decode()
    response = responder.post(
        f"/staff/qa/evaluations/{evaluation.pk}/dispute/",
        {"criterion": "accuracy", "reason": "It was right."},
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    own = client.post(f"/staff/qa/disputes/{dispute.pk}/decision/", {"value": 2, "comment": "ok"})
    assert own.status_code == 403
    assert "Another reviewer decides a dispute of your evaluation." in own.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == "open"
    third = StaffClient(reviewer("qa_three"))
    assert f"/staff/qa/evaluations/{evaluation.pk}/" in third.get("/staff/qa/").content.decode()
    response = third.post(
        f"/staff/qa/disputes/{dispute.pk}/decision/", {"value": 2, "comment": "The date matches."}
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.result == "pass"


def test_dashboard_csv(world):
    client = StaffClient(make_user("p_an", role=Role.ANALYST))
    response = client.get("/staff/qa/dashboard.csv?by=office")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "group,key,label,evaluations,pass,needs_improvement,fail,pass_rate,mean_score,pass_rate_2026-11",
        "office,NBC,National Benefits Center,1,0,0,1,0.0000,0.8750,0.0000",
    ]


def test_the_pages_speak_spanish(world):
    client = StaffClient(world["assignment"].reviewer)
    client.cookies["django_language"] = "es"
    page = client.get(f"/staff/qa/evaluations/{world['evaluation'].pk}/").content.decode()
    assert "Exactitud" in page
    assert "No cumplido" in page


def test_qa_pages_record_the_requests_they_name(world):
    client = StaffClient(world["assignment"].reviewer)
    client.get(f"/staff/qa/samples/{world['sample'].pk}/")
    event = AuditEvent.objects.filter(action="service_request.listed").latest("id")
    assert (event.actor, event.changes) == (
        world["assignment"].reviewer,
        {"ids": [world["sr"].reference]},
    )
    responder = StaffClient(world["responder"])
    responder.get("/staff/qa/mine/")
    event = AuditEvent.objects.filter(action="service_request.listed").latest("id")
    assert (event.actor, event.changes) == (world["responder"], {"ids": [world["sr"].reference]})
