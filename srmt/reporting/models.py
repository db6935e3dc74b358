"""The daily rollups every report, download and dashboard reads (issue 12, ADR 0048).

A `DailyRollup` row holds what happened on one UTC day in one cell: office × form × request
type × channel × language. Every measure is an additive count of events of that day, so any
coarser figure (a week, a month, a national total, a filter) is a SUM over rows, and the
requests open at the end of a day are the running sum of `open_delta`. Each event counts at
the office that held the request when it happened, so a later transfer never rewrites a
published day. `DurationBucket` rows hold the histograms (whole days) behind the medians,
80th percentiles and shares within target; they are additive too.

`RollupState` is the single row the incremental refresh keeps its watermarks in; it is also
the lock two refreshes serialize on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class DailyRollup(models.Model):
    """What happened on one UTC day in one cell (see the module's docstring and ADR 0048)."""

    day = models.DateField()
    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The case's form type code (e.g. "I-485"); "" for a request with no case.
    form = models.CharField(max_length=16, blank=True)
    type = models.ForeignKey(
        "service_requests.ServiceRequestType",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    channel = models.CharField(max_length=32)
    language = models.CharField(max_length=8)

    # Flows of the day (events whose time falls on the day, at the office holding the request).
    opened = models.PositiveIntegerField(default=0)  # requests created (duplicates included)
    repeats = models.PositiveIntegerField(default=0)  # of which repeat requests (repeat_of set)
    reopened = models.PositiveIntegerField(default=0)  # moves to "reopened"
    closed = models.PositiveIntegerField(default=0)  # moves to "closed"
    redirected = models.PositiveIntegerField(default=0)  # moves to "redirected"
    withdrawn = models.PositiveIntegerField(default=0)  # moves to "withdrawn"
    merged = models.PositiveIntegerField(default=0)  # moves to "merged"
    transferred_in = models.PositiveIntegerField(default=0)
    transferred_out = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)  # escalation steps reached
    # The change in open requests over the day: + opened, reopened, transferred in;
    # - moves from an open to a closed status, transferred out. May be negative.
    open_delta = models.IntegerField(default=0)

    responses_initial = models.PositiveIntegerField(default=0)
    responses_follow_up = models.PositiveIntegerField(default=0)
    responses_final = models.PositiveIntegerField(default=0)

    # Timeliness, counted on the day of the first response / of the closure.
    first_responses = models.PositiveIntegerField(default=0)
    first_on_time = models.PositiveIntegerField(default=0)  # by the request's first-response due
    final_responses = models.PositiveIntegerField(default=0)  # closures with their time
    final_on_time = models.PositiveIntegerField(default=0)  # by the request's due date

    # Quality and satisfaction, counted on the day of the evaluation / of the answer.
    qa_evaluated = models.PositiveIntegerField(default=0)
    qa_passed = models.PositiveIntegerField(default=0)
    surveys_sent = models.PositiveIntegerField(default=0)
    surveys_answered = models.PositiveIntegerField(default=0)
    surveys_satisfied = models.PositiveIntegerField(default=0)  # ratings of 4 or 5
    rating_total = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "office", "form", "type", "channel", "language"],
                name="rollup_cell_unique",
            ),
        ]
        # No index of its own on `office` or `type` (db_index=False): these two lead with
        # them. Fewer indexes to build in a full rebuild (ADR 0048, revision 4).
        indexes = [
            models.Index(fields=["office", "day"], name="rollup_office_day"),
            models.Index(fields=["type", "day"], name="rollup_type_day"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.day} {self.office_id} {self.form} {self.type_id} {self.channel} {self.language}"
        )


class Measure(models.TextChoices):
    FIRST_RESPONSE = "first", "Time to first response"
    FINAL_RESPONSE = "final", "Time to final response"


class DurationBucket(models.Model):
    """How many requests of one cell and day took `days` whole days (created to first
    response, or created to closure); the last bucket, MAX_DAYS, holds every longer one."""

    MAX_DAYS = 366

    day = models.DateField()
    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    form = models.CharField(max_length=16, blank=True)
    type = models.ForeignKey(
        "service_requests.ServiceRequestType",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    channel = models.CharField(max_length=32)
    language = models.CharField(max_length=8)
    measure = models.CharField(max_length=8, choices=Measure.choices)
    days = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "office", "form", "type", "channel", "language", "measure", "days"],
                name="duration_bucket_unique",
            ),
            models.CheckConstraint(condition=Q(days__lte=366), name="duration_bucket_days_max"),
        ]
        # No index but the unique one (day first): no query reads the buckets by office,
        # type or measure (the public cube reads them all, by week; a range of days, the
        # refresh's and `read.histogram`, is read by the unique index). Deleting an office or
        # a type, which PROTECT refuses while rows name it, scans the table. Every index
        # here is built again by each full build (ADR 0048, revisions 4 and 8).

    def __str__(self) -> str:
        return f"{self.day} {self.measure} {self.days}d x{self.count}"


class RollupState(models.Model):
    """One row (name "daily"): the high-water marks of the last refresh and when it ran."""

    name = models.CharField(max_length=16, unique=True)
    # Watermarks: the largest id of each event table already rolled up, and the last
    # survey answer time read (survey rows are updated when answered).
    watermarks = models.JSONField(default=dict, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    # The last complete week published on the public site ends the day before this.
    published_through = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.refreshed_at}"


class SeriesLevel(models.TextChoices):
    NATIONAL = "national", "National"
    CHANNEL = "channel", "Channel"
    OFFICE_TYPE = "office_type", "Office × type"
    FORM_TYPE = "form_type", "Form × type"
    OFFICE_FORM_TYPE = "office_form_type", "Office × form × type"


class Detection(models.Model):
    """A spike, drop or level shift the daily detector found in a series of opened requests
    (ADR 0046). A series is a level and the values of its dimensions (blank or null where the
    level does not split by them); `series` is its stable name, such as
    "office=NSC|type=expedite_request"."""

    series = models.CharField(max_length=200)
    level = models.CharField(max_length=24, choices=SeriesLevel.choices)
    office = models.ForeignKey(
        "offices.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    form = models.CharField(max_length=16, blank=True)
    type = models.ForeignKey(
        "service_requests.ServiceRequestType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(max_length=32, blank=True)
    kind = models.CharField(max_length=16)  # spike | drop | level_shift
    direction = models.CharField(max_length=4)  # up | down
    start = models.DateField()
    end = models.DateField()
    expected = models.FloatField()
    observed = models.PositiveIntegerField()
    p_value = models.FloatField()
    # What stands out inside the excess: [{"dimension", "value", "observed", "expected"}, ...]
    contributors = models.JSONField(default=list, blank=True)
    explanation_en = models.TextField()
    explanation_es = models.TextField()
    detected_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["series", "start", "direction"], name="detection_unique"
            ),
        ]
        indexes = [models.Index(fields=["start"], name="detection_start")]

    def __str__(self) -> str:
        return f"{self.series} {self.kind} {self.direction} {self.start}..{self.end}"


class DigestSent(models.Model):
    """One daily digest of detections sent to one member of staff about one office
    (ADR 0051): the row that keeps the digest from leaving twice the same day."""

    day = models.DateField()
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    detections = models.PositiveIntegerField()  # how many it named
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "office", "recipient"], name="digest_sent_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.office_id} -> {self.recipient_id}"


class DashboardSnapshot(models.Model):
    """One refresh of the open stock the managers' dashboards show (ADR 0051, Revision of
    2026-12-04): taken with the rollups every SRMT_ROLLUP_SECONDS, and shown with its time.
    Its cells are exact counts at `taken_at`; the queues they link to stay live."""

    taken_at = models.DateTimeField()
    trend_first = models.DateField()  # the Monday of the first of the trend's weeks

    def __str__(self) -> str:
        return f"dashboard snapshot {self.taken_at.isoformat()}"


class OpenStockCell(models.Model):
    """Open requests at `taken_at` per office x type x age bucket x deadline state x
    assigned or not."""

    snapshot = models.ForeignKey(DashboardSnapshot, on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    type = models.ForeignKey(
        "service_requests.ServiceRequestType", on_delete=models.CASCADE, related_name="+"
    )
    # A key of dashboards.AGE_BUCKETS; blank: created after `taken_at` (in no bucket).
    age = models.CharField(max_length=8, blank=True)
    state = models.CharField(max_length=16)  # sla.choices.DeadlineState
    assigned = models.BooleanField()
    requests = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["snapshot", "office"], name="stock_cell_snapshot")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.type_id} {self.age} {self.state}: {self.requests}"


class EscalationCell(models.Model):
    """Open requests at `taken_at` of an office that reached an escalation level."""

    snapshot = models.ForeignKey(DashboardSnapshot, on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()
    requests = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["snapshot", "office"], name="escalation_cell_snapshot")]

    def __str__(self) -> str:
        return f"{self.office_id} level {self.level}: {self.requests}"


class WorkloadCell(models.Model):
    """Open requests at `taken_at` of an office assigned to one member of staff."""

    snapshot = models.ForeignKey(DashboardSnapshot, on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requests = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["snapshot", "office"], name="workload_cell_snapshot")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.assignee_id}: {self.requests}"


class TrendCell(models.Model):
    """Requests opened and closed at an office in one week (Monday), from the rollups."""

    snapshot = models.ForeignKey(DashboardSnapshot, on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    opened = models.PositiveIntegerField()
    closed = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["snapshot", "office"], name="trend_cell_snapshot")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.week}: +{self.opened} -{self.closed}"
