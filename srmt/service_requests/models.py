"""Service requests, their responses, notes and status history."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from srmt.core.bilingual import BilingualName
from srmt.core.models import TimeStampedModel
from srmt.core.references import new_reference
from srmt.core.snapshots import snapshot
from srmt.notifications.choices import DeliveryChannel
from srmt.service_requests import deadline_states, reasons
from srmt.service_requests.choices import Channel, ResponseKind, Status, Urgency
from srmt.service_requests.lifecycle import OPEN_STATUSES
from srmt.sla.choices import DeadlineState

if TYPE_CHECKING:
    from srmt.accounts.models import User


class ServiceRequestType(BilingualName, models.Model):
    """An entry of the request-type catalogue, with the rules that go with the type.

    `code` is the stable API code; names are shown in the user's language.
    """

    code = models.CharField(max_length=48, unique=True)
    name_en = models.CharField(max_length=120)
    name_es = models.CharField(max_length=120)
    description_en = models.TextField(blank=True)
    description_es = models.TextField(blank=True)
    requires_receipt_number = models.BooleanField(default=True)
    is_priority = models.BooleanField(default=False)
    is_self_service = models.BooleanField(
        default=False, help_text="Customers may submit it online as an e-Request."
    )
    allows_protected_cases = models.BooleanField(
        default=True,
        help_text="False where the type must not touch 1367 cases (change of "
        "address through self-service tools).",
    )
    restarts_clock_on_transfer = models.BooleanField(
        default=False,
        help_text="A transfer to another office restarts the deadlines from the transfer.",
    )
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.code


def active_request_types() -> dict[str, ServiceRequestType]:
    """Active request types by code, from this process's snapshot (core.snapshots)."""
    return snapshot(
        "request_types",
        lambda: {t.code: t for t in ServiceRequestType.objects.filter(is_active=True)},
    )


class ServiceRequestQuerySet(models.QuerySet["ServiceRequest"]):
    def open(self) -> ServiceRequestQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, *, at: dt.datetime) -> ServiceRequestQuerySet:
        return self.filter(deadline_states.overdue_q(at))

    def in_deadline_state(self, state: str, *, at: dt.datetime) -> ServiceRequestQuerySet:
        return deadline_states.filter_state(self, state, at=at)

    def with_escalation_level(self) -> ServiceRequestQuerySet:
        """Annotate the highest rung reached (0: none), read from the escalation rows by
        the (request, level) unique index: one index probe per row shown."""
        highest = (
            Escalation.objects.filter(service_request=OuterRef("pk"))
            .order_by("-level")
            .values("level")[:1]
        )
        return self.annotate(current_escalation_level=Coalesce(Subquery(highest), Value(0)))

    def escalated(self, *, level_min: int = 1) -> ServiceRequestQuerySet:
        return self.filter(
            models.Exists(
                Escalation.objects.filter(service_request=OuterRef("pk"), level__gte=level_min)
            )
        )

    def for_lists(self) -> ServiceRequestQuerySet:
        return self.select_related(
            "type", "office", "case", "case__form_type", "requester", "assignee", "repeat_of"
        ).with_escalation_level()


class ServiceRequest(TimeStampedModel):
    """A customer's inquiry that could not be resolved on first contact.

    `status` changes only through service_requests.services; lifecycle.ALLOWED lists the
    permitted moves. `version` increases with every write and is the API's ETag.
    """

    # Unique by a constraint (Meta), not `unique=True`, and indexed by a plain index: on
    # PostgreSQL Django adds a second, `varchar_pattern_ops` index to a unique or indexed
    # CharField for LIKE prefix searches, which nothing here makes (references and receipt
    # numbers are matched whole), and which cost a 300 MB and a 230 MB index at 10 million
    # requests (ADR 52, revision 3).
    reference = models.CharField(max_length=16, default=new_reference)
    type = models.ForeignKey(ServiceRequestType, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=32, choices=Channel.choices)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    receipt_number = models.CharField(max_length=13, blank=True)
    requester = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="service_requests"
    )
    description = models.TextField(max_length=10_000)
    urgency = models.CharField(max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.RECEIVED)
    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="service_requests"
    )
    # Why routing chose the office, in English and in Spanish (the rule's explanations,
    # filled when routed; blank Spanish: show the English). ADR 0015; reasons.routing_reason.
    routing_reason = models.CharField(max_length=300, blank=True)
    routing_reason_es = models.CharField(max_length=300, blank=True, default="", db_default="")
    # Routing and transfers (offices.routing, service_requests.transfers, .redirects).
    routing_rule = models.ForeignKey(
        "offices.RoutingRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transfer_count = models.PositiveSmallIntegerField(default=0, db_default=0)
    is_flagged = models.BooleanField(default=False, db_default=False)
    # Why it is flagged: a code and parameters, shown in the reader's language, and the
    # English text (reasons.flag_reason; flags written before codes have only the text).
    flag_reason = models.CharField(max_length=300, blank=True, default="", db_default="")
    flag_reason_code = models.CharField(max_length=32, blank=True, default="", db_default="")
    flag_reason_params = models.JSONField(
        default=dict, blank=True, db_default=Value({}, models.JSONField())
    )
    redirect_topic = models.ForeignKey(
        "offices.RedirectTopic", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_requests",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_response_due_at = models.DateTimeField()
    due_at = models.DateTimeField()
    deadline_policy = models.ForeignKey(
        "sla.DeadlinePolicy", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    # Repeats (service_requests.repeats): the first request of a thread has repeat_of None;
    # every request of the thread carries the thread's repeat_count.
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="repeats"
    )
    repeat_count = models.PositiveIntegerField(default=0, db_default=0)
    version = models.PositiveIntegerField(default=1)
    # Clocks (service_requests.clocks). The deadline state is derived from these dates
    # (service_requests.deadline_states) and the escalation level from Escalation rows:
    # neither is stored here, so time passing never rewrites this wide row (ADR 14).
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0, db_default=0)

    objects = ServiceRequestQuerySet.as_manager()

    # Not columns: set on an instance by the services while they write it.
    # The status before the move being written (core.move), for its audit event.
    status_before_move: str

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="service_request_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="service_request_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=Urgency.values), name="service_request_urgency_valid"
            ),
            models.CheckConstraint(
                condition=Q(receipt_number="") | Q(receipt_number__regex=r"^[A-Z]{3}[0-9]{10}$"),
                name="service_request_receipt_format",
            ),
            models.UniqueConstraint(fields=["reference"], name="service_request_reference_key"),
        ]
        indexes = [
            models.Index(fields=["receipt_number"], name="sr_receipt_number_idx"),
            models.Index(fields=["office", "status", "due_at"], name="sr_queue_idx"),
            models.Index(fields=["status", "due_at"], name="sr_status_due_idx"),
            models.Index(fields=["created_at"], name="sr_created_idx"),
            # The queue: an office's open requests by due date, walked in order (the overdue
            # and at-risk filters are read on the same walk; deadline_states).
            models.Index(
                fields=["office", "due_at", "id"],
                name="sr_open_queue_idx",
                condition=Q(status__in=sorted(OPEN_STATUSES)),
            ),
            # The daily rollups recompute a day's first responses (reporting, ADR 0048).
            models.Index(fields=["first_responded_at"], name="sr_first_responded_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("staff:request-detail", args=[self.reference])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_confidential(self) -> bool:
        """About a case protected by 8 U.S.C. 1367: only cleared staff may see it or be told
        of it (policies; notifications to staff and customers carry the mark)."""
        case = self.case  # no query when there is no case
        return case is not None and case.is_protected

    def deadline_state(self, at: dt.datetime) -> DeadlineState:
        """On track, at risk or overdue at `at` (deadline_states.state_of)."""
        return deadline_states.state_of(self, at)

    def is_overdue(self, at: dt.datetime) -> bool:
        return self.is_open and self.deadline_state(at) == DeadlineState.OVERDUE

    def is_at_risk(self, at: dt.datetime) -> bool:
        return self.is_open and self.deadline_state(at) == DeadlineState.AT_RISK

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        # The annotated level (with_escalation_level) is not a field: drop it with the rest.
        self.__dict__.pop("current_escalation_level", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def escalation_level(self) -> int:
        """Highest rung of the escalation ladder reached (0: none)."""
        annotated = self.__dict__.get("current_escalation_level")
        if annotated is not None:
            return int(annotated)
        return max((e.level for e in self.escalations.all()), default=0)

    @property
    def etag(self) -> str:
        return f'"{self.reference}.{self.version}"'

    @property
    def display_routing_reason(self) -> str:
        """The routing reason in the active language (reasons.routing_reason)."""
        return reasons.routing_reason(self)

    @property
    def display_flag_reason(self) -> str:
        """Why it is flagged, in the active language (reasons.flag_reason)."""
        return reasons.flag_reason(self)


class StatusChange(models.Model):
    """One move in a request's lifecycle: who, when, from, to and why.

    A reason the system wrote has a `reason_code` and `reason_params` and is shown in the
    reader's language (reasons.status_change_reason); `reason` holds its English text. A
    reason a person typed has no code and is shown as typed. ADR 0015.
    """

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=1000, blank=True)
    reason_code = models.CharField(max_length=32, blank=True, default="", db_default="")
    reason_params = models.JSONField(
        default=dict, blank=True, db_default=Value({}, models.JSONField())
    )
    from_office = models.ForeignKey(
        "offices.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_office = models.ForeignKey(
        "offices.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A transfer: whether it restarted the deadlines (its type's flag then; clocks.recompute
    # reads it). Null for other moves, and for transfers recorded before it was kept.
    restarted_clock = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        # The daily rollups recompute a day's moves (reporting, ADR 0048).
        indexes = [models.Index(fields=["created_at"], name="status_change_created_idx")]

    def __str__(self) -> str:
        return f"{self.service_request_id}: {self.from_status or '-'} -> {self.to_status}"

    @property
    def display_reason(self) -> str:
        """The reason in the active language (reasons.status_change_reason)."""
        return reasons.status_change_reason(self)


class Response(TimeStampedModel):
    """An answer sent to the customer. A request carries any number; a final one closes it."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="responses"
    )
    kind = models.CharField(max_length=16, choices=ResponseKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=10_000)
    delivery_channel = models.CharField(max_length=16, choices=DeliveryChannel.choices)
    notification = models.OneToOneField(
        "notifications.Notification",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The template (response_templates) and version the writer started from; blank: none.
    template_code = models.CharField(max_length=64, blank=True)
    template_version = models.PositiveIntegerField(null=True, blank=True)
    # The new-information check (srmt.quality) as the response was sent: 0 nothing new, 1 all
    # new; `form_letter` when the score was below the threshold then in force. None: sent
    # before the check existed.
    new_information = models.FloatField(null=True, blank=True)
    form_letter = models.BooleanField(null=True, blank=True)
    # Why the writer sent it despite the form-letter warning (required then, blank otherwise).
    form_letter_override_reason = models.TextField(max_length=2_000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ResponseKind.values), name="response_kind_valid"
            ),
        ]
        # The daily rollups recompute a day's responses (reporting, ADR 0048).
        indexes = [models.Index(fields=["created_at"], name="response_created_idx")]

    def __str__(self) -> str:
        return f"{self.kind} response to {self.service_request_id}"

    @property
    def delivery_status(self) -> str:
        notification = self.notification  # no query when there is none
        return notification.status if notification is not None else "recorded"


class InternalNote(TimeStampedModel):
    """Staff-only working notes. Never shown or sent to the customer."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=10_000)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note on {self.service_request_id}"


class SubmissionKey(models.Model):
    """An Idempotency-Key seen on a submission: the same key and body give the same request.

    The unique constraint makes concurrent duplicates create exactly one request: the
    second insert waits for the first transaction and then fails, and the caller reads the
    winner's request.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    body_hash = models.CharField(max_length=64)
    service_request = models.ForeignKey(
        ServiceRequest, null=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submission_key_unique"),
        ]

    def __str__(self) -> str:
        return self.key


def user_label(user: User | None) -> str:
    return user.get_username() if user else "system"


# --- evidence attachments (service_requests.attachments) ----------------------------------
def attachment_path(instance: Attachment, filename: str) -> str:
    """A storage name that reveals nothing and cannot be guessed (the original is a field)."""
    return f"attachments/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}"


class Attachment(models.Model):
    """A file of evidence on a service request (e.g. for an expedite): PDF, JPEG or PNG.
    Written and read only through service_requests.attachments."""

    service_request = models.ForeignKey(
        "service_requests.ServiceRequest", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


# Models of this app kept in their own module (expedites).
from srmt.service_requests.expedite_models import (  # noqa: E402
    ExpediteCriterion as ExpediteCriterion,
)
from srmt.service_requests.expedite_models import (  # noqa: E402
    ExpediteRequest as ExpediteRequest,
)
from srmt.service_requests.expedite_models import (  # noqa: E402
    ExpediteStatus as ExpediteStatus,
)

# --- escalation ladder (service_requests.escalations, service_requests.sweep) -------------


class EscalationTarget(models.TextChoices):
    CASE_OFFICE = "case_office", _("The office holding the case")
    HEADQUARTERS = "headquarters", _("The headquarters unit (HQ-SCOPS)")
    FIXED_OFFICE = "fixed_office", _("A fixed office")


class EscalationStep(models.Model):
    """One rung of the escalation ladder, in force from a date.

    Step `order` N is due `days_after_previous` calendar days after step N-1 was due (step 1:
    after the request was received) while the request is still open; time spent awaiting
    the customer does not count.
    """

    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    days_after_previous = models.PositiveSmallIntegerField()
    target = models.CharField(max_length=16, choices=EscalationTarget.choices)
    office = models.ForeignKey(
        "offices.Office",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Only for a fixed office.",
    )
    effective_from = models.DateField()
    effective_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["order", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "effective_from"], name="escalation_step_unique"
            ),
            models.CheckConstraint(
                condition=Q(target__in=EscalationTarget.values), name="escalation_target_valid"
            ),
            models.CheckConstraint(
                condition=Q(order__gte=1) & Q(days_after_previous__gte=1),
                name="escalation_step_positive",
            ),
            models.CheckConstraint(
                condition=Q(target="fixed_office", office__isnull=False)
                | (~Q(target="fixed_office") & Q(office__isnull=True)),
                name="escalation_step_office_iff_fixed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Escalation(models.Model):
    """A request that reached a rung of the ladder. One per request and level."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="escalations"
    )
    step = models.ForeignKey(EscalationStep, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    escalated_at = models.DateTimeField()

    class Meta:
        ordering = ["service_request", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_request", "level"], name="escalation_once_per_level"
            ),
        ]
        # The daily rollups recompute a day's escalations (reporting, ADR 0048).
        indexes = [models.Index(fields=["escalated_at"], name="escalation_at_idx")]

    def __str__(self) -> str:
        return f"{self.service_request_id} escalated to level {self.level}"


class SweepSchedule(models.Model):
    """The one row that chains the periodic sweep task (service_requests.tasks)."""

    name = models.CharField(max_length=32, unique=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} next at {self.next_run_at}"


# Referrals of customers outside the U.S. (service_requests.referrals).
from srmt.service_requests.routing_models import Referral  # noqa: E402, F401
