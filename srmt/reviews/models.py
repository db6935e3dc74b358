"""Mandatory supervisory review of responses (docs/adr/0035): the rules, as data, that hold
a response for review, and the review of each held response with its revisions and
decisions.

Below service_requests (layers): a review points at "service_requests.Response" by a
string foreign key; the flow that moves the request lives in
service_requests/services/reviews.py.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from srmt.core.bilingual import BilingualName
from srmt.reviews.choices import ReviewStatus, RevisionKind, RuleKind, Verdict


class ReviewRuleQuerySet(models.QuerySet["ReviewRule"]):
    def in_force(self, on: dt.date) -> ReviewRuleQuerySet:
        """Rules in force on `on` (from inclusive, until exclusive), in the order they are
        asked: the first that holds a response names its review."""
        return (
            self.filter(effective_from__lte=on)
            .filter(Q(effective_until__isnull=True) | Q(effective_until__gt=on))
            .order_by("priority", "code", "pk")
        )


class ReviewRule(BilingualName, models.Model):
    """A rule that holds responses for supervisory review. Edited in the Django admin
    (audited); a change of policy ends a rule (`effective_until`) and adds another.

    `kind` says which fact of the response the rule looks at; `share` and `seed` are for
    the random kind only (a reproducible share of the responses no other rule holds)."""

    code = models.CharField(_("code"), max_length=48)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=RuleKind.choices)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=100, help_text=_("Rules are asked lowest first.")
    )
    share = models.DecimalField(
        _("share"),
        max_digits=5,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Random rules: the share of responses held, 0 to 1 (0.05 is 5%)."),
    )
    seed = models.CharField(
        _("seed"),
        max_length=32,
        blank=True,
        help_text=_("Random rules: which responses are drawn is reproducible from this seed."),
    )
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)

    objects = ReviewRuleQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "code", "-effective_from"]
        verbose_name = _("review rule")
        verbose_name_plural = _("review rules")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="review_rule_code_from"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RuleKind.values), name="review_rule_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=1), name="review_rule_share_range"
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gt=models.F("effective_from")),
                name="review_rule_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.effective_from})"


class ResponseReview(models.Model):
    """The review of one held response: pending until a supervisor other than its author
    approves it (its message is released then) or returns it to its author, who revises
    and resubmits it (pending again).

    `office` is the office that held the request when the response was submitted (whose
    supervisors decide); `submitted_at` the first submission, `pending_since` the latest.
    The last decision is copied here (`decided_by`, `decided_at`, `comment`); every one is
    a ReviewDecision row, every text a ReviewRevision row."""

    response = models.OneToOneField(
        "service_requests.Response", on_delete=models.CASCADE, related_name="review"
    )
    rule = models.ForeignKey(ReviewRule, on_delete=models.PROTECT, related_name="reviews")
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    submitted_at = models.DateTimeField()
    pending_since = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(max_length=4_000, blank=True)

    class Meta:
        ordering = ["pending_since", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values), name="response_review_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.PENDING) | Q(decided_at__isnull=False),
                name="response_review_decided_at",
            ),
        ]
        indexes = [
            models.Index(
                fields=["office", "pending_since", "id"],
                name="review_pending_idx",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"review of response {self.response_id}: {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status == ReviewStatus.PENDING


class ReviewRevision(models.Model):
    """One text of a held response, kept whole: the author's first, a reviewer's edit, a
    resubmission. Never changed; the newest is what the customer gets on approval."""

    review = models.ForeignKey(ResponseReview, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=RevisionKind.choices)
    body = models.TextField(max_length=10_000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="review_revision_number"),
            models.CheckConstraint(
                condition=Q(kind__in=RevisionKind.values), name="review_revision_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"revision {self.number} of review {self.review_id}"


class ReviewDecision(models.Model):
    """One decision on a submitted revision, with how long that revision waited for it
    (the turnaround of docs/metrics.md). The rule and office are the review's, copied so
    the measures read one table."""

    review = models.ForeignKey(ResponseReview, on_delete=models.CASCADE, related_name="decisions")
    verdict = models.CharField(max_length=24, choices=Verdict.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    pending_since = models.DateTimeField()
    comment = models.TextField(max_length=4_000, blank=True)
    rule = models.ForeignKey(ReviewRule, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values), name="review_decision_verdict_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verdict} on review {self.review_id}"
