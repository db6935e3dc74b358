"""/api/v1/qa/: national QA review (docs/adr/0036-national-qa-review.md): samples and their
items, the scorecard, evaluations (submit and read), disputes and the results dashboard."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from srmt.accounts.roles import Capability
from srmt.api.authentication import signed_in_user
from srmt.api.idempotency import idempotent
from srmt.api.inputs import QueryInput, StrictInput
from srmt.api.schema import problems
from srmt.api.serializers import UtcDateTimeField
from srmt.api.views.base import ApiView
from srmt.audit import services as audit
from srmt.qa import access, reports, services
from srmt.qa.errors import InvalidScores
from srmt.qa.models import Assignment, Criterion, Dispute, Evaluation, Sample

TAG = "national QA review"
ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The object's id.")


# --- Output -------------------------------------------------------------------------------


class StratumOut(serializers.Serializer[Any]):
    office = serializers.CharField()
    type = serializers.CharField()
    population = serializers.ListField(child=serializers.IntegerField(), help_text="Request ids.")
    rate = serializers.CharField(help_text='Decimal share drawn, e.g. "0.050".')
    minimum = serializers.IntegerField()
    drawn = serializers.ListField(child=serializers.IntegerField(), help_text="Request ids.")


class SampleOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    week = serializers.CharField()
    seed = serializers.IntegerField()
    population = serializers.IntegerField()
    drawn = serializers.IntegerField()
    frame = StratumOut(many=True)
    created_by = serializers.CharField(allow_null=True, help_text="None: drawn by the system.")
    created_at = UtcDateTimeField()


def sample_body(sample: Sample) -> dict[str, Any]:
    return dict(
        SampleOut(
            {
                "id": sample.pk,
                "week": sample.week,
                "seed": sample.seed,
                "population": sample.population,
                "drawn": sum(len(s["drawn"]) for s in sample.frame),
                "frame": sample.frame,
                "created_by": sample.created_by.get_username() if sample.created_by else None,
                "created_at": sample.created_at,
            }
        ).data
    )


class AssignmentOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reviewer = serializers.CharField()
    is_calibration = serializers.BooleanField()
    evaluation = serializers.IntegerField(allow_null=True)


class ItemOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    office = serializers.CharField()
    type = serializers.CharField()
    responder = serializers.CharField(allow_null=True)
    assignments = AssignmentOut(many=True)


class LevelOut(serializers.Serializer[Any]):
    value = serializers.IntegerField()
    en = serializers.CharField()
    es = serializers.CharField()


class CriterionOut(serializers.Serializer[Any]):
    code = serializers.CharField()
    label_en = serializers.CharField()
    label_es = serializers.CharField()
    definition_en = serializers.CharField()
    definition_es = serializers.CharField()
    levels = LevelOut(many=True)
    is_critical = serializers.BooleanField()


class ScorecardOut(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    effective_from = serializers.DateField()
    pass_threshold = serializers.DecimalField(max_digits=3, decimal_places=2)
    improvement_threshold = serializers.DecimalField(max_digits=3, decimal_places=2)
    criteria = CriterionOut(many=True)


class ScoreOut(serializers.Serializer[Any]):
    criterion = serializers.CharField()
    value = serializers.IntegerField()
    comment = serializers.CharField()


class DisputeOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    criterion = serializers.CharField()
    reason = serializers.CharField()
    status = serializers.CharField(help_text="open, upheld (score kept) or changed.")
    original_value = serializers.IntegerField()
    decided_value = serializers.IntegerField(allow_null=True)
    decided_by = serializers.CharField(allow_null=True)
    decided_at = UtcDateTimeField(allow_null=True)
    decision_comment = serializers.CharField()


class EvaluationOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    item = serializers.IntegerField()
    reference = serializers.CharField()
    reviewer = serializers.CharField()
    responder = serializers.CharField(allow_null=True)
    scorecard = serializers.IntegerField(help_text="The scorecard version scored on.")
    scores = ScoreOut(many=True)
    comment = serializers.CharField()
    result = serializers.ChoiceField(choices=["pass", "needs_improvement", "fail"])
    score_share = serializers.FloatField()
    submitted_at = UtcDateTimeField()
    dispute = DisputeOut(allow_null=True)


def dispute_body(dispute: Dispute) -> dict[str, Any]:
    return {
        "id": dispute.pk,
        "criterion": dispute.score.criterion.code,
        "reason": dispute.reason,
        "status": dispute.status,
        "original_value": dispute.original_value,
        "decided_value": dispute.decided_value,
        "decided_by": dispute.decided_by.get_username() if dispute.decided_by else None,
        "decided_at": dispute.decided_at,
        "decision_comment": dispute.decision_comment,
    }


def evaluation_body(evaluation: Evaluation) -> dict[str, Any]:
    item = evaluation.assignment.item
    dispute = (
        Dispute.objects.filter(evaluation=evaluation)
        .select_related("score__criterion", "decided_by")
        .first()
    )
    return dict(
        EvaluationOut(
            {
                "id": evaluation.pk,
                "item": item.pk,
                "reference": item.service_request.reference,
                "reviewer": evaluation.assignment.reviewer.get_username(),
                "responder": item.responder.get_username() if item.responder else None,
                "scorecard": evaluation.scorecard.version,
                "scores": [
                    {"criterion": s.criterion.code, "value": s.value, "comment": s.comment}
                    for s in evaluation.scores.select_related("criterion").order_by(
                        "criterion__order"
                    )
                ],
                "comment": evaluation.comment,
                "result": evaluation.result,
                "score_share": evaluation.score_share,
                "submitted_at": evaluation.submitted_at,
                "dispute": dispute_body(dispute) if dispute else None,
            }
        ).data
    )


def _evaluations(qs: Any) -> Any:
    return qs.select_related(
        "assignment__reviewer",
        "assignment__item__service_request__case",
        "assignment__item__responder",
        "scorecard",
    )


# --- Input --------------------------------------------------------------------------------


class SampleInput(StrictInput):
    week = serializers.RegexField(r"^\d{4}-W\d{2}$", max_length=8, help_text="e.g. 2026-W48")
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1)


class SampleFilter(QueryInput):
    week = serializers.RegexField(r"^\d{4}-W\d{2}$", max_length=8, required=False)


class ScoreInputSerializer(StrictInput):
    criterion = serializers.SlugField(max_length=32)
    value = serializers.IntegerField(min_value=-100, max_value=100)
    comment = serializers.CharField(max_length=2_000, required=False, allow_blank=True, default="")


class EvaluationInput(StrictInput):
    assignment = serializers.IntegerField(min_value=1, help_text="Your assignment's id.")
    scores = ScoreInputSerializer(many=True, allow_empty=False)
    comment = serializers.CharField(max_length=5_000, required=False, allow_blank=True, default="")


class EvaluationFilter(QueryInput):
    sample = serializers.IntegerField(min_value=1, help_text="The sample's id.")


class DisputeInput(StrictInput):
    criterion = serializers.SlugField(max_length=32)
    reason = serializers.CharField(max_length=5_000)


class DisputeDecisionInput(StrictInput):
    value = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The new score; omit to uphold."
    )
    comment = serializers.CharField(max_length=5_000)


class ResultsFilter(QueryInput):
    by = serializers.ChoiceField(choices=list(reports.DIMENSIONS))
    since = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$", required=False, help_text="First month (YYYY-MM) shown."
    )
    until = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$", required=False, help_text="Last month (YYYY-MM) shown."
    )


class ResultRowOut(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="Office or type code, username, or YYYY-MM.")
    name = serializers.CharField()
    evaluations = serializers.IntegerField()
    passed = serializers.IntegerField()
    needs_improvement = serializers.IntegerField()
    failed = serializers.IntegerField()
    pass_rate = serializers.FloatField(allow_null=True)
    mean_score = serializers.FloatField(allow_null=True)
    trend = serializers.DictField(
        child=serializers.FloatField(allow_null=True), help_text="Pass rate by month (YYYY-MM)."
    )


class ResultsOut(serializers.Serializer[Any]):
    by = serializers.CharField()
    months = serializers.ListField(child=serializers.CharField())
    rows = ResultRowOut(many=True)


# --- Views --------------------------------------------------------------------------------


class SampleCollectionView(ApiView):
    required_capabilities: ClassVar[dict[str, Capability]] = {
        "GET": Capability.QA_REVIEW,
        "POST": Capability.QA_REVIEW,
    }
    query_serializers = {"GET": SampleFilter}

    @extend_schema(
        tags=[TAG],
        summary="QA samples, newest week first (not paginated: one per week and seed)",
        parameters=[SampleFilter],
        responses={200: SampleOut(many=True), **problems(403)},
    )
    def get(self, request: Request) -> Response:
        query = SampleFilter(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        qs = access.visible_samples(signed_in_user(request)).select_related("created_by")
        if "week" in query.validated_data:
            qs = qs.filter(week=query.validated_data["week"])
        return Response([sample_body(s) for s in qs])

    @extend_schema(
        tags=[TAG],
        summary="Draw the QA sample of an ISO week",
        description="Stratified by office and request type at each office's rate and minimum, "
        "reproducible from `seed`; reviewers from other offices are assigned. 409 "
        "`sample_exists` for a week and seed drawn before; 400 `week_not_over`.",
        request=SampleInput,
        responses={201: SampleOut, **problems(403, 409, 413, 415)},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        body = SampleInput(data=request.data)
        body.is_valid(raise_exception=True)
        sample = services.draw_sample(actor=signed_in_user(request), **body.validated_data)
        return Response(sample_body(sample), status=status.HTTP_201_CREATED)


class SampleItemListView(ApiView):
    required_capabilities: ClassVar[dict[str, Capability]] = {"GET": Capability.QA_REVIEW}

    @extend_schema(
        tags=[TAG],
        summary="The requests of a sample you may see, with their reviewers (not paginated)",
        parameters=[ID],
        responses={200: ItemOut(many=True), **problems(403, 404)},
    )
    def get(self, request: Request, id: int) -> Response:
        user = signed_in_user(request)
        sample = get_object_or_404(access.visible_samples(user), pk=id)
        items = (
            access.visible_items(user)
            .filter(sample=sample)
            .select_related("service_request", "office", "type", "responder")
            .order_by("id")
        )
        assignments: dict[int, list[dict[str, Any]]] = {}
        rows = Assignment.objects.filter(item__in=items).select_related("reviewer", "evaluation")
        for a in rows.order_by("id"):
            assignments.setdefault(a.item_id, []).append(
                {
                    "id": a.pk,
                    "reviewer": a.reviewer.get_username(),
                    "is_calibration": a.is_calibration,
                    "evaluation": _evaluation_id(a),
                }
            )
        return Response(
            [
                ItemOut(
                    {
                        "id": item.pk,
                        "reference": item.service_request.reference,
                        "office": item.office.code,
                        "type": item.type.code,
                        "responder": item.responder.get_username() if item.responder else None,
                        "assignments": assignments.get(item.pk, []),
                    }
                ).data
                for item in items
            ]
        )


def _evaluation_id(assignment: Assignment) -> int | None:
    try:
        return assignment.evaluation.pk
    except Evaluation.DoesNotExist:
        return None


class ScorecardView(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="The QA scorecard in force: criteria, definitions and scales",
        responses={200: ScorecardOut, **problems(409)},
    )
    def get(self, request: Request) -> Response:
        scorecard = services.current_scorecard()
        criteria: list[Criterion] = services.criteria_of(scorecard)
        return Response(
            ScorecardOut(
                {
                    "version": scorecard.version,
                    "effective_from": scorecard.effective_from,
                    "pass_threshold": scorecard.pass_threshold,
                    "improvement_threshold": scorecard.improvement_threshold,
                    "criteria": criteria,
                }
            ).data
        )


class EvaluationCollectionView(ApiView):
    required_capabilities: ClassVar[dict[str, Capability]] = {"POST": Capability.QA_REVIEW}
    query_serializers = {"GET": EvaluationFilter}

    @extend_schema(
        tags=[TAG],
        summary="The evaluations of a sample you may read (not paginated)",
        description="QA reviewers read every evaluation; a responder those of their responses; "
        "a supervisor those of the responders of their offices. Recorded in the audit log.",
        parameters=[EvaluationFilter],
        responses={200: EvaluationOut(many=True), **problems(403)},
    )
    def get(self, request: Request) -> Response:
        query = EvaluationFilter(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        user = signed_in_user(request)
        evaluations = list(
            _evaluations(access.visible_evaluations(user))
            .filter(assignment__item__sample_id=query.validated_data["sample"])
            .order_by("id")
        )
        audit.record_views(
            actor=user,
            object_type="qa_evaluation",
            object_ids=[str(e.pk) for e in evaluations],
            confidential_ids=[
                str(e.pk) for e in evaluations if e.assignment.item.service_request.is_confidential
            ],
        )
        return Response([evaluation_body(e) for e in evaluations])

    @extend_schema(
        tags=[TAG],
        summary="Submit your scores for an assignment",
        description="One value on every criterion of the scorecard in force (400 "
        "`invalid_scores` otherwise), once (409 `already_evaluated`), only for your own "
        "assignment (403 `not_your_assignment`). The overall result is computed.",
        request=EvaluationInput,
        responses={201: EvaluationOut, **problems(403, 404, 409, 413, 415)},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        body = EvaluationInput(data=request.data)
        body.is_valid(raise_exception=True)
        user = signed_in_user(request)
        data = body.validated_data
        assignment = Assignment.objects.filter(
            pk=data["assignment"], item__in=access.visible_items(user)
        ).first()
        if assignment is None:
            raise Http404(_("No assignment matches that id."))
        scores: dict[str, services.ScoreInput] = {}
        for given in data["scores"]:
            if given["criterion"] in scores:
                raise InvalidScores(
                    _("%(criterion)s: score each criterion once.")
                    % {"criterion": given["criterion"]},
                    field="scores",
                )
            scores[given["criterion"]] = services.ScoreInput(given["value"], given["comment"])
        evaluation = services.submit_evaluation(
            assignment, actor=user, scores=scores, comment=data["comment"]
        )
        return Response(evaluation_body(evaluation), status=status.HTTP_201_CREATED)


class EvaluationDisputeView(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Dispute one score of an evaluation of your response (once)",
        description="Only the responder (403 `not_responder`), once per evaluation (409 "
        "`already_disputed`). Another QA reviewer decides.",
        parameters=[ID],
        request=DisputeInput,
        responses={201: DisputeOut, **problems(403, 404, 409, 413, 415)},
    )
    @idempotent
    def post(self, request: Request, id: int) -> Response:
        user = signed_in_user(request)
        evaluation = get_object_or_404(access.visible_evaluations(user), pk=id)
        body = DisputeInput(data=request.data)
        body.is_valid(raise_exception=True)
        dispute = services.raise_dispute(evaluation, actor=user, **body.validated_data)
        return Response(dispute_body(dispute), status=status.HTTP_201_CREATED)


class DisputeDecisionView(ApiView):
    required_capabilities: ClassVar[dict[str, Capability]] = {"POST": Capability.QA_REVIEW}

    @extend_schema(
        tags=[TAG],
        summary="Decide a dispute: uphold the score or change it",
        description="A QA reviewer other than the one who scored (403 `own_evaluation`), once "
        "(409 `already_decided`). A changed score recomputes the overall result.",
        parameters=[ID],
        request=DisputeDecisionInput,
        responses={200: DisputeOut, **problems(403, 404, 409, 413, 415)},
    )
    @idempotent
    def post(self, request: Request, id: int) -> Response:
        user = signed_in_user(request)
        visible = Dispute.objects.filter(evaluation__in=access.visible_evaluations(user))
        dispute = get_object_or_404(visible, pk=id)
        body = DisputeDecisionInput(data=request.data)
        body.is_valid(raise_exception=True)
        decided = services.decide_dispute(dispute, actor=user, **body.validated_data)
        return Response(dispute_body(decided))


class ResultsView(ApiView):
    required_capabilities: ClassVar[dict[str, Capability]] = {"GET": Capability.QUALITY_REPORTS}
    query_serializers = {"GET": ResultsFilter}

    @extend_schema(
        tags=[TAG],
        summary="QA results by office, request type, responder or month, with monthly trends",
        parameters=[ResultsFilter],
        responses={200: ResultsOut, **problems(403)},
    )
    def get(self, request: Request) -> Response:
        query = ResultsFilter(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        by = query.validated_data["by"]
        rows, months = reports.dashboard(
            Evaluation.objects.all(),
            by=by,
            since=query.validated_data.get("since", ""),
            until=query.validated_data.get("until", ""),
        )
        return Response(
            ResultsOut(
                {
                    "by": by,
                    "months": months,
                    "rows": [
                        {
                            "key": r.key,
                            "name": r.label,
                            "evaluations": r.evaluations,
                            "passed": r.passed,
                            "needs_improvement": r.needs_improvement,
                            "failed": r.failed,
                            "pass_rate": r.pass_rate,
                            "mean_score": r.mean_score,
                            "trend": r.trend,
                        }
                        for r in rows
                    ],
                }
            ).data
        )
