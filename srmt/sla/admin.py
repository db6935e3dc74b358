from django.contrib import admin

from srmt.audit.admin_mixins import AuditedAdminMixin
from srmt.sla.models import DeadlinePolicy


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = (
        "request_type",
        "urgency",
        "effective_from",
        "effective_until",
        "first_response_value",
        "first_response_unit",
        "final_response_value",
        "final_response_unit",
    )
    list_filter = ("request_type", "urgency")
