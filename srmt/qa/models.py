"""National QA review (docs/adr/0036-national-qa-review.md): weekly stratified samples of
closed requests, their reviewers, versioned scorecards, evaluations, calibration and disputes.

Every write goes through srmt.qa.services and is audited. A sample keeps its sampling frame
(the population of every stratum, by request id, with the rate, minimum and seed), so that
anyone can check it and draw it again identically (qa.sampling.select)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class SamplingPolicy(models.Model):
    """The sampling rate and minimum for one office (admin-editable). An office without a
    row uses the national defaults (qa.sampling.DEFAULT_RATE, DEFAULT_MINIMUM)."""

    office = models.OneToOneField(
        "offices.Office", on_delete=models.CASCADE, related_name="+", verbose_name=_("office")
    )
    rate = models.DecimalField(
        _("rate"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Share of each stratum's closed requests drawn (0 to 1)."),
    )
    minimum = models.PositiveSmallIntegerField(
        _("minimum"), help_text=_("Fewest requests drawn from a stratum that has any.")
    )

    class Meta:
        verbose_name = _("QA sampling policy")
        verbose_name_plural = _("QA sampling policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=1), name="qa_sampling_rate_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id}: {self.rate} / {self.minimum}"


class Sample(models.Model):
    """One draw for one ISO week and seed, with its frame: `frame` is a list of strata
    `{"office", "type", "population": [request ids], "rate", "minimum", "drawn": [ids]}`."""

    week = models.CharField(_("ISO week"), max_length=8)
    seed = models.PositiveIntegerField(_("seed"))
    frame = models.JSONField(_("sampling frame"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drawn by"),
    )
    created_at = models.DateTimeField(_("drawn at"))

    class Meta:
        verbose_name = _("QA sample")
        ordering = ["-week", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["week", "seed"], name="qa_sample_week_seed_unique")
        ]

    def __str__(self) -> str:
        return f"{self.week} (seed {self.seed})"

    @property
    def population(self) -> int:
        return sum(len(stratum["population"]) for stratum in self.frame)


class SampleItem(models.Model):
    """A request drawn into a sample, in its stratum (office and type when it closed), with
    the final response whose author (the responder) gets the feedback."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="items")
    service_request = models.ForeignKey(
        "service_requests.ServiceRequest", on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    type = models.ForeignKey(
        "service_requests.ServiceRequestType", on_delete=models.PROTECT, related_name="+"
    )
    response = models.ForeignKey(
        "service_requests.Response",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The request's final response (None: closed without one).",
    )
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "service_request"], name="qa_item_once_per_sample"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sample_id}/{self.service_request_id}"


class Assignment(models.Model):
    """A reviewer asked to score an item. An item has one regular reviewer; a calibration
    set adds more (`is_calibration`). Never a reviewer of the item's office."""

    item = models.ForeignKey(SampleItem, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_calibration = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "reviewer"], name="qa_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.reviewer_id}"


class Scorecard(models.Model):
    """A version of the scorecard. Its criteria never change once used: a change is a new
    version, and every evaluation keeps the version it was scored on."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("effective from"))
    pass_threshold = models.DecimalField(max_digits=3, decimal_places=2, default=0.8)
    improvement_threshold = models.DecimalField(max_digits=3, decimal_places=2, default=0.6)

    class Meta:
        verbose_name = _("QA scorecard")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"


class Criterion(models.Model):
    """One line of a scorecard: a definition and a scale. `levels` lists the scale from
    lowest to highest as `{"value": int, "en": str, "es": str}`. A critical criterion
    scored at its lowest level fails the evaluation whatever the rest."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="criteria")
    code = models.SlugField(max_length=32)
    order = models.PositiveSmallIntegerField()
    label_en = models.CharField(max_length=80)
    label_es = models.CharField(max_length=80)
    definition_en = models.TextField()
    definition_es = models.TextField()
    levels = models.JSONField()
    is_critical = models.BooleanField(default=False)

    class Meta:
        ordering = ["scorecard", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "code"], name="qa_criterion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scorecard_id}:{self.code}"

    @property
    def label(self) -> str:
        return self.label_es if get_language() == "es" else self.label_en

    @property
    def definition(self) -> str:
        return self.definition_es if get_language() == "es" else self.definition_en

    @property
    def values(self) -> list[int]:
        return [int(level["value"]) for level in self.levels]

    def level_label(self, value: int) -> str:
        key = "es" if get_language() == "es" else "en"
        for level in self.levels:
            if level["value"] == value:
                return str(level[key])
        return str(value)


class Result(models.TextChoices):
    PASS = "pass", _("Pass")
    NEEDS_IMPROVEMENT = "needs_improvement", _("Needs improvement")
    FAIL = "fail", _("Fail")


class Evaluation(models.Model):
    """A reviewer's scores for one assignment, on one scorecard version, with the overall
    result computed by qa.scoring.overall (recomputed when a dispute changes a score)."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="evaluation"
    )
    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(max_length=5_000, blank=True)
    result = models.CharField(max_length=24, choices=Result.choices)
    score_share = models.FloatField(help_text="Points earned over points possible (0..1).")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(result__in=Result.values), name="qa_result_valid")
        ]

    def __str__(self) -> str:
        return f"evaluation {self.pk}"


class Score(models.Model):
    """One criterion's value in an evaluation, on the criterion's scale, with a comment. A
    dispute decided "changed" rewrites the value (the dispute keeps the original)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField()
    comment = models.TextField(max_length=2_000, blank=True)

    class Meta:
        ordering = ["criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="qa_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}={self.value}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Score upheld")
    CHANGED = "changed", _("Score changed")


class Dispute(models.Model):
    """The responder's one dispute of an evaluation, about one score, decided by a QA
    reviewer other than the one who scored it."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="dispute")
    score = models.ForeignKey(Score, on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(max_length=5_000)
    raised_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    original_value = models.SmallIntegerField()
    decided_value = models.SmallIntegerField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(max_length=5_000, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DisputeStatus.values), name="qa_dispute_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"dispute {self.pk}"
