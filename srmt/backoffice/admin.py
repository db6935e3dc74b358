"""The admin's record views: cases, people, requests, escalations, the outbox and the audit
log, read-only, each list, search and detail filtered by the staff pages' rules
(backoffice.visibility). Configuration (offices, rules, calendars, users) keeps its admin in
its own app. A record hidden from a user is answered as one that does not exist."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from srmt.accounts.models import User
from srmt.audit import actions
from srmt.audit import services as audit
from srmt.audit.models import AuditEvent
from srmt.backoffice import visibility
from srmt.cases.models import Case, CaseParty, Person
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
