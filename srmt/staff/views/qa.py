"""National QA review pages (/staff/qa/, docs/adr/0036): samples and their frames, scoring,
calibration, my QA results with disputes, and the dashboards with their CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.qa import access, agreement, reports, services
from srmt.qa.models import Dispute, Evaluation, Result
from srmt.service_requests.models import ServiceRequest
from srmt.staff.export import safe_cell
from srmt.staff.qa_forms import (
    AssignForm,
    DashboardForm,
    DecisionForm,
    DisputeForm,
    DrawSampleForm,
    ScoreForm,
)
from srmt.staff.submissions import one_time_submission
from srmt.staff.views.common import call_service, refuse, staff_user


def _record_listed(user: User, requests: Iterable[ServiceRequest]) -> None:
    """The requests a QA page names, in the audit log as every list of requests is."""
    shown = list(requests)
    audit.record_views(
        actor=user,
        object_type="service_request",
        object_ids=[sr.reference for sr in shown],
        confidential_ids=[sr.reference for sr in shown if sr.is_confidential],
    )


def _require_reviewer(user: User) -> None:
    if not access.is_reviewer(user):
        raise refuse()


def _evaluations(qs: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    return qs.select_related(
        "assignment__reviewer",
        "assignment__item__service_request__case",
        "assignment__item__office",
        "assignment__item__type",
        "assignment__item__responder",
        "scorecard",
    )


@login_required
@require_http_methods(["GET", "POST"])
@one_time_submission
def index(request: HttpRequest) -> HttpResponse:
    """Samples, the draw form, my assignments and the disputes I may decide."""
    user = staff_user(request)
    _require_reviewer(user)
    form = DrawSampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sample = call_service(
            form,
            services.draw_sample,
            week=form.cleaned_data["week"],
            seed=form.cleaned_data["seed"],
            actor=user,
        )
        if sample is not None:
            messages.success(request, _("The sample was drawn."))
            return redirect("staff:qa-sample", sample_id=sample.pk)
    waiting = (
        access.my_assignments(user)
        .filter(evaluation__isnull=True, item__in=access.visible_items(user))
        .select_related("item__service_request__case", "item__office", "item__type", "item__sample")
        .order_by("item__sample__week", "id")
    )
    disputes = access.open_disputes_for(user).select_related(
        "evaluation__assignment__item__service_request", "score__criterion"
    )
    pending = list(waiting)
    _record_listed(user, [a.item.service_request for a in pending])
    context = {
        "form": form,
        "samples": access.visible_samples(user).select_related("created_by")[:52],
        "pending": pending,
        "disputes": disputes,
    }
    return render(request, "staff/qa/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@one_time_submission
def sample_detail(request: HttpRequest, sample_id: int) -> HttpResponse:
    """A sample's frame, its requests and reviewers, calibration agreement; add a reviewer."""
    user = staff_user(request)
    _require_reviewer(user)
    sample = get_object_or_404(access.visible_samples(user), pk=sample_id)
    items = list(
        access.visible_items(user)
        .filter(sample=sample)
        .select_related("service_request__case", "office", "type", "responder")
        .prefetch_related("assignments__reviewer", "assignments__evaluation")
        .order_by("office__code", "type__code", "id")
    )
    reviewers = [(r.pk, r.get_username()) for r in access.reviewer_pool()]
    form = AssignForm(
        request.POST or None,
        items=[(i.pk, f"{i.service_request.reference} ({i.office.code})") for i in items],
        reviewers=reviewers,
    )
    if request.method == "POST" and form.is_valid():
        item = next(i for i in items if i.pk == form.cleaned_data["item"])
        reviewer = User.objects.get(pk=form.cleaned_data["reviewer"])
        if call_service(form, services.assign, item, reviewer=reviewer, actor=user) is not None:
            messages.success(request, _("The reviewer was added."))
            return redirect("staff:qa-sample", sample_id=sample.pk)
    _record_listed(user, [i.service_request for i in items])
    context = {
        "sample": sample,
        "items": items,
        "form": form,
        "agreement": agreement.calibration(sample),
        "drawn": sum(len(s["drawn"]) for s in sample.frame),
    }
    return render(request, "staff/qa/sample.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@one_time_submission
def score(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The scorecard for one of my assignments, with the response it is about."""
    user = staff_user(request)
    _require_reviewer(user)
    assignment = get_object_or_404(
        access.my_assignments(user)
        .filter(item__in=access.visible_items(user))
        .select_related("item__service_request", "item__response", "item__responder"),
        pk=assignment_id,
    )
    if Evaluation.objects.filter(assignment=assignment).exists():
        return redirect("staff:qa-evaluation", evaluation_id=assignment.evaluation.pk)
    scorecard = services.current_scorecard()
    form = ScoreForm(request.POST or None, criteria=services.criteria_of(scorecard))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scores = {
            c.code: services.ScoreInput(data[f"score_{c.code}"], data[f"comment_{c.code}"])
            for c in form.criteria
        }
        evaluation = call_service(
            form,
            services.submit_evaluation,
            assignment,
            actor=user,
            scores=scores,
            comment=data["comment"],
        )
        if evaluation is not None:
            messages.success(request, _("Your scores were saved."))
            return redirect("staff:qa-evaluation", evaluation_id=evaluation.pk)
    context = {"assignment": assignment, "scorecard": scorecard, "form": form}
    return render(request, "staff/qa/score.html", context)


@login_required
@require_GET
def my_results(request: HttpRequest) -> HttpResponse:
    """My QA results as a responder; a supervisor's also those of their offices' responders."""
    user = staff_user(request)
    visible = _evaluations(access.visible_evaluations(user))
    own = visible.filter(assignment__item__responder=user).order_by("-submitted_at")
    others = (
        visible.exclude(assignment__item__responder=user).order_by("-submitted_at")[:200]
        if user.role == "supervisor"
        else []
    )
    mine, team = list(own), list(others)
    _record_listed(user, [e.assignment.item.service_request for e in [*mine, *team]])
    context = {"mine": mine, "team": team, "is_supervisor": user.role == "supervisor"}
    return render(request, "staff/qa/mine.html", context)


@login_required
@require_GET
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    user = staff_user(request)
    evaluation = get_object_or_404(_evaluations(access.visible_evaluations(user)), pk=evaluation_id)
    return _evaluation_page(request, user, evaluation)


def _evaluation_page(
    request: HttpRequest,
    user: User,
    evaluation: Evaluation,
    *,
    dispute_form: DisputeForm | None = None,
    decision_form: DecisionForm | None = None,
) -> HttpResponse:
    criteria = services.criteria_of(evaluation.scorecard)
    dispute = (
        Dispute.objects.filter(evaluation=evaluation)
        .select_related("score__criterion", "decided_by", "raised_by")
        .first()
    )
    item = evaluation.assignment.item
    may_dispute = dispute is None and item.responder_id == user.pk
    may_decide = (
        dispute is not None and access.open_disputes_for(user).filter(pk=dispute.pk).exists()
    )
    if may_dispute and dispute_form is None:
        dispute_form = DisputeForm(criteria=criteria)
    if may_decide and decision_form is None and dispute is not None:
        decision_form = DecisionForm(
            criterion=dispute.score.criterion, original=dispute.original_value
        )
    context = {
        "evaluation": evaluation,
        "item": item,
        "scores": evaluation.scores.select_related("criterion").order_by("criterion__order"),
        "dispute": dispute,
        "dispute_form": dispute_form if may_dispute else None,
        "decision_form": decision_form if may_decide else None,
        "results": Result,
    }
    return render(request, "staff/qa/evaluation.html", context)


@login_required
@require_POST
@one_time_submission
def dispute(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    user = staff_user(request)
    evaluation = get_object_or_404(_evaluations(access.visible_evaluations(user)), pk=evaluation_id)
    form = DisputeForm(request.POST, criteria=services.criteria_of(evaluation.scorecard))
    if form.is_valid():
        done = call_service(
            form,
            services.raise_dispute,
            evaluation,
            actor=user,
            criterion=form.cleaned_data["criterion"],
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(request, _("Your dispute was sent. Another reviewer will decide it."))
            return redirect("staff:qa-evaluation", evaluation_id=evaluation.pk)
    return _evaluation_page(request, user, evaluation, dispute_form=form)


@login_required
@require_POST
@one_time_submission
def decide(request: HttpRequest, dispute_id: int) -> HttpResponse:
    user = staff_user(request)
    visible = Dispute.objects.filter(evaluation__in=access.visible_evaluations(user))
    found = get_object_or_404(
        visible.select_related("score__criterion", "evaluation"), pk=dispute_id
    )
    _require_reviewer(user)
    form = DecisionForm(
        request.POST, criterion=found.score.criterion, original=found.original_value
    )
    if form.is_valid():
        done = call_service(
            form,
            services.decide_dispute,
            found,
            actor=user,
            value=form.cleaned_data["value"],
            comment=form.cleaned_data["comment"],
        )
        if done is not None:
            messages.success(request, _("The dispute was decided."))
            return redirect("staff:qa-evaluation", evaluation_id=found.evaluation_id)
    evaluation = _evaluations(Evaluation.objects.all()).get(pk=found.evaluation_id)
    return _evaluation_page(request, user, evaluation, decision_form=form)


def _dashboard_data(
    request: HttpRequest,
) -> tuple[DashboardForm, reports.Dimension, list[reports.Row], list[str]]:
    user = staff_user(request)
    if not access.sees_reports(user):
        raise refuse()
    form = DashboardForm(request.GET or None)
    by = cast(reports.Dimension, form.dimension())
    since, until = form.month_range()
    rows, months = reports.dashboard(Evaluation.objects.all(), by=by, since=since, until=until)
    return form, by, rows, months


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form, by, rows, months = _dashboard_data(request)
    context = {"form": form, "by": by, "rows": rows, "months": months}
    return render(request, "staff/qa/dashboard.html", context)


@login_required
@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    _form, by, rows, months = _dashboard_data(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in reports.csv_rows(rows, months, by=by):
        writer.writerow([safe_cell(cell) for cell in line])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="srmt-qa-{by}-{stamp}.csv"'
    return response
