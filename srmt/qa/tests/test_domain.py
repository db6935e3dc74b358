"""National QA review: sampling, reviewers, scorecards, calibration, disputes (ADR 36)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.offices.models import Office
from srmt.qa import agreement, sampling, scoring, services
from srmt.qa.errors import (
    AlreadyDecided,
    AlreadyDisputed,
    AlreadyEvaluated,
    InvalidScores,
    NotCleared,
    NotResponder,
    NotYourAssignment,
    OwnEvaluation,
    OwnOffice,
    QaDenied,
    SampleExists,
    WeekNotOver,
)
from srmt.qa.models import (
    Assignment,
    Criterion,
    Dispute,
    Evaluation,
    Result,
    Sample,
    SampleItem,
    SamplingPolicy,
    Score,
    Scorecard,
)
from srmt.qa.scorecards import MET
from srmt.qa.services import ScoreInput
from srmt.qa.tests.helpers import AFTER_W48, ALL_MET, IN_W48, closed_request, evaluate, reviewer
from srmt.testing.factories import make_user

pytestmark = pytest.mark.django_db


def state() -> tuple[int, ...]:
    return (
        Sample.objects.count(),
        SampleItem.objects.count(),
        Assignment.objects.count(),
        Evaluation.objects.count(),
        Score.objects.count(),
        Dispute.objects.count(),
        AuditEvent.objects.filter(action__startswith="qa.").count(),
    )


# --- Sampling rule, for all inputs -----------------------------------------------------


@given(
    n=st.integers(0, 500),
    rate=st.decimals(0, 1, places=3),
    minimum=st.integers(0, 20),
)
def test_stratum_size_is_max_of_minimum_and_rate_capped_by_population(n, rate, minimum):
    size = sampling.stratum_size(n, rate=rate, minimum=minimum)
    assert size == (min(n, max(minimum, math.ceil(rate * n))) if n else 0)
    assert 0 <= size <= n
    if n and minimum:
        assert size >= 1


@given(
    ids=st.sets(st.integers(1, 10_000), min_size=0, max_size=60),
    rate=st.decimals(0, 1, places=2),
    minimum=st.integers(0, 5),
    seed=st.integers(0, 2**31),
)
def test_select_draws_the_stratum_size_reproducibly(ids, rate, minimum, seed):
    stratum = sampling.Stratum("NBC", "general_case_inquiry", tuple(ids), rate, minimum)
    drawn = sampling.select(stratum, week="2026-W48", seed=seed)
    assert drawn == sorted(set(drawn))
    assert set(drawn) <= ids
    assert len(drawn) == sampling.stratum_size(len(ids), rate=rate, minimum=minimum)
    # The same stratum listed in any order draws the same requests.
    shuffled = sampling.Stratum(
        "NBC", "general_case_inquiry", tuple(sorted(ids, reverse=True)), rate, minimum
    )
    assert sampling.select(shuffled, week="2026-W48", seed=seed) == drawn


@pytest.mark.parametrize(
    ("week", "start", "end"),
    [
        ("2026-W48", dt.date(2026, 11, 23), dt.date(2026, 11, 30)),
        ("2026-W01", dt.date(2025, 12, 29), dt.date(2026, 1, 5)),
        ("2026-W53", dt.date(2026, 12, 28), dt.date(2027, 1, 4)),
    ],
)
def test_parse_week_gives_the_local_monday_to_monday(week, start, end):
    first, last = sampling.parse_week(week)
    assert (first.date(), last.date()) == (start, end)
    assert first.time() == dt.time.min


@pytest.mark.parametrize("week", ["2026-48", "2026-W5", "2025-W53", "W48", ""])
def test_parse_week_refuses_what_is_not_an_iso_week(week):
    with pytest.raises(sampling.InvalidWeek):
        sampling.parse_week(week)


# --- Drawing a sample ---------------------------------------------------------------------


@pytest.fixture
def week(reference):
    """2026-W48: four NBC inquiries, one NSC typographic error, and what must stay out."""
    nbc = [closed_request(office="NBC") for _ in range(4)]
    nsc = [closed_request(office="NSC", type="typographic_error")]
    outside = closed_request(office="NBC", closed_at=IN_W48 - dt.timedelta(days=7))
    return {"nbc": nbc, "nsc": nsc, "outside": outside}


def test_sample_is_stratified_per_office_and_type_with_each_offices_rate(week):
    SamplingPolicy.objects.create(
        office=Office.objects.get(code="NBC"), rate=Decimal("0.5"), minimum=1
    )
    lead = reviewer("lead")
    sample = services.draw_sample(week="2026-W48", seed=7, actor=lead, at=AFTER_W48)
    frame = {(s["office"], s["type"]): s for s in sample.frame}
    assert sorted(frame) == [("NBC", "general_case_inquiry"), ("NSC", "typographic_error")]
    nbc = frame[("NBC", "general_case_inquiry")]
    assert nbc["population"] == sorted(sr.pk for sr in week["nbc"])
    assert (nbc["rate"], nbc["minimum"], len(nbc["drawn"])) == ("0.500", 1, 2)
    nsc = frame[("NSC", "typographic_error")]
    # The national default: 5 %, at least 2, capped by the stratum's 1 request.
    assert (nsc["rate"], nsc["minimum"], nsc["drawn"]) == ("0.05", 2, [week["nsc"][0].pk])
    assert week["outside"].pk not in {pk for s in sample.frame for pk in s["population"]}
    assert sample.population == 5
    assert (sample.created_by, sample.created_at) == (lead, AFTER_W48)
    items = list(sample.items.order_by("service_request_id"))
    assert [i.service_request_id for i in items] == sorted(nbc["drawn"] + nsc["drawn"])
    for item in items:
        assert item.responder_id == item.response.author_id
        assert item.office.code == item.service_request.office.code
    event = AuditEvent.objects.get(action="qa.sample_drawn")
    assert event.changes == {
        "week": "2026-W48",
        "seed": 7,
        "population": 5,
        "drawn": 3,
        "assigned": 3,
    }


def test_same_week_and_seed_draw_the_same_sample_again(week):
    lead = reviewer("lead")
    first = services.draw_sample(week="2026-W48", seed=7, actor=lead, at=AFTER_W48)
    drawn = sorted(first.items.values_list("service_request_id", flat=True))
    frame = first.frame
    assert sampling.redraw(frame, week="2026-W48", seed=7) == [s["drawn"] for s in frame]
    Assignment.objects.filter(item__sample=first).delete()
    first.items.all().delete()
    first.delete()
    again = services.draw_sample(week="2026-W48", seed=7, actor=lead, at=AFTER_W48)
    assert sorted(again.items.values_list("service_request_id", flat=True)) == drawn
    assert again.frame == frame


def test_a_week_and_seed_drawn_before_or_not_over_is_refused_and_nothing_changes(week):
    lead = reviewer("lead")
    services.draw_sample(week="2026-W48", seed=7, actor=lead, at=AFTER_W48)
    before = state()
    with pytest.raises(SampleExists):
        services.draw_sample(week="2026-W48", seed=7, actor=lead, at=AFTER_W48)
    with pytest.raises(WeekNotOver):
        services.draw_sample(
            week="2026-W48", seed=8, actor=lead, at=AFTER_W48 - dt.timedelta(days=1)
        )
    assert state() == before


@pytest.mark.parametrize(
    "role", [Role.TIER1, Role.TIER2, Role.OFFICE_STAFF, Role.SUPERVISOR, Role.ANALYST]
)
def test_only_qa_reviewers_draw_samples(week, role):
    before = state()
    with pytest.raises(QaDenied):
        services.draw_sample(week="2026-W48", seed=7, actor=make_user(role=role), at=AFTER_W48)
    assert state() == before


def test_the_command_draws_then_checks_the_stored_draw(week):
    out = StringIO()
    call_command("qa_sample", "--week", "2026-W48", "--seed", "7", stdout=out)
    sample = Sample.objects.get()
    assert sample.created_by is None
    assert out.getvalue().startswith(
        f"Sample {sample.pk}: 2026-W48, seed 7: 3 of 5 closed requests in 2 strata."
    )
    out = StringIO()
    call_command("qa_sample", "--week", "2026-W48", "--seed", "7", stdout=out)
    assert "gives the same 3 requests" in out.getvalue()
    assert Sample.objects.count() == 1


# --- Reviewers ----------------------------------------------------------------------------


def test_reviewers_never_get_requests_of_their_own_office(week):
    at_nbc = reviewer("qa_nbc", offices=("NBC",))
    at_nsc = reviewer("qa_nsc", offices=("NSC",))
    sample = services.draw_sample(week="2026-W48", seed=7, actor=at_nbc, at=AFTER_W48)
    pairs = {
        (a.item.office.code, a.reviewer.username)
        for a in Assignment.objects.filter(item__sample=sample)
    }
    assert pairs == {("NBC", "qa_nsc"), ("NSC", "qa_nbc")}
    item = SampleItem.objects.filter(sample=sample, office__code="NBC").first()
    before = state()
    with pytest.raises(OwnOffice):
        services.assign(item, reviewer=at_nbc, actor=at_nsc)
    assert state() == before


def test_a_1367_request_goes_only_to_a_cleared_reviewer(reference):
    protected = closed_request(office="NBC", protected=True)
    plain = reviewer("qa_plain")
    cleared = reviewer("qa_cleared", cleared=True)
    sample = services.draw_sample(week="2026-W48", seed=1, actor=plain, at=AFTER_W48)
    item = SampleItem.objects.get(sample=sample, service_request=protected)
    assert [a.reviewer for a in item.assignments.all()] == [cleared]
    before = state()
    with pytest.raises(NotCleared):
        services.assign(item, reviewer=plain, actor=cleared)
    assert state() == before


def test_a_second_reviewer_makes_a_calibration_pair(week):
    one, two = reviewer("qa_one"), reviewer("qa_two")
    sample = services.draw_sample(week="2026-W48", seed=7, actor=one, at=AFTER_W48)
    item = sample.items.first()
    first = item.assignments.get()
    other = two if first.reviewer == one else one
    services.assign(item, reviewer=other, actor=one)
    assert list(item.assignments.values_list("is_calibration", flat=True)) == [True, True]


# --- Scorecards and evaluations -----------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "result", "share"),
    [
        ({}, Result.PASS, 1.0),
        ({"plain_language": 2, "courtesy": 2}, Result.NEEDS_IMPROVEMENT, 12 / 16),
        ({"completeness": 1, "new_information": 1, "timeliness": 1}, Result.PASS, 13 / 16),
        ({"completeness": 0, "new_information": 0}, Result.NEEDS_IMPROVEMENT, 12 / 16),
        (
            {"completeness": 0, "new_information": 0, "timeliness": 0, "courtesy": 3},
            Result.FAIL,
            9 / 16,
        ),
        ({"accuracy": 0}, Result.FAIL, 14 / 16),  # critical at its lowest
        ({"correct_routing": 0}, Result.FAIL, 14 / 16),
        ({"accuracy": 1, "correct_routing": 1}, Result.PASS, 14 / 16),
    ],
)
def test_overall_result_rule(reference, changes, result, share):
    scorecard = Scorecard.objects.get(version=1)
    criteria = services.criteria_of(scorecard)
    values = {**ALL_MET, **changes}
    assert scoring.score_share(criteria, values) == pytest.approx(share)
    assert scoring.overall(scorecard, criteria, values) == result


def test_scorecard_version_1_is_seeded_bilingual_with_scales(reference):
    scorecard = Scorecard.objects.get(version=1)
    criteria = services.criteria_of(scorecard)
    assert [c.code for c in criteria] == [
        "accuracy",
        "completeness",
        "new_information",
        "plain_language",
        "courtesy",
        "timeliness",
        "correct_routing",
    ]
    assert all(c.label_en and c.label_es and c.definition_en and c.definition_es for c in criteria)
    assert {c.code: c.values for c in criteria}["courtesy"] == [1, 2, 3, 4]
    assert [c.code for c in criteria if c.is_critical] == ["accuracy", "correct_routing"]


@pytest.fixture
def assigned(week):
    one = reviewer("qa_one")
    reviewer("qa_two")
    services.draw_sample(week="2026-W48", seed=7, actor=one, at=AFTER_W48)
    return Assignment.objects.order_by("id").first()


def test_evaluation_is_scored_once_by_its_reviewer_on_the_scorecard_in_force(assigned):
    evaluation = evaluate(assigned)
    assert (evaluation.scorecard.version, evaluation.result, evaluation.score_share) == (
        1,
        Result.PASS,
        1.0,
    )
    assert evaluation.scores.count() == 7
    before = state()
    with pytest.raises(AlreadyEvaluated):
        evaluate(assigned)
    stranger = reviewer("qa_stranger")
    with pytest.raises(NotYourAssignment):
        services.submit_evaluation(assigned, actor=stranger, scores={})
    assert state() == before


@pytest.mark.parametrize(
    "scores",
    [
        {k: v for k, v in ALL_MET.items() if k != "courtesy"},
        {**ALL_MET, "speed": 1},
        {**ALL_MET, "courtesy": 0},
        {**ALL_MET, "accuracy": 3},
    ],
)
def test_scores_off_the_scorecard_are_refused_and_nothing_changes(assigned, scores):
    before = state()
    with pytest.raises(InvalidScores):
        evaluate(assigned, scores)
    assert state() == before


def test_a_new_scorecard_version_applies_to_new_evaluations_only(assigned):
    old = evaluate(assigned)
    v2 = Scorecard.objects.create(version=2, effective_from=dt.date(2026, 12, 1))
    Criterion.objects.create(
        scorecard=v2,
        code="accuracy",
        order=1,
        label_en="Accuracy",
        label_es="Exactitud",
        definition_en="d",
        definition_es="d",
        levels=MET,
        is_critical=True,
    )
    other = Assignment.objects.exclude(pk=assigned.pk).order_by("id").first()
    new = services.submit_evaluation(
        other,
        actor=other.reviewer,
        scores={"accuracy": ScoreInput(1)},
        at=dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC),
    )
    assert (new.scorecard.version, new.scores.count(), new.result) == (
        2,
        1,
        Result.FAIL,
    )  # 1/2 < 0.6
    old.refresh_from_db()
    assert (old.scorecard.version, old.scores.count()) == (1, 7)


# --- Calibration --------------------------------------------------------------------------


def test_alpha_matches_a_hand_computed_example():
    # Two reviewers, four requests: (0,0) (2,2) (0,2) (2,2). Pairable values n = 8:
    # o(0,0) = 2, o(2,2) = 4, o(0,2) = o(2,0) = 1; n0 = 3, n2 = 5. With two values the
    # ordinal distance is one constant d, so D_o = 2d/8 and D_e = 2·3·5·d/(8·7):
    # alpha = 1 − (2/8)/(30/56) = 1 − 7/15 = 8/15.
    matrix = [[0, 2, 0, 2], [0, 2, 2, 2]]
    assert agreement.alpha(matrix, [0, 1, 2]) == pytest.approx(8 / 15)
    assert agreement.alpha([[1, 1], [1, 1]], [0, 1, 2]) is None  # no variation
    assert agreement.alpha([[0, math.nan], [2, math.nan]], [0, 1, 2]) is None  # one item


def test_calibration_reports_alpha_and_disagreements_per_criterion(week):
    SamplingPolicy.objects.create(office=Office.objects.get(code="NBC"), rate=1, minimum=1)
    one, two = reviewer("qa_one"), reviewer("qa_two")
    sample = services.draw_sample(week="2026-W48", seed=7, actor=one, at=AFTER_W48)
    given_values = {"qa_one": [0, 2, 0, 2], "qa_two": [0, 2, 2, 2]}
    items = list(sample.items.filter(office__code="NBC").order_by("service_request_id"))
    assert len(items) == 4
    for index, item in enumerate(items[:4]):
        for name in ("qa_one", "qa_two"):
            user = one if name == "qa_one" else two
            assignment = Assignment.objects.filter(item=item, reviewer=user).first()
            if assignment is None:
                assignment = services.assign(item, reviewer=user, actor=one)
            value = given_values[name][index]
            evaluate(assignment, {**ALL_MET, "accuracy": value})
    result = {a.criterion.code: a for a in agreement.calibration(sample)}
    assert result["accuracy"].alpha == pytest.approx(8 / 15)
    assert (result["accuracy"].items, result["accuracy"].ratings) == (4, 8)
    assert [d.values for d in result["accuracy"].disagreements] == [{"qa_one": 0, "qa_two": 2}]
    assert result["courtesy"].alpha is None
    assert result["courtesy"].disagreements == []


# --- Disputes -----------------------------------------------------------------------------


@pytest.fixture
def scored(assigned):
    return evaluate(assigned, {**ALL_MET, "accuracy": 0})


def test_the_responder_disputes_once_and_another_reviewer_changes_the_score(scored):
    responder = scored.assignment.item.responder
    dispute = services.raise_dispute(
        scored, actor=responder, criterion="accuracy", reason="The date was right."
    )
    before = state()
    with pytest.raises(AlreadyDisputed):
        services.raise_dispute(scored, actor=responder, criterion="courtesy", reason="Again.")
    assert state() == before
    other = User.objects.get(
        username="qa_two" if scored.assignment.reviewer.username == "qa_one" else "qa_one"
    )
    decided = services.decide_dispute(
        dispute, actor=other, value=2, comment="The date matches the case."
    )
    assert (decided.status, decided.original_value, decided.decided_value, decided.decided_by) == (
        "changed",
        0,
        2,
        other,
    )
    scored.refresh_from_db()
    assert (scored.result, scored.score_share) == (Result.PASS, 1.0)
    assert scored.scores.get(criterion__code="accuracy").value == 2
    event = AuditEvent.objects.get(action="qa.dispute_decided")
    assert event.changes == {
        "status": "changed",
        "criterion": "accuracy",
        "from": 0,
        "to": 2,
        "result": "pass",
    }
    before = state()
    with pytest.raises(AlreadyDecided):
        services.decide_dispute(dispute, actor=other, value=0, comment="Changed my mind.")
    assert state() == before


def test_a_dispute_upheld_changes_nothing_in_the_score(scored):
    dispute = services.raise_dispute(
        scored, actor=scored.assignment.item.responder, criterion="accuracy", reason="No."
    )
    other = reviewer("qa_third")
    decided = services.decide_dispute(
        dispute, actor=other, value=None, comment="The card date was wrong."
    )
    assert (decided.status, decided.decided_value) == ("upheld", 0)
    scored.refresh_from_db()
    assert scored.result == Result.FAIL


def test_disputes_refused_to_others_and_to_the_original_reviewer_change_nothing(scored):
    item = scored.assignment.item
    before = state()
    for actor in (make_user(role=Role.OFFICE_STAFF, offices=["NBC"]), scored.assignment.reviewer):
        with pytest.raises(NotResponder):
            services.raise_dispute(scored, actor=actor, criterion="accuracy", reason="No.")
    assert state() == before
    dispute = services.raise_dispute(
        scored, actor=item.responder, criterion="accuracy", reason="No."
    )
    before = state()
    with pytest.raises(OwnEvaluation):
        services.decide_dispute(dispute, actor=scored.assignment.reviewer, value=2, comment="Fine.")
    with pytest.raises(QaDenied):
        services.decide_dispute(
            dispute,
            actor=make_user(role=Role.SUPERVISOR, offices=["NBC"]),
            value=2,
            comment="Fine.",
        )
    assert state() == before
    dispute.refresh_from_db()
    assert (dispute.status, dispute.decided_by) == ("open", None)
    assert scored.scores.get(criterion__code="accuracy").value == 0
