"""Output serializers: how the API shows objects. Read-only; they never write.

They only read relations the caller loaded (queries.for_display / load_detail, or the
objects a service returned), so rendering never adds queries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar, cast

from django.db import models
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from srmt.api.schema import PROTECTED_HELP
from srmt.cases.models import Case, CaseParty
from srmt.offices.models import FormType, Office
from srmt.quality.types import Why
from srmt.reviews.choices import ReviewStatus
from srmt.service_requests import form_letters
from srmt.service_requests.deadline_states import at_risk_moment
from srmt.service_requests.models import Response as ServiceRequestResponse
from srmt.service_requests.models import ServiceRequest, ServiceRequestType
from srmt.sla.choices import DeadlineState


class UtcDateTimeField(serializers.DateTimeField):
    """Every datetime the API shows is in UTC with a `Z` (2026-03-02T19:00:00Z), whatever the
    server's TIME_ZONE, so clients compare them as text and never mix offsets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", dt.UTC)
        super().__init__(*args, **kwargs)


_M = TypeVar("_M", bound=models.Model)


class OutputModelSerializer(serializers.ModelSerializer[_M]):
    """The base of model output serializers: datetimes as UtcDateTimeField."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UtcDateTimeField,
    }


def _now(serializer: serializers.Field[Any, Any, Any, Any]) -> dt.datetime:
    """One clock reading per response, shared by every row (context["at"])."""
    # The root serializer's context is the dict it was given (or its own empty one); DRF's
    # stubs show it read-only.
    context = cast("dict[str, Any]", serializer.root.context)
    if "at" not in context:
        context["at"] = timezone.now()
    at: dt.datetime = context["at"]
    return at


class OfficeRefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class LinksSerializer(serializers.Serializer[Any]):
    self = serializers.CharField(read_only=True)
    responses = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    transitions = serializers.CharField(read_only=True)


class ServiceRequestSerializer(serializers.Serializer[Any]):
    """A request as lists and writes show it (no description, history or personal data)."""

    reference = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    type = serializers.CharField(source="type.code", read_only=True)
    channel = serializers.CharField(read_only=True)
    office = OfficeRefSerializer(read_only=True)
    receipt_number = serializers.CharField(read_only=True)
    urgency = serializers.CharField(read_only=True)
    created_at = UtcDateTimeField(read_only=True)
    first_response_due_at = UtcDateTimeField(read_only=True)
    due_at = UtcDateTimeField(read_only=True)
    first_responded_at = UtcDateTimeField(read_only=True, allow_null=True)
    closed_at = UtcDateTimeField(read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField()
    is_at_risk = serializers.SerializerMethodField()
    deadline_state = serializers.SerializerMethodField(
        help_text="on_track, at_risk or overdue at the moment of the answer (a closed request: "
        "when it closed; a paused one: when its clocks stopped)."
    )
    at_risk_at = serializers.SerializerMethodField(
        help_text="When the request becomes (or became) at risk: the configured share of the "
        "time from creation to the final due date."
    )
    paused_at = UtcDateTimeField(
        read_only=True, allow_null=True, help_text="Clocks paused since (awaiting the customer)."
    )
    escalation_level = serializers.IntegerField(
        read_only=True, help_text="Highest rung of the escalation ladder reached (0: none)."
    )
    assignee = serializers.CharField(source="assignee.username", read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)
    repeat_count = serializers.IntegerField(
        read_only=True, help_text="How many times the customer asked again (whole thread)."
    )
    repeat_of = serializers.CharField(
        source="repeat_of.reference",
        read_only=True,
        allow_null=True,
        help_text="The first request of the thread, when this one is a repeat.",
    )
    links = serializers.SerializerMethodField()

    def get_is_overdue(self, sr: ServiceRequest) -> bool:
        return sr.is_overdue(_now(self))

    def get_is_at_risk(self, sr: ServiceRequest) -> bool:
        return sr.is_at_risk(_now(self))

    @extend_schema_field(serializers.ChoiceField(choices=DeadlineState.choices))
    def get_deadline_state(self, sr: ServiceRequest) -> str:
        return str(sr.deadline_state(_now(self)))

    @extend_schema_field(UtcDateTimeField)
    def get_at_risk_at(self, sr: ServiceRequest) -> str:
        return UtcDateTimeField().to_representation(at_risk_moment(sr))

    @extend_schema_field(LinksSerializer)
    def get_links(self, sr: ServiceRequest) -> dict[str, str]:
        args = [sr.reference]
        return {
            "self": reverse("api:service-request-detail", args=args),
            "responses": reverse("api:service-request-responses", args=args),
            "notes": reverse("api:service-request-notes", args=args),
            "transitions": reverse("api:service-request-transitions", args=args),
        }


class NewInformationSerializer(serializers.Serializer[Any]):
    score = serializers.FloatField(
        read_only=True, help_text="0 = nothing new for the customer, 1 = all new."
    )
    form_letter = serializers.BooleanField(
        read_only=True, help_text="The score was below the threshold then in force."
    )


class TemplateUsedSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)


class ReviewRefSerializer(serializers.Serializer[Any]):
    """A response's supervisory review (ADR 35), as every response in the API carries it."""

    id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(
        choices=ReviewStatus.choices,
        read_only=True,
        help_text="pending: held, waiting for a supervisor; approved: sent; returned: back "
        "to its author with a comment.",
    )
    rule = serializers.CharField(
        source="rule.code", read_only=True, help_text="The code of the rule that held it."
    )
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True
    )
    decided_at = UtcDateTimeField(read_only=True, allow_null=True)
    comment = serializers.CharField(read_only=True)


class ResponseSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    delivery_channel = serializers.CharField(read_only=True)
    delivery_status = serializers.CharField(read_only=True)
    created_at = UtcDateTimeField(read_only=True)
    new_information = serializers.SerializerMethodField(
        help_text="The new-information check as the response was sent; null for responses "
        "sent before the check existed."
    )
    form_letter_override_reason = serializers.CharField(
        read_only=True,
        help_text="Why the writer sent a form letter anyway; blank for other responses.",
    )
    review = ReviewRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="null: no review rule held it. A held response is not sent before a "
        "supervisor approves it.",
    )
    template = serializers.SerializerMethodField(
        help_text="The template (and its version) the response started from; null if none."
    )

    @extend_schema_field(NewInformationSerializer(allow_null=True))
    def get_new_information(self, response: ServiceRequestResponse) -> dict[str, Any] | None:
        return form_letters.stored_score(response)

    @extend_schema_field(TemplateUsedSerializer(allow_null=True))
    def get_template(self, response: ServiceRequestResponse) -> dict[str, Any] | None:
        if not response.template_code:
            return None
        return {"code": response.template_code, "version": response.template_version}


class SentenceVerdictSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(read_only=True)
    new = serializers.BooleanField(read_only=True)
    why = serializers.ChoiceField(
        choices=[why.value for why in Why],
        allow_null=True,
        read_only=True,
        help_text="Why the sentence tells the customer nothing new; null when it is new.",
    )


class AssessmentSerializer(serializers.Serializer[Any]):
    """The new-information check of a draft (schema only: quality.payload builds it)."""

    new_information = serializers.FloatField(
        read_only=True, help_text="0 = nothing new for the customer, 1 = all new."
    )
    form_letter = serializers.BooleanField(
        read_only=True,
        help_text="Below the threshold: sending it needs an `override_reason`.",
    )
    threshold = serializers.FloatField(read_only=True)
    sentences = SentenceVerdictSerializer(many=True, read_only=True)


class NoteSerializer(serializers.Serializer[Any]):
    body = serializers.CharField(read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    created_at = UtcDateTimeField(read_only=True)


# "from" is a Python keyword, so this serializer is built with type().
StatusChangeSerializer = type(
    "StatusChangeSerializer",
    (serializers.Serializer,),
    {
        "from": serializers.CharField(source="from_status", read_only=True),
        "to": serializers.CharField(source="to_status", read_only=True),
        "actor": serializers.CharField(source="actor.username", read_only=True, allow_null=True),
        "reason": serializers.CharField(
            source="display_reason",
            read_only=True,
            help_text="Why: a reason the system gave in the language of the request "
            "(Accept-Language), a reason a person typed as typed.",
        ),
        "reason_code": serializers.CharField(
            read_only=True,
            help_text="Stable code of a reason the system gave (routed, response_sent, "
            "assigned, repeat_merged, protected_case); blank when a person typed it or for "
            "older moves.",
        ),
        "at": UtcDateTimeField(source="created_at", read_only=True),
        "from_office": serializers.CharField(
            source="from_office.code", read_only=True, allow_null=True
        ),
        "to_office": serializers.CharField(
            source="to_office.code", read_only=True, allow_null=True
        ),
    },
)


class CaseSummarySerializer(serializers.Serializer[Any]):
    receipt_number = serializers.CharField(read_only=True)
    form_type = serializers.CharField(source="form_type.code", read_only=True)
    office = serializers.CharField(source="office.code", read_only=True)
    status_text = serializers.CharField(read_only=True)
    is_protected = serializers.BooleanField(read_only=True, help_text=PROTECTED_HELP)


class RequesterSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    language = serializers.CharField(read_only=True)


class EscalationSerializer(serializers.Serializer[Any]):
    level = serializers.IntegerField(read_only=True)
    step = serializers.CharField(source="step.name", read_only=True)
    office = OfficeRefSerializer(read_only=True)
    escalated_at = UtcDateTimeField(read_only=True)


class ServiceRequestDetailSerializer(ServiceRequestSerializer):
    """A request with its case, requester, responses, internal notes and status history."""

    description = serializers.CharField(read_only=True)
    routing_reason = serializers.CharField(
        source="display_routing_reason",
        read_only=True,
        help_text="Why routing chose the office, in the language of the request "
        "(Accept-Language; English where no translation exists).",
    )
    duplicate_of = serializers.CharField(
        source="duplicate_of.reference", read_only=True, allow_null=True
    )
    requester = RequesterSerializer(read_only=True)
    case = CaseSummarySerializer(read_only=True, allow_null=True)
    responses = ResponseSerializer(many=True, read_only=True)
    notes = NoteSerializer(many=True, read_only=True)
    status_history = StatusChangeSerializer(source="status_changes", many=True, read_only=True)
    escalations = EscalationSerializer(many=True, read_only=True)
    transfer_count = serializers.IntegerField(read_only=True)
    is_flagged = serializers.BooleanField(
        read_only=True, help_text="Transferred more often than SRMT_TRANSFER_FLAG_AFTER allows."
    )
    flag_reason = serializers.CharField(
        source="display_flag_reason",
        read_only=True,
        help_text="Why it is flagged, in the language of the request (Accept-Language); "
        "flags written before flag codes existed are in English.",
    )
    flag_reason_code = serializers.CharField(
        read_only=True,
        help_text="Stable code of the flag's reason (transferred_too_often); blank when not "
        "flagged or for older flags.",
    )
    transfers = serializers.SerializerMethodField(
        help_text="The chain of transfers between offices, oldest first."
    )
    redirect_topic = serializers.SerializerMethodField(
        help_text="The topic whose agency the request was redirected to, if it was."
    )

    @extend_schema_field(StatusChangeSerializer(many=True))
    def get_transfers(self, sr: ServiceRequest) -> list[dict[str, Any]]:
        moves = [c for c in sr.status_changes.all() if c.to_status == "transferred"]
        data: list[dict[str, Any]] = StatusChangeSerializer(moves, many=True).data
        return data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_redirect_topic(self, sr: ServiceRequest) -> str | None:
        return sr.redirect_topic.code if sr.redirect_topic is not None else None


class OfficeSerializer(OutputModelSerializer[Office]):
    # A declared field, not Field.parent: DRF's metaclass takes fields off the class.
    parent: serializers.SlugRelatedField[Office] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Code of the office this unit is part of; null for a top-level office.",
    )

    class Meta:
        model = Office
        fields = ["code", "name", "kind", "time_zone", "parent", "is_active"]


class FormTypeSerializer(OutputModelSerializer[FormType]):
    class Meta:
        model = FormType
        fields = ["code", "name_en", "name_es", "is_premium_processing_eligible", "is_active"]


class ServiceRequestTypeSerializer(OutputModelSerializer[ServiceRequestType]):
    class Meta:
        model = ServiceRequestType
        fields = [
            "code",
            "name_en",
            "name_es",
            "requires_receipt_number",
            "is_priority",
            "is_self_service",
            "allows_protected_cases",
            "is_active",
        ]


class CasePartySerializer(OutputModelSerializer[CaseParty]):
    name = serializers.CharField(source="person.name", read_only=True)
    email = serializers.CharField(source="person.email", read_only=True)
    phone = serializers.CharField(source="person.phone", read_only=True)
    language = serializers.CharField(source="person.language", read_only=True)
    external_id = serializers.CharField(source="person.external_id", read_only=True)

    class Meta:
        model = CaseParty
        fields = ["name", "role", "email", "phone", "language", "has_g28_on_file", "external_id"]


class CaseSerializer(OutputModelSerializer[Case]):
    form_type: serializers.SlugRelatedField[FormType] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    office: serializers.SlugRelatedField[Office] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    parties = CasePartySerializer(many=True, read_only=True)
    is_protected = serializers.BooleanField(read_only=True, help_text=PROTECTED_HELP)

    class Meta:
        model = Case
        fields = [
            "receipt_number",
            "form_type",
            "office",
            "received_on",
            "status_text",
            "status_updated_on",
            "is_protected",
            "parties",
            "created_at",
            "updated_at",
        ]
