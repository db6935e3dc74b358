"""/api/v1/metrics/outcomes: the outcome metrics (srmt.outcomes.metrics; ADR 0037)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.api.inputs import CodedChoiceField, QueryInput
from srmt.api.schema import problems
from srmt.api.serializers import UtcDateTimeField
from srmt.api.views.base import ApiView
from srmt.outcomes import metrics
from srmt.outcomes.metrics import REPEAT_WINDOWS, Durations, GroupBy, OutcomeRow, Ratio

TAG = "metrics"


class CodedDateField(serializers.DateField):
    """A date (YYYY-MM-DD) refused with code `invalid_date`."""

    def fail(self, key: str, **kwargs: Any) -> NoReturn:
        if key not in {"invalid", "datetime"}:
            super().fail(key, **kwargs)
        raise serializers.ValidationError(
            self.error_messages[key].format(**kwargs), code="invalid_date"
        )


class OutcomeFilter(QueryInput):
    group_by = CodedChoiceField(
        choices=[g.value for g in GroupBy],
        invalid_code="invalid_group_by",
        required=False,
        default=GroupBy.OFFICE.value,
        help_text="office (a confidential unit counted in its parent office without 8 U.S.C. "
        "1367 clearance), type, channel, language (the requester's) or month (UTC).",
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # "from" is a Python keyword: the field is added here, not as a class attribute.
        return {
            **super().get_fields(),
            "from": CodedDateField(
                required=False,
                help_text="The first UTC day of the period (requests made on or after it). "
                "Default: the first day of the month eleven months ago.",
            ),
            "to": CodedDateField(
                required=False,
                help_text="The last UTC day of the period (requests made on or before it). "
                "Default: today. At most 1,100 days after `from`.",
            ),
        }


class RatioOut(serializers.Serializer[Any]):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="null when the denominator is 0.")


class DurationsOut(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    median_seconds = serializers.FloatField(allow_null=True)
    p80_seconds = serializers.FloatField(allow_null=True)


class RepeatsOut(serializers.Serializer[Any]):
    within_30_days = RatioOut()
    within_60_days = RatioOut()
    within_90_days = RatioOut()


class SatisfactionOut(serializers.Serializer[Any]):
    response_rate = RatioOut(help_text="Surveys answered / surveys sent.")
    satisfied = RatioOut(help_text="Ratings of 4 or 5 / surveys answered.")
    mean_rating = serializers.FloatField(allow_null=True)


class OutcomeRowOut(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="An office, type, channel or language code, or YYYY-MM.")
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    requests = serializers.IntegerField()
    first_contact_resolution = RatioOut()
    repeats = RepeatsOut()
    reopened = RatioOut()
    form_letters_overridden = RatioOut()
    time_to_first_response = DurationsOut()
    time_to_final_response = DurationsOut()
    first_response_on_time = RatioOut()
    final_response_on_time = RatioOut()
    satisfaction = SatisfactionOut()


class PeriodOut(serializers.Serializer[Any]):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # "from" is a Python keyword (as in OutcomeFilter).
        return {"from": serializers.DateField(), "to": serializers.DateField()}


class OutcomesOut(serializers.Serializer[Any]):
    group_by = serializers.CharField()
    period = PeriodOut(help_text="The UTC days of the period, both included.")
    as_of = UtcDateTimeField()
    rows = OutcomeRowOut(many=True)
    total = OutcomeRowOut()


def _ratio(value: Ratio) -> dict[str, Any]:
    return {"numerator": value.numerator, "denominator": value.denominator, "rate": value.rate}


def _durations(value: Durations) -> dict[str, Any]:
    return {"count": value.count, "median_seconds": value.median, "p80_seconds": value.p80}


def _row(row: OutcomeRow, language: str) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": row.label(language),
        "requests": row.requests,
        "first_contact_resolution": _ratio(row.first_contact_resolution),
        "repeats": {f"within_{d}_days": _ratio(row.repeats[d]) for d in REPEAT_WINDOWS},
        "reopened": _ratio(row.reopened),
        "form_letters_overridden": _ratio(row.form_letters_overridden),
        "time_to_first_response": _durations(row.first_response_time),
        "time_to_final_response": _durations(row.final_response_time),
        "first_response_on_time": _ratio(row.first_response_on_time),
        "final_response_on_time": _ratio(row.final_response_on_time),
        "satisfaction": {
            "response_rate": _ratio(row.surveys_answered),
            "satisfied": _ratio(row.satisfied),
            "mean_rating": row.mean_rating,
        },
    }


class OutcomeMetricsView(ApiView):
    required_capabilities = {"GET": Capability.QUALITY_REPORTS}
    query_serializers = {"GET": OutcomeFilter}

    @extend_schema(
        tags=[TAG],
        summary="Outcome metrics",
        description="First-contact resolution, repeat requests within 30, 60 and 90 days of "
        "a final response, reopened requests, form-letter warnings overridden, time to first "
        "and final response (median, 80th percentile), deadlines met and customer "
        "satisfaction, for the requests made in the period, per group and in total. Counts "
        "only; docs/metrics.md defines each figure. 400 `invalid_group_by`, `invalid_date`, "
        "`invalid_period` (ends before it starts, or longer than 1,100 days).",
        parameters=[OutcomeFilter],
        responses={200: OutcomesOut, **problems(400, 403)},
    )
    def get(self, request: Request) -> Response:
        query = OutcomeFilter(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        now = timezone.now()
        default = metrics.Period.default(now.date())
        period = metrics.Period.checked(
            query.validated_data.get("from") or default.start,
            query.validated_data.get("to") or default.end,
        )
        user = request.user
        assert isinstance(user, User)  # IsAuthenticated and IsAgencyStaff ran
        found = metrics.outcomes(
            period=period,
            group_by=GroupBy(query.validated_data["group_by"]),
            as_of=now,
            fold_confidential=not user.is_1367_cleared,
        )
        language = get_language() or "en"
        body = {
            "group_by": found.group_by.value,
            "period": {"from": period.start, "to": period.end},
            "as_of": found.as_of,
            "rows": [_row(r, language) for r in found.rows],
            "total": _row(found.total, language),
        }
        return Response(OutcomesOut(body).data)
