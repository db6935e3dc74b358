"""The write paths of national QA review: draw a sample, assign reviewers, submit an
evaluation, raise and decide a dispute. Each is one transaction and audited."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.actors import Actor, SystemActor
from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.qa import access, sampling, scoring
from srmt.qa.errors import (
    AlreadyAssigned,
    AlreadyDecided,
    AlreadyDisputed,
    AlreadyEvaluated,
    InvalidDispute,
    InvalidScores,
    NoScorecard,
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
    DisputeStatus,
    Evaluation,
    Sample,
    SampleItem,
    SamplingPolicy,
    Score,
    Scorecard,
)
from srmt.service_requests.choices import ResponseKind, Status
from srmt.service_requests.models import Response, ServiceRequest

MAX_COMMENT = 5_000


def _require_reviewer(actor: Actor) -> None:
    if isinstance(actor, SystemActor):
        return
    if not access.is_reviewer(actor):
        raise QaDenied(_("Your role does not allow you to do that."))


def _actor_user(actor: Actor) -> User | None:
    return None if isinstance(actor, SystemActor) else actor


# --- Sampling ---------------------------------------------------------------------------


def build_frame(week: str) -> list[sampling.Stratum]:
    """The week's strata: requests closed (status closed) in the ISO week, by the office and
    type they had when they closed, with each office's rate and minimum."""
    start, end = sampling.parse_week(week)
    rows = (
        ServiceRequest.objects.filter(status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end)
        .order_by("pk")
        .values_list("pk", "office__code", "type__code")
    )
    population: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pk, office, type_code in rows:
        population[(office, type_code)].append(pk)
    policies = {p.office.code: p for p in SamplingPolicy.objects.select_related("office").all()}
    strata = []
    for (office, type_code), ids in sorted(population.items()):
        policy = policies.get(office)
        strata.append(
            sampling.Stratum(
                office=office,
                type=type_code,
                population=tuple(ids),
                rate=policy.rate if policy else sampling.DEFAULT_RATE,
                minimum=policy.minimum if policy else sampling.DEFAULT_MINIMUM,
            )
        )
    return strata


def _final_responses(ids: list[int]) -> dict[int, Response]:
    """The last final response of each request."""
    latest: dict[int, Response] = {}
    for response in Response.objects.filter(
        service_request_id__in=ids, kind=ResponseKind.FINAL
    ).order_by("created_at", "id"):
        latest[response.service_request_id] = response
    return latest


@transaction.atomic
def draw_sample(*, week: str, seed: int, actor: Actor, at: dt.datetime | None = None) -> Sample:
    """Draw the week's sample with `seed`, store it with its frame and assign reviewers.

    Refused for a week not yet over (`week_not_over`) and for a week and seed drawn before
    (`sample_exists`: the stored one is the draw; qa.sampling.redraw checks it)."""
    _require_reviewer(actor)
    at = at or timezone.now()
    _start, end = sampling.parse_week(week)
    if at < end:
        raise WeekNotOver(
            _("That week is not over yet: sample it from the Monday after."), field="week"
        )
    if Sample.objects.filter(week=week, seed=seed).exists():
        raise SampleExists(_("This week was already sampled with this seed."), field="seed")
    strata = build_frame(week)
    drawn_by_stratum = [sampling.select(s, week=week, seed=seed) for s in strata]
    sample = Sample.objects.create(
        week=week,
        seed=seed,
        frame=[sampling.frame_entry(s, d) for s, d in zip(strata, drawn_by_stratum, strict=True)],
        created_by=_actor_user(actor),
        created_at=at,
    )
    drawn = [pk for ids in drawn_by_stratum for pk in ids]
    requests = ServiceRequest.objects.select_related("case").in_bulk(drawn)
    finals = _final_responses(drawn)
    items = []
    for pk in drawn:
        sr = requests[pk]
        final = finals.get(pk)
        items.append(
            SampleItem(
                sample=sample,
                service_request=sr,
                office_id=sr.office_id,
                type_id=sr.type_id,
                response=final,
                responder_id=final.author_id if final else None,
            )
        )
    SampleItem.objects.bulk_create(items)
    assigned = _assign_reviewers(sample, at=at)
    audit.record(
        actor=actor,
        action=AuditAction.QA_SAMPLE_DRAWN,
        object_type="qa_sample",
        object_id=str(sample.pk),
        changes={
            "week": week,
            "seed": seed,
            "population": sample.population,
            "drawn": len(drawn),
            "assigned": assigned,
        },
    )
    return sample


def _assign_reviewers(sample: Sample, *, at: dt.datetime) -> int:
    """Give each item one reviewer who may review it, the least loaded in this sample, ties
    broken by a generator seeded from the week and seed (so a re-draw assigns the same way
    with the same reviewers). Items nobody may review stay unassigned."""
    reviewers = list(access.reviewer_pool().prefetch_related("offices"))
    offices = {r.pk: {o.pk for o in r.offices.all()} for r in reviewers}
    rng = random.Random(f"{sample.week}:{sample.seed}:reviewers")  # noqa: S311
    load = dict.fromkeys((r.pk for r in reviewers), 0)
    assignments = []
    items = SampleItem.objects.filter(sample=sample).select_related("service_request__case")
    for item in items.order_by("office__code", "type__code", "service_request_id"):
        eligible = [r for r in reviewers if access.may_review(r, item, office_ids=offices[r.pk])]
        if not eligible:
            continue
        fewest = min(load[r.pk] for r in eligible)
        chosen = rng.choice([r for r in eligible if load[r.pk] == fewest])
        load[chosen.pk] += 1
        assignments.append(Assignment(item=item, reviewer=chosen, created_at=at))
    Assignment.objects.bulk_create(assignments)
    return len(assignments)


@transaction.atomic
def assign(item: SampleItem, *, reviewer: User, actor: User) -> Assignment:
    """Ask one more reviewer to score `item`: its reviewer when it has none, otherwise a
    calibration assignment (several reviewers scoring the same request)."""
    _require_reviewer(actor)
    item = (
        SampleItem.objects.select_for_update(of=("self",))
        .select_related("service_request__case")
        .get(pk=item.pk)
    )
    if item.office_id in reviewer.office_ids():
        raise OwnOffice(
            _("A reviewer never reviews requests of their own office."), field="reviewer"
        )
    if item.service_request.is_confidential and not reviewer.is_1367_cleared:
        raise NotCleared(
            _("This request is on a 1367 case: choose a cleared reviewer."), field="reviewer"
        )
    if not access.may_review(reviewer, item):
        raise QaDenied(_("That person may not review this request."), field="reviewer")
    if Assignment.objects.filter(item=item, reviewer=reviewer).exists():
        raise AlreadyAssigned(_("That reviewer already has this request."), field="reviewer")
    is_calibration = Assignment.objects.filter(item=item).exists()
    assignment = Assignment.objects.create(
        item=item, reviewer=reviewer, is_calibration=is_calibration, created_at=timezone.now()
    )
    if is_calibration:
        Assignment.objects.filter(item=item).update(is_calibration=True)
    audit.record(
        actor=actor,
        action=AuditAction.QA_ASSIGNED,
        object_type="qa_item",
        object_id=str(item.pk),
        changes={"reviewer": reviewer.get_username(), "calibration": is_calibration},
    )
    return assignment


# --- Scorecards and evaluations ---------------------------------------------------------


def current_scorecard(on: dt.date | None = None) -> Scorecard:
    on = on or timezone.localdate()
    scorecard = Scorecard.objects.filter(effective_from__lte=on).order_by("-version").first()
    if scorecard is None:
        raise NoScorecard(_("No QA scorecard is in force."))
    return scorecard


def criteria_of(scorecard: Scorecard) -> list[Criterion]:
    return list(Criterion.objects.filter(scorecard=scorecard).order_by("order"))


@dataclass(frozen=True)
class ScoreInput:
    value: int
    comment: str = ""


@transaction.atomic
def submit_evaluation(
    assignment: Assignment,
    *,
    actor: User,
    scores: dict[str, ScoreInput],
    comment: str = "",
    at: dt.datetime | None = None,
) -> Evaluation:
    """Score an assignment once, on the scorecard in force: one value on every criterion's
    scale. The overall result follows qa.scoring.overall."""
    _require_reviewer(actor)
    assignment = Assignment.objects.select_for_update(of=("self",)).get(pk=assignment.pk)
    if assignment.reviewer_id != actor.pk:
        raise NotYourAssignment(_("Only the reviewer it was assigned to scores it."))
    if Evaluation.objects.filter(assignment=assignment).exists():
        raise AlreadyEvaluated(_("This request was already scored."))
    at = at or timezone.now()
    scorecard = current_scorecard(timezone.localdate(at))
    criteria = criteria_of(scorecard)
    _check_scores(criteria, scores)
    values = {code: given.value for code, given in scores.items()}
    evaluation = Evaluation.objects.create(
        assignment=assignment,
        scorecard=scorecard,
        comment=comment.strip()[:MAX_COMMENT],
        result=scoring.overall(scorecard, criteria, values),
        score_share=scoring.score_share(criteria, values),
        submitted_at=at,
    )
    Score.objects.bulk_create(
        Score(
            evaluation=evaluation,
            criterion=c,
            value=scores[c.code].value,
            comment=scores[c.code].comment.strip()[:2_000],
        )
        for c in criteria
    )
    audit.record(
        actor=actor,
        action=AuditAction.QA_EVALUATED,
        object_type="qa_evaluation",
        object_id=str(evaluation.pk),
        changes={
            "item": assignment.item_id,
            "scorecard": scorecard.version,
            "scores": values,
            "result": evaluation.result,
        },
    )
    return evaluation


def _check_scores(criteria: list[Criterion], scores: dict[str, ScoreInput]) -> None:
    codes = {c.code for c in criteria}
    missing = sorted(codes - scores.keys())
    unknown = sorted(scores.keys() - codes)
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing: %(codes)s") % {"codes": ", ".join(missing)})
        if unknown:
            parts.append(_("not on this scorecard: %(codes)s") % {"codes": ", ".join(unknown)})
        raise InvalidScores(
            _("Score every criterion of the scorecard (%(problems)s).")
            % {"problems": "; ".join(parts)},
            field="scores",
        )
    for criterion in criteria:
        if scores[criterion.code].value not in criterion.values:
            raise InvalidScores(
                _("%(criterion)s: choose one of %(values)s.")
                % {"criterion": criterion.code, "values": _values(criterion)},
                field="scores",
            )


def _values(criterion: Criterion) -> str:
    return ", ".join(str(v) for v in criterion.values)


def _recompute(evaluation: Evaluation) -> None:
    criteria = criteria_of(evaluation.scorecard)
    by_criterion = {s.criterion_id: s.value for s in evaluation.scores.all()}
    values = {c.code: by_criterion[c.pk] for c in criteria}
    evaluation.result = scoring.overall(evaluation.scorecard, criteria, values)
    evaluation.score_share = scoring.score_share(criteria, values)
    evaluation.save(update_fields=["result", "score_share"])


# --- Disputes ---------------------------------------------------------------------------


@transaction.atomic
def raise_dispute(evaluation: Evaluation, *, actor: User, criterion: str, reason: str) -> Dispute:
    """The responder disputes one score of an evaluation of their response, once."""
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("assignment__item")
        .get(pk=evaluation.pk)
    )
    if evaluation.assignment.item.responder_id != actor.pk:
        raise NotResponder(_("Only the author of the response may dispute its evaluation."))
    if Dispute.objects.filter(evaluation=evaluation).exists():
        raise AlreadyDisputed(_("This evaluation was already disputed: a score is disputed once."))
    text = reason.strip()
    if not text:
        raise InvalidDispute(_("Say why the score is wrong."), field="reason")
    score = evaluation.scores.filter(criterion__code=criterion).first()
    if score is None:
        raise InvalidDispute(_("This evaluation has no such criterion."), field="criterion")
    dispute = Dispute.objects.create(
        evaluation=evaluation,
        score=score,
        raised_by=actor,
        reason=text[:MAX_COMMENT],
        raised_at=timezone.now(),
        original_value=score.value,
    )
    audit.record(
        actor=actor,
        action=AuditAction.QA_DISPUTED,
        object_type="qa_dispute",
        object_id=str(dispute.pk),
        changes={"evaluation": evaluation.pk, "criterion": criterion, "value": score.value},
    )
    return dispute


@transaction.atomic
def decide_dispute(dispute: Dispute, *, actor: User, value: int | None, comment: str) -> Dispute:
    """Another QA reviewer (never the one who scored, never the responder) upholds the score
    (`value` None or unchanged) or changes it; the overall result is computed again."""
    _require_reviewer(actor)
    dispute = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("evaluation__assignment", "score__criterion")
        .get(pk=dispute.pk)
    )
    if dispute.evaluation.assignment.reviewer_id == actor.pk:
        raise OwnEvaluation(_("Another reviewer decides a dispute of your evaluation."))
    if dispute.raised_by_id == actor.pk:
        raise OwnEvaluation(_("You cannot decide your own dispute."))
    if dispute.status != DisputeStatus.OPEN:
        raise AlreadyDecided(_("This dispute was already decided."))
    text = comment.strip()
    if not text:
        raise InvalidDispute(_("Explain the decision to the responder."), field="comment")
    criterion = dispute.score.criterion
    if value is not None and value not in criterion.values:
        raise InvalidDispute(
            _("Choose one of %(values)s.") % {"values": _values(criterion)}, field="value"
        )
    changed = value is not None and value != dispute.original_value
    dispute.status = DisputeStatus.CHANGED if changed else DisputeStatus.UPHELD
    dispute.decided_value = value if changed else dispute.original_value
    dispute.decided_by = actor
    dispute.decided_at = timezone.now()
    dispute.decision_comment = text[:MAX_COMMENT]
    dispute.save()
    if changed:
        Score.objects.filter(pk=dispute.score_id).update(value=value)
        _recompute(dispute.evaluation)
    audit.record(
        actor=actor,
        action=AuditAction.QA_DISPUTE_DECIDED,
        object_type="qa_dispute",
        object_id=str(dispute.pk),
        changes={
            "status": dispute.status,
            "criterion": criterion.code,
            "from": dispute.original_value,
            "to": dispute.decided_value,
            "result": dispute.evaluation.result,
        },
    )
    return dispute
