"""Outcome metrics: the one place they are computed (docs/metrics.md, "Outcome metrics";
docs/adr/0037). The staff page, the API and later public reports all call `outcomes()`.

Every figure is an SQL aggregate over the requests *created* in the period (UTC days,
both ends included), merged duplicates left out, grouped by office, type, channel,
language or month of creation. Each metric is a ratio (numerator / denominator, both
given) or a duration summary (median and 80th percentile, percentile_cont); docs/metrics.md
defines each. For a reader without 8 U.S.C. 1367 clearance, a confidential unit's requests
are counted in its parent office (as on the statistics page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from srmt.cases.choices import Language
from srmt.core.bilingual import in_language
from srmt.core.errors import DomainError
from srmt.outcomes.sql import PercentileCont, Seconds
from srmt.service_requests.choices import Channel, ResponseKind, Status
from srmt.service_requests.lifecycle import OPEN_STATUSES
from srmt.service_requests.models import Response, ServiceRequest, StatusChange
from srmt.surveys.models import Survey

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

UTC = dt.UTC
REPEAT_WINDOWS = (30, 60, 90)
# First-contact resolution: no repeat within this many days of the final response.
FCR_REPEAT_DAYS = 30
SATISFIED = 4  # a rating of 4 or 5 is "satisfied"


# The longest period one table covers (about three years).
MAX_PERIOD_DAYS = 1_100


class InvalidPeriod(DomainError):
    code = "invalid_period"


class GroupBy(StrEnum):
    OFFICE = "office"
    TYPE = "type"
    CHANNEL = "channel"
    LANGUAGE = "language"
    MONTH = "month"


@dataclass(frozen=True)
class Period:
    """UTC days, both included."""

    start: dt.date
    end: dt.date

    @classmethod
    def checked(cls, start: dt.date, end: dt.date) -> Period:
        """The period from `start` to `end`; refused when it ends before it starts or is
        longer than MAX_PERIOD_DAYS."""
        if end < start:
            raise InvalidPeriod(_("The period ends before it starts."), field="to")
        if (end - start).days + 1 > MAX_PERIOD_DAYS:
            raise InvalidPeriod(
                _("Choose a period of at most %(days)s days.") % {"days": MAX_PERIOD_DAYS},
                field="from",
            )
        return cls(start, end)

    @classmethod
    def default(cls, today: dt.date) -> Period:
        """Twelve calendar months: from the first day of the month eleven months ago to
        `today`."""
        month = today.year * 12 + today.month - 1 - 11
        return cls(dt.date(month // 12, month % 12 + 1, 1), today)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime.combine(self.start, dt.time(), tzinfo=UTC)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=UTC)
        return start, end


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class Durations:
    """Seconds: how many, median and 80th percentile (None when there are none)."""

    count: int
    median: float | None
    p80: float | None


@dataclass(frozen=True)
class OutcomeRow:
    key: str
    label_en: str
    label_es: str
    requests: int
    first_contact_resolution: Ratio
    repeats: dict[int, Ratio]  # window in days -> ratio
    reopened: Ratio
    form_letters_overridden: Ratio
    first_response_time: Durations
    final_response_time: Durations
    first_response_on_time: Ratio
    final_response_on_time: Ratio
    surveys_answered: Ratio  # answered / sent: the response rate
    satisfied: Ratio  # ratings of 4 or 5 / answered
    mean_rating: float | None

    def label(self, language: str) -> str:
        return in_language(self.label_en, self.label_es, language)


@dataclass(frozen=True)
class Outcomes:
    group_by: GroupBy
    period: Period
    as_of: dt.datetime
    rows: list[OutcomeRow]
    total: OutcomeRow


def _count_per_request(qs: models.QuerySet[Any]) -> Coalesce:
    """How many rows of `qs` (filtered on service_request=OuterRef('pk')) each request has."""
    counted = qs.order_by().values("service_request").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), Value(0))


def _sum_per_request(qs: models.QuerySet[Any], field: str) -> Coalesce:
    summed = qs.order_by().values("service_request").annotate(n=Sum(field)).values("n")
    return Coalesce(Subquery(summed, output_field=models.IntegerField()), Value(0))


def _repeat_within(days: int) -> models.Case:
    """Another request on the same receipt number and of the same type, made after the first
    final response and at most `days` days after it (merged ones included: the customer
    asked again). A request without a receipt number has none (and the subquery is not run
    for it: many requests share the blank receipt number)."""
    later = ServiceRequest.objects.filter(
        receipt_number=OuterRef("receipt_number"),
        type_id=OuterRef("type_id"),
        created_at__gt=OuterRef("closed_first_at"),
        created_at__lte=OuterRef("closed_first_at") + Value(dt.timedelta(days=days)),
    ).exclude(pk=OuterRef("pk"))
    return models.Case(
        models.When(Q(receipt_number="") | Q(closed_first_at__isnull=True), then=Value(False)),
        default=Exists(later),
        output_field=models.BooleanField(),
    )


def cohort(period: Period) -> models.QuerySet[ServiceRequest]:
    """The requests of the period, each with the time of its first closure."""
    start, end = period.bounds()
    closures = StatusChange.objects.filter(
        service_request=OuterRef("pk"), to_status=Status.CLOSED
    ).order_by("created_at", "id")
    return (
        ServiceRequest.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(status=Status.MERGED)
        .annotate(closed_first_at=Subquery(closures.values("created_at")[:1]))
    )


def annotated_requests(period: Period) -> models.QuerySet[ServiceRequest]:
    """The requests of the period, each with the facts the metrics count."""
    mine = {"service_request": OuterRef("pk")}
    responses = Response.objects.filter(**mine)
    surveys = Survey.objects.filter(**mine)
    return cohort(period).annotate(
        reopened=Exists(StatusChange.objects.filter(**mine, to_status=Status.REOPENED)),
        other_responses=Exists(responses.exclude(kind=ResponseKind.FINAL)),
        form_letters=_count_per_request(responses.filter(form_letter=True)),
        overridden=_count_per_request(
            responses.filter(form_letter=True).exclude(form_letter_override_reason="")
        ),
        surveys_sent=_count_per_request(surveys),
        surveys_answered=_count_per_request(surveys.filter(answered_at__isnull=False)),
        surveys_satisfied=_count_per_request(surveys.filter(rating__gte=SATISFIED)),
        rating_total=_sum_per_request(surveys.filter(answered_at__isnull=False), "rating"),
        **{f"repeat_{days}": _repeat_within(days) for days in REPEAT_WINDOWS},
    )


PERCENTILES = ("first_median", "first_p80", "final_median", "final_p80")


def _aggregates(as_of: dt.datetime) -> dict[str, Any]:
    closed = Q(closed_first_at__isnull=False)
    open_now = Q(status__in=sorted(OPEN_STATUSES))
    aggregates: dict[str, Any] = {
        "requests": Count("pk"),
        "closed": Count("pk", filter=closed),
        "fcr": Count(
            "pk",
            filter=closed
            & Q(reopened=False, other_responses=False, **{f"repeat_{FCR_REPEAT_DAYS}": False}),
        ),
        "reopened_n": Count("pk", filter=closed & Q(reopened=True)),
        "form_letters_n": Sum("form_letters"),
        "overridden_n": Sum("overridden"),
        "first_n": Count("pk", filter=Q(first_responded_at__isnull=False)),
        "first_median": PercentileCont(Seconds(F("first_responded_at"), F("created_at")), 0.5),
        "first_p80": PercentileCont(Seconds(F("first_responded_at"), F("created_at")), 0.8),
        "final_median": PercentileCont(Seconds(F("closed_first_at"), F("created_at")), 0.5),
        "final_p80": PercentileCont(Seconds(F("closed_first_at"), F("created_at")), 0.8),
        "first_on_time": Count("pk", filter=Q(first_responded_at__lte=F("first_response_due_at"))),
        "first_due": Count(
            "pk",
            filter=Q(first_responded_at__isnull=False)
            | (Q(first_responded_at__isnull=True, first_response_due_at__lt=as_of) & open_now),
        ),
        "final_on_time": Count("pk", filter=closed & Q(closed_first_at__lte=F("due_at"))),
        "final_due": Count("pk", filter=closed | (Q(due_at__lt=as_of) & open_now)),
        "surveys_sent_n": Sum("surveys_sent"),
        "surveys_answered_n": Sum("surveys_answered"),
        "surveys_satisfied_n": Sum("surveys_satisfied"),
        "rating_total_n": Sum("rating_total"),
    }
    for days in REPEAT_WINDOWS:
        eligible = (
            closed & ~Q(receipt_number="") & Q(closed_first_at__lte=as_of - dt.timedelta(days=days))
        )
        aggregates[f"repeat_{days}_due"] = Count("pk", filter=eligible)
        aggregates[f"repeat_{days}_n"] = Count(
            "pk", filter=eligible & Q(**{f"repeat_{days}": True})
        )
    return aggregates


def _group_columns(group_by: GroupBy, *, fold_confidential: bool) -> dict[str, Any]:
    """The columns a row is keyed and labelled by."""
    if group_by == GroupBy.OFFICE:
        if not fold_confidential:
            return {"g_key": F("office__code"), "g_en": F("office__name")}
        folded = Q(office__is_confidential=True, office__parent__isnull=False)
        return {
            f"g_{name}": models.Case(
                models.When(folded, then=F(f"office__parent__{field}")),
                default=F(f"office__{field}"),
            )
            for name, field in (("key", "code"), ("en", "name"))
        }
    if group_by == GroupBy.TYPE:
        return {"g_key": F("type__code"), "g_en": F("type__name_en"), "g_es": F("type__name_es")}
    if group_by == GroupBy.CHANNEL:
        return {"g_key": F("channel")}
    if group_by == GroupBy.LANGUAGE:
        return {"g_key": F("requester__language")}
    return {"g_key": TruncMonth("created_at", tzinfo=UTC)}


def _labels(group_by: GroupBy, row: Mapping[str, Any]) -> tuple[str, str, str]:
    value = row["g_key"]
    if group_by == GroupBy.MONTH:
        key = value.strftime("%Y-%m") if value is not None else ""
        return key, key, key
    if group_by in (GroupBy.CHANNEL, GroupBy.LANGUAGE):
        choices = Channel if group_by == GroupBy.CHANNEL else Language
        if value not in choices.values:
            return str(value), str(value), ""
        return str(value), *_in_both(choices(value).label)
    return str(value), str(row.get("g_en") or value), str(row.get("g_es") or "")


def _in_both(label: StrOrPromise) -> tuple[str, str]:
    """A translatable label in English and in Spanish."""
    with translation.override("en"):
        english = str(label)
    with translation.override("es"):
        return english, str(label)


def _row(key: str, label_en: str, label_es: str, a: Mapping[str, Any]) -> OutcomeRow:
    def n(name: str) -> int:
        return int(a.get(name) or 0)

    answered = n("surveys_answered_n")
    return OutcomeRow(
        key=key,
        label_en=label_en,
        label_es=label_es,
        requests=n("requests"),
        first_contact_resolution=Ratio(n("fcr"), n("closed")),
        repeats={d: Ratio(n(f"repeat_{d}_n"), n(f"repeat_{d}_due")) for d in REPEAT_WINDOWS},
        reopened=Ratio(n("reopened_n"), n("closed")),
        form_letters_overridden=Ratio(n("overridden_n"), n("form_letters_n")),
        first_response_time=Durations(n("first_n"), a.get("first_median"), a.get("first_p80")),
        final_response_time=Durations(n("closed"), a.get("final_median"), a.get("final_p80")),
        first_response_on_time=Ratio(n("first_on_time"), n("first_due")),
        final_response_on_time=Ratio(n("final_on_time"), n("final_due")),
        surveys_answered=Ratio(answered, n("surveys_sent_n")),
        satisfied=Ratio(n("surveys_satisfied_n"), answered),
        mean_rating=n("rating_total_n") / answered if answered else None,
    )


def outcomes(
    *,
    period: Period,
    group_by: GroupBy,
    as_of: dt.datetime,
    fold_confidential: bool,
) -> Outcomes:
    """Every outcome metric for the requests created in `period`, one row per group and a
    total. `as_of` decides which deadlines have passed and which repeat windows are over.
    Two queries, whatever the number of requests: the groups, and the total's percentiles."""
    with transaction.atomic():
        _prepare_connection()
        return _outcomes(period=period, group_by=group_by, as_of=as_of, fold=fold_confidential)


def _prepare_connection() -> None:
    """On PostgreSQL, no JIT compilation in this transaction: the planner asks for it on
    large tables, and compiling these wide aggregates costs more than it saves."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def _outcomes(*, period: Period, group_by: GroupBy, as_of: dt.datetime, fold: bool) -> Outcomes:
    base = annotated_requests(period)
    aggregates = _aggregates(as_of)
    columns = _group_columns(group_by, fold_confidential=fold)
    grouped = list(
        base.annotate(**columns).values(*columns).annotate(**aggregates).order_by("g_key")
    )
    rows = [_row(*_labels(group_by, r), r) for r in grouped]
    # The groups share the cohort out: the total's counts are their sums. Percentiles are
    # not additive: they are aggregated again, over the cohort with only what they read.
    totals: dict[str, Any] = {
        name: sum(int(r[name] or 0) for r in grouped)
        for name in aggregates
        if name not in PERCENTILES
    }
    totals |= cohort(period).aggregate(**{name: aggregates[name] for name in PERCENTILES})
    total = _row("total", *_in_both(gettext_lazy("All requests")), totals)
    return Outcomes(group_by=group_by, period=period, as_of=as_of, rows=rows, total=total)
