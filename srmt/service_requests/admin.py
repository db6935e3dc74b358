"""Request types are configuration (editable); requests themselves change only through
the service layer, so the admin shows them read-only."""

from django.contrib import admin

from srmt.audit.admin_mixins import AuditedAdminMixin
from srmt.service_requests.models import ServiceRequest, ServiceRequestType
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
