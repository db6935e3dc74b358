"""Request types, the escalation ladder and expedite criteria are configuration (editable).
Requests and escalations are record views: see srmt/backoffice/admin.py."""

from django.contrib import admin
from django.http import HttpRequest

from srmt.audit.admin_mixins import AuditedAdminMixin
from srmt.service_requests.models import (
    EscalationStep,
    ExpediteCriterion,
    ServiceRequestType,
)


@admin.register(ServiceRequestType)
class ServiceRequestTypeAdmin(AuditedAdminMixin, admin.ModelAdmin[ServiceRequestType]):
    list_display = (
        "code",
        "name_en",
        "name_es",
        "requires_receipt_number",
        "is_priority",
        "is_self_service",
        "is_active",
        "sort_order",
    )
    list_editable = ("sort_order",)
    readonly_fields = ("code",)

    def has_delete_permission(
        self, request: HttpRequest, obj: ServiceRequestType | None = None
    ) -> bool:
        return False  # codes are part of the API; deactivate instead


# --- escalation ladder (service_requests.escalations) -------------------------------------


@admin.register(EscalationStep)
class EscalationStepAdmin(AuditedAdminMixin, admin.ModelAdmin[EscalationStep]):
    list_display = (
        "order",
        "name",
        "days_after_previous",
        "target",
        "office",
        "effective_from",
        "effective_until",
    )
    list_filter = ("target",)
    autocomplete_fields = ("office",)


# --- expedite criteria (service_requests.expedites) ---------------------------------------


@admin.register(ExpediteCriterion)
class ExpediteCriterionAdmin(AuditedAdminMixin, admin.ModelAdmin[ExpediteCriterion]):
    """A new policy version is a new set of rows; end the old ones with effective_until."""

    list_display = (
        "code",
        "version",
        "name_en",
        "effective_from",
        "effective_until",
        "allowed_for_premium_processing",
    )
    list_filter = ("version",)

    def has_delete_permission(
        self, request: HttpRequest, obj: ExpediteCriterion | None = None
    ) -> bool:
        return False  # expedite requests keep the criterion they were recorded under
