"""The admin's record views: cases, people, requests, escalations, the outbox and the audit
log, read-only, each list, search and detail filtered by the staff pages' rules
(backoffice.visibility). Configuration (offices, rules, calendars, users) keeps its admin in
its own app. A record hidden from a user is answered as one that does not exist.

Forms G-28 (`Representation`) are the one record written here, through cases.links, by cleared
case managers (the same writers as case records, ADR 16 and 27)."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from srmt.accounts.choices import AccountKind
from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import actions
from srmt.audit import services as audit
from srmt.audit.models import AuditEvent
from srmt.backoffice import visibility
from srmt.cases import links
from srmt.cases.models import Case, CaseParty, Person, Representation
from srmt.core.errors import DomainError
from srmt.core.receipts import normalize_receipt_number
from srmt.notifications.models import Notification
from srmt.service_requests import policies
from srmt.service_requests.models import Escalation, ServiceRequest

_M = TypeVar("_M", bound=Model)


def _reader(request: HttpRequest) -> User:
    """The signed-in member of staff reading the admin (its views require one)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


class ReadOnlyAdmin(admin.ModelAdmin[_M]):
    """Records are written by services only: no add, change or delete here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedViewsAdmin(ReadOnlyAdmin[_M]):
    """Lists and details of case-specific records are audited, as on the staff pages."""

    audit_type = ""

    def audit_id(self, obj: _M) -> str:
        return str(obj.pk)

    def is_confidential(self, obj: _M) -> bool:
        return False

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        changelist = super().get_changelist_instance(request)
        audit.record_views(
            actor=request.user,
            object_type=self.audit_type,
            object_ids=[self.audit_id(obj) for obj in changelist.result_list],
            confidential_ids=[
                self.audit_id(obj) for obj in changelist.result_list if self.is_confidential(obj)
            ],
        )
        return changelist

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            audit.record(
                actor=request.user,
                action=actions.viewed(self.audit_type),
                object_type=self.audit_type,
                object_id=self.audit_id(obj),
                changes={"in": "admin"},
            )
        return obj


class CasePartyInline(admin.TabularInline[CaseParty, Case]):
    model = CaseParty
    extra = 0
    can_delete = False
    readonly_fields = ("person", "role", "has_g28_on_file")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(AuditedViewsAdmin[Case]):
    """Cases come from the case systems (API upsert, import-cases): read-only here."""

    audit_type = "case"
    list_display = ("receipt_number", "form_type", "office", "received_on", "status_text")
    list_filter = ("office__kind", "form_type")
    search_fields = ("receipt_number",)
    inlines = [CasePartyInline]

    def audit_id(self, obj: Case) -> str:
        return obj.receipt_number

    def is_confidential(self, obj: Case) -> bool:
        return obj.is_protected

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        return policies.visible_cases(request.user).select_related("form_type", "office")


@admin.register(Person)
class PersonAdmin(AuditedViewsAdmin[Person]):
    audit_type = "person"
    list_display = ("name", "email", "phone", "language")
    search_fields = ("name", "email")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return policies.visible_people(request.user)


@admin.register(ServiceRequest)
class ServiceRequestAdmin(AuditedViewsAdmin[ServiceRequest]):
    """Requests change only through the service layer: read-only here."""

    audit_type = "service_request"
    list_display = ("reference", "type", "status", "office", "due_at", "created_at")
    list_filter = ("status", "type", "channel")
    search_fields = ("reference", "receipt_number")
    list_select_related = ("type", "office")
    show_full_result_count = False

    def audit_id(self, obj: ServiceRequest) -> str:
        return obj.reference

    def is_confidential(self, obj: ServiceRequest) -> bool:
        return obj.is_confidential

    def get_queryset(self, request: HttpRequest) -> QuerySet[ServiceRequest]:
        return policies.visible_requests(request.user).select_related("type", "office", "case")


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin[Escalation]):
    """Escalations are written by the sweep only."""

    list_display = ("service_request", "level", "office", "escalated_at")
    list_filter = ("level", "office")
    list_select_related = ("service_request", "office")
    raw_id_fields = ("service_request",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Escalation]:
        return visibility.visible_escalations(_reader(request))


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin[Notification]):
    """The outbox is the record of what was sent: never edited or deleted here."""

    list_display = (
        "created_at",
        "audience",
        "kind",
        "channel",
        "transport",
        "to_address",
        "status",
        "attempts",
        "related_reference",
    )
    list_filter = ("audience", "kind", "channel", "transport", "status")
    search_fields = ("related_reference", "to_address")
    readonly_fields = [f.name for f in Notification._meta.fields]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notification]:
        return visibility.visible_notifications(_reader(request))


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin[AuditEvent]):
    list_display = (
        "occurred_at",
        "actor_username",
        "api_token_id",
        "action",
        "object_type",
        "object_id",
    )
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_username", "request_id")
    date_hierarchy = "occurred_at"
    fields = (
        "occurred_at",
        "actor_username",
        "api_token_id",
        "action",
        "object_type",
        "object_id",
        "shown_changes",
        "request_id",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        return visibility.visible_audit_events(_reader(request))

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        event = super().get_object(request, object_id, from_field)
        if event is not None:
            # shown_changes filters list events for this reader: an attribute of this one
            # object for the page, not a field of the model.
            event.viewer = request.user  # type: ignore[attr-defined]
        return event

    @admin.display(description=_("changes"))
    def shown_changes(self, event: AuditEvent) -> str:
        changes = dict(event.changes or {})
        if event.object_id == "*" and "ids" in changes:
            changes["ids"] = visibility.listed_ids(event.viewer, event)  # type: ignore[attr-defined]
        return format_html_join("\n", "<div><code>{}</code>: {}</div>", sorted(changes.items()))


class RepresentationAddForm(forms.ModelForm):  # type: ignore[type-arg]
    """A G-28: the representative's account, the case by its receipt number, and the day the
    G-28 was accepted. A receipt number the reader may not see is answered as unknown."""

    receipt_number = forms.CharField(label=_("receipt number"), max_length=20)
    reader: User  # set by RepresentationAdmin.get_form

    class Meta:
        model = Representation
        fields = ("account", "role", "accepted_on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            kind=AccountKind.REPRESENTATIVE, is_active=True
        )

    def clean_receipt_number(self) -> Case:
        unknown = forms.ValidationError(_("No case matches that receipt number."))
        try:
            number = normalize_receipt_number(self.cleaned_data["receipt_number"])
        except DomainError as exc:
            raise unknown from exc
        case = policies.visible_cases(self.reader).filter(receipt_number=number).first()
        if case is None:
            raise unknown
        return case

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        account, case = cleaned.get("account"), cleaned.get("receipt_number")
        open_g28 = Representation.objects.filter(account=account, case=case, withdrawn_on=None)
        if account is not None and case is not None and open_g28.exists():
            raise forms.ValidationError(_("This representative already has a G-28 on this case."))
        return cleaned

    def _post_clean(self) -> None:
        # The case is set by the service; skip the model's own validation of a half instance.
        pass


@admin.register(Representation)
class RepresentationAdmin(AuditedViewsAdmin[Representation]):
    """Forms G-28 on cases the reader may see (1367: protected ones only for the cleared).
    Recorded and withdrawn through cases.links, never deleted. Reads are audited as reads of
    the case, so the audit log hides them from whoever may not see the case."""

    audit_type = "case"
    list_display = ("case", "account", "role", "accepted_on", "withdrawn_on", "recorded_at")
    list_filter = ("role", "withdrawn_on")
    list_select_related = ("case", "account")
    search_fields = ("case__receipt_number", "account__username")
    readonly_fields = ("case", "account", "role", "accepted_on", "recorded_at", "recorded_by")

    def audit_id(self, obj: Representation) -> str:
        return obj.case.receipt_number

    def is_confidential(self, obj: Representation) -> bool:
        return obj.case.is_protected

    def get_queryset(self, request: HttpRequest) -> QuerySet[Representation]:
        cases = policies.visible_cases(request.user).values("pk")
        return Representation.objects.filter(case__in=cases).select_related("case", "account")

    def _writes(self, request: HttpRequest) -> bool:
        user = request.user
        return (
            isinstance(user, User) and user.can(Capability.MANAGE_CASES) and (user.is_1367_cleared)
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._writes(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._writes(request) and (obj is None or obj.withdrawn_on is None)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.readonly_fields

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("account", "receipt_number", "role", "accepted_on")
        return (*self.readonly_fields, "withdrawn_on")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = RepresentationAddForm
            kwargs["fields"] = ("account", "role", "accepted_on")
        form = super().get_form(request, obj, change=change, **kwargs)
        form.reader = request.user  # type: ignore[attr-defined]
        return form

    def save_model(
        self, request: HttpRequest, obj: Representation, form: Any, change: bool
    ) -> None:
        if not change:
            made = links.record_representation(
                form.cleaned_data["account"],
                form.cleaned_data["receipt_number"],
                role=form.cleaned_data["role"],
                accepted_on=form.cleaned_data["accepted_on"],
                actor=_reader(request),
            )
            obj.pk, obj.case, obj.account = made.pk, made.case, made.account
        elif "withdrawn_on" in form.changed_data and obj.withdrawn_on is not None:
            links.withdraw_representation(
                obj,
                withdrawn_on=obj.withdrawn_on,
                actor=_reader(request),
            )
