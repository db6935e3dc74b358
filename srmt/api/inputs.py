"""Input serializers: the shape of request bodies and query strings.

They check types, lengths and choices only; business rules (known types, routing,
lifecycle, access) stay in the services, which refuse with stable codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from srmt.accounts.models import User
from srmt.api.schema import PROTECTED_HELP
from srmt.cases.choices import Language, PartyRole
from srmt.cases.services import CaseData, PartyData
from srmt.core.errors import DomainError
from srmt.core.receipts import normalize_receipt_number
from srmt.offices.choices import OfficeKind
from srmt.offices.jurisdiction import resolve_country
from srmt.offices.models import offices_by_code
from srmt.service_requests.address_changes import NewAddress
from srmt.service_requests.choices import Channel, ResponseKind, Status, Urgency
from srmt.service_requests.expedites import ExpediteData
from srmt.service_requests.models import ServiceRequestType
from srmt.service_requests.repeats import RepeatCheck, RepeatChoice
from srmt.service_requests.requesters import RequesterData
from srmt.service_requests.services import MAX_TEXT, Submission
from srmt.sla.choices import DeadlineState


class StrictInput(serializers.Serializer[Any]):
    """The base of every input serializer: a field it does not declare is refused with 400
    `unknown_field` naming it, never silently dropped. Read-only attributes of a resource
    (`status`, `office`, `reference`, ...) are not input fields, so they are refused the
    same way. Nested inputs name the field with its path (`requester.nickname`,
    `parties.1.ssn`); other problems of the same body are listed with it."""

    def to_internal_value(self, data: Any) -> Any:
        unknown = self._unknown_fields(data)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # Serializer.to_internal_value refuses with errors by field name (a dict).
            if not unknown or not isinstance(exc.detail, dict):
                raise
            raise serializers.ValidationError({**exc.detail, **unknown}) from None
        if unknown:
            raise serializers.ValidationError(unknown)
        return value

    def _unknown_fields(self, data: Any) -> dict[str, list[ErrorDetail]]:
        if not isinstance(data, Mapping):
            return {}
        accepted = [name for name, field in self.fields.items() if not field.read_only]
        message = _("This field is not accepted here. The fields are: %(fields)s.") % {
            "fields": ", ".join(accepted)
        }
        return {
            str(name): [ErrorDetail(message, code="unknown_field")]
            for name in sorted(set(data) - set(accepted), key=str)
        }


class QueryInput(serializers.Serializer[Any]):
    """The base of every query-string serializer. Views name it in
    `ApiMixin.query_serializers`, which refuses the parameters it does not declare (paging
    parameters aside) before the view runs."""


class CodedChoiceField(serializers.ChoiceField):
    """A choice field whose refusal has the domain's code (e.g. `invalid_urgency`, as the
    service would say) instead of DRF's generic `invalid_choice`."""

    def __init__(self, *args: Any, invalid_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invalid_code = invalid_code

    def fail(self, key: str, **kwargs: Any) -> NoReturn:
        if key != "invalid_choice":
            super().fail(key, **kwargs)
        message = self.error_messages[key].format(**kwargs)
        raise serializers.ValidationError(message, code=self.invalid_code)


def _urgency(**kwargs: Any) -> CodedChoiceField:
    return CodedChoiceField(choices=Urgency.choices, invalid_code="invalid_urgency", **kwargs)


def _text(**kwargs: Any) -> serializers.CharField:
    """Free text of at most MAX_TEXT characters; longer is refused with code too_long."""
    return serializers.CharField(max_length=MAX_TEXT, **kwargs)


class RequesterInput(StrictInput):
    name = serializers.CharField(max_length=200)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    language = serializers.CharField(
        max_length=8,
        required=False,
        default="en",
        help_text="en or es. Left out, a person already on the case keeps their language "
        "(a new person gets en).",
    )
    zip_code = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    sms_consent = serializers.BooleanField(required=False, default=False)
    country = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="Country of residence (blank: U.S.): an ISO 3166-1 alpha-2 code (GU is Guam, "
        "ME Montenegro) or the country's name in English or Spanish, case and accents aside "
        "(Guatemala, México, Estados Unidos). An unknown name is refused with unknown_country, "
        "a name of more than one country with ambiguous_country. Outside the U.S. the "
        "customer is referred to an international office instead.",
    )

    def validate_country(self, value: str) -> str:
        try:
            return resolve_country(value, field="requester.country")
        except DomainError as exc:
            raise serializers.ValidationError(exc.message, code=exc.code) from None


class ExpediteInput(StrictInput):
    criterion = serializers.CharField(
        max_length=48, help_text="A criterion code from /api/v1/expedite-criteria/."
    )
    justification = _text(help_text="Why the case is urgent, in the customer's words.")
    customer_deadline = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The date by which the customer needs the decision (today or later).",
    )
    evidence = _text(
        required=False,
        allow_blank=True,
        default="",
        help_text="The evidence the customer has or will send.",
    )


class AddressInput(StrictInput):
    street = serializers.CharField(max_length=200)
    unit = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100)
    state = serializers.CharField(
        max_length=2,
        required=False,
        allow_blank=True,
        default="",
        help_text="In the U.S.: the two-letter state or territory of zip_code.",
    )
    zip_code = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    country = serializers.CharField(
        max_length=2,
        required=False,
        default="US",
        help_text="ISO 3166-1 alpha-2; US (default) needs state and a ZIP code of that state.",
    )


class ServiceRequestInput(StrictInput):
    type = serializers.CharField(
        max_length=48, help_text="A code from /api/v1/service-request-types/."
    )
    channel = serializers.CharField(max_length=32, help_text=f"One of {', '.join(Channel.values)}.")
    receipt_number = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default=""
    )
    description = _text()
    urgency = _urgency(required=False, default=Urgency.NORMAL)
    requester = RequesterInput()
    expedite = ExpediteInput(required=False, help_text="Required for type expedite_request.")
    new_address = AddressInput(
        required=False,
        help_text="For type change_of_address: the new address, checked (invalid_address) and "
        "recorded on the request and on every open case of the person.",
    )
    repeat_of = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        default="",
        help_text="Link the new request as a repeat of this open or recent request.",
    )
    merge_into = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        default="",
        help_text="Record the new request as a duplicate merged into this open request.",
    )
    repeat_check = serializers.ChoiceField(
        choices=[c.value for c in RepeatCheck],
        required=False,
        default=RepeatCheck.IGNORE.value,
        help_text="ask: refuse with 409 possible_repeat (listing `candidates`) when open or "
        "recent requests of the same type exist on the case; ignore (default, as before "
        "repeats were tracked): record a new request.",
    )

    def submission(self) -> Submission:
        data = self.validated_data
        expedite = data.get("expedite")
        address = data.get("new_address")
        return Submission(
            type=data["type"],
            channel=data["channel"],
            description=data["description"],
            receipt_number=data["receipt_number"],
            urgency=data["urgency"],
            requester=RequesterData(**data["requester"], given=self._requester_given()),
            expedite=ExpediteData(**expedite) if expedite is not None else None,
            new_address=NewAddress(**address) if address is not None else None,
            repeat=RepeatChoice(
                repeat_of=data["repeat_of"],
                merge_into=data["merge_into"],
                check=data["repeat_check"],
            ),
        )

    def _requester_given(self) -> frozenset[str]:
        """The requester fields the body gave: one left out (`language` above all, whose
        default is en) never replaces what is on file for a person on the case (ADR 28)."""
        body = self.initial_data.get("requester") if isinstance(self.initial_data, dict) else {}
        return frozenset(str(k) for k in body) if isinstance(body, dict) else frozenset()


class ServiceRequestUpdateInput(StrictInput):
    urgency = _urgency(required=False)
    description = _text(required=False)
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Username of the member of staff, or null to return it to the queue.",
    )


class ResponseInput(StrictInput):
    kind = serializers.ChoiceField(choices=ResponseKind.choices)
    body = _text()
    template = serializers.CharField(
        max_length=64,
        required=False,
        help_text="The code of a template offered for this request that the body started "
        "from (GET .../templates/{code}); recorded with the template's latest version.",
    )
    override_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why you send a form letter anyway (required then: the new-information "
        "check refuses a form letter without it with 409 `form_letter_warning`); ignored "
        "for a response that is not a form letter.",
    )


class AssessInput(StrictInput):
    body = _text(help_text="The draft response, as it would be sent.")
    template = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="The code of the response template the draft starts from, if any.",
    )


class NoteInput(StrictInput):
    body = _text()


class TransitionInput(StrictInput):
    to = serializers.ChoiceField(choices=Status.choices)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    office = serializers.CharField(
        max_length=16, required=False, allow_blank=True, default="", help_text="For transfers."
    )
    duplicate_of = serializers.CharField(
        max_length=16, required=False, allow_blank=True, default="", help_text="For merges."
    )


class PartyInput(StrictInput):
    name = serializers.CharField(max_length=200)
    role = serializers.ChoiceField(choices=PartyRole.choices)
    # Checked by the one rule for email addresses (core.contacts), like `phone`.
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(
        choices=Language.choices, required=False, default=Language.ENGLISH
    )
    has_g28_on_file = serializers.BooleanField(required=False, default=False)
    external_id = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    # For the e-Request identity check (ADR 44); never shown back.
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    representative_id = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text="With has_g28_on_file: an attorney's bar state and number (NY-4512345), or "
        "an accredited representative's EOIR number. Finds the representative's online "
        "account (ADR 42).",
    )


class CaseInput(StrictInput):
    form_type = serializers.CharField(max_length=16)
    office = serializers.CharField(max_length=16)
    received_on = serializers.DateField()
    status_text = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    status_updated_on = serializers.DateField(required=False, allow_null=True, default=None)
    is_protected = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=PROTECTED_HELP + " Its requests go to the VAWA/T/U unit. Left out (or null): "
        "the case keeps its protection (a new case is not protected); false on a protected "
        "case needs `protection_reason`.",
    )
    protection_reason = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why 8 U.S.C. 1367 protection is removed (required to remove it; audited).",
    )
    parties = PartyInput(many=True, required=False, default=list)
    filed_online_by = serializers.EmailField(
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        help_text="The email of the online account that filed the case (IOE receipts). Left "
        "out (or null): unchanged; empty: no online filer.",
    )

    def case_data(self, receipt_number: str) -> CaseData:
        data = dict(self.validated_data)
        parties = [PartyData(**party) for party in data.pop("parties")]
        return CaseData(receipt_number=receipt_number, parties=parties, **data)


# Date filters accept these years only: wide enough for any request, narrow enough that no
# conversion to UTC overflows (year 1 at +05:00, year 9999 at -05:00).
FIRST_YEAR, LAST_YEAR = 1900, 2999
# Real UTC offsets run from -12:00 to +14:00; PostgreSQL refuses +16:00 and beyond.
MAX_UTC_OFFSET = dt.timedelta(hours=14)


@extend_schema_field(OpenApiTypes.DATETIME)
class DateOrDateTimeField(serializers.Field[dt.datetime, Any, str, Any]):
    """An ISO 8601 datetime, or a date meaning its midnight; naive values are local time.

    Years 1900 to 2999 and UTC offsets up to ±14:00 only; anything else is refused with
    code `invalid`. The value is returned in UTC.
    """

    default_error_messages = {
        "invalid": _("Use an ISO 8601 date or datetime, like 2026-03-02 or 2026-03-02T14:00Z."),
        "year": _("Use a year from %(first)d to %(last)d."),
        "offset": _("Use a UTC offset from -14:00 to +14:00."),
    }

    def to_internal_value(self, data: Any) -> dt.datetime:
        text = str(data).strip()
        try:
            value = parse_datetime(text)
            if value is None and (day := parse_date(text)) is not None:
                value = dt.datetime.combine(day, dt.time.min)
        except ValueError:
            value = None
        if value is None:
            self.fail("invalid")
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            self._refuse("year", first=FIRST_YEAR, last=LAST_YEAR)
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        offset = value.utcoffset()
        if offset is None or abs(offset) > MAX_UTC_OFFSET:
            self._refuse("offset")
        return value.astimezone(dt.UTC)

    def _refuse(self, key: str, **kwargs: Any) -> NoReturn:
        """Fail with the message `key` under the field's one code, `invalid`."""
        message = str(self.error_messages[key])
        raise serializers.ValidationError(message % kwargs if kwargs else message, code="invalid")

    def to_representation(self, value: dt.datetime) -> str:
        return value.isoformat()


def _known_code(value: str, codes: Iterable[str]) -> str:
    """`value` as the known code it names (case aside), or 400 `invalid_choice` like a
    ChoiceField: an unknown code is an error, not a filter that matches nothing."""
    known = {code.upper(): code for code in codes}
    if value.upper() not in known:
        raise serializers.ValidationError(
            _('"%(value)s" is not a valid choice.') % {"value": value}, code="invalid_choice"
        )
    return known[value.upper()]


class ServiceRequestFilter(QueryInput):
    """Query-string filters of GET /api/v1/service-requests/."""

    status = serializers.ChoiceField(choices=Status.choices, required=False)
    type = serializers.CharField(
        max_length=48,
        required=False,
        help_text="A request type code from /api/v1/service-request-types/ (any case); "
        "another value is refused with invalid_choice.",
    )
    office = serializers.CharField(
        max_length=16,
        required=False,
        help_text="An office code from /api/v1/offices/ (any case); another value is refused "
        "with invalid_choice.",
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    receipt_number = serializers.CharField(
        max_length=32, required=False, help_text="Normalised: spaces and dashes are ignored."
    )
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true or false."
    )
    created_after = DateOrDateTimeField(
        required=False,
        help_text="Inclusive. A date means its midnight; dates and naive datetimes are in "
        "the server's time zone (TIME_ZONE). Years 1900 to 2999, UTC offsets up to ±14:00.",
    )
    created_before = DateOrDateTimeField(
        required=False,
        help_text="Exclusive. A date means its midnight (so that day is not included). Years "
        "1900 to 2999, UTC offsets up to ±14:00.",
    )
    repeat_count_min = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="Only requests whose thread was repeated at least this many times.",
    )
    deadline_state = serializers.ChoiceField(
        choices=DeadlineState.choices,
        required=False,
        help_text="Only open requests in this state (on_track, at_risk or overdue) at the "
        "moment of the query; a paused request keeps the state it had when its clocks stopped.",
    )
    escalation_level_min = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Only requests escalated to at least this rung of the ladder.",
    )

    def validate_receipt_number(self, value: str) -> str:
        return normalize_receipt_number(value)

    def validate_type(self, value: str) -> str:
        return _known_code(value, ServiceRequestType.objects.values_list("code", flat=True))

    def validate_office(self, value: str) -> str:
        return _known_code(value, offices_by_code())

    def filters(self) -> dict[str, Any]:
        return {key: value for key, value in self.validated_data.items() if value is not None}


class OfficeFilter(QueryInput):
    kind = serializers.ChoiceField(choices=OfficeKind.choices, required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class RoutingExplainFilter(QueryInput):
    receipt_number = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default=""
    )
    type = serializers.CharField(
        max_length=48, required=False, allow_blank=True, default="", help_text="A type code."
    )
    zip = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    country = serializers.CharField(
        max_length=8, required=False, allow_blank=True, default="", help_text="ISO 3166-1."
    )


class RedirectInput(StrictInput):
    topic = serializers.CharField(max_length=48, help_text="A code from /api/v1/redirect-topics/.")
    reason = serializers.CharField(max_length=1000)
