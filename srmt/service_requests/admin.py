"""Request types are configuration (editable); requests themselves change only through
the service layer, so the admin shows them read-only."""

from django.contrib import admin
from django.http import HttpRequest

from srmt.audit.admin_mixins import AuditedAdminMixin
from srmt.service_requests.models import (
    Escalation,
    EscalationStep,
    ExpediteCriterion,
    ServiceRequest,
    ServiceRequestType,
)
from srmt.service_requests.policies import visible_requests


@admin.register(ServiceRequestType)
class ServiceRequestTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
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

    def has_delete_permission(self, request, obj=None):
        return False  # codes are part of the API; deactivate instead


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = ("reference", "type", "status", "office", "due_at", "created_at")
    list_filter = ("status", "type", "channel")
    search_fields = ("reference", "receipt_number")
    list_select_related = ("type", "office")
    show_full_result_count = False

    def get_queryset(self, request):
        return visible_requests(request.user).select_related("type", "office")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- escalation ladder (service_requests.escalations) -------------------------------------


@admin.register(EscalationStep)
class EscalationStepAdmin(AuditedAdminMixin, admin.ModelAdmin):
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


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    """Escalations are written by the sweep only: read-only here."""

    list_display = ("service_request", "level", "office", "escalated_at")
    list_filter = ("level", "office")
    list_select_related = ("service_request", "office")
    raw_id_fields = ("service_request",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# --- expedite criteria (service_requests.expedites) ---------------------------------------


@admin.register(ExpediteCriterion)
class ExpediteCriterionAdmin(AuditedAdminMixin, admin.ModelAdmin):
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

    def has_delete_permission(self, request, obj=None):
        return False  # expedite requests keep the criterion they were recorded under
