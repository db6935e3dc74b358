from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from srmt.audit.admin_mixins import AuditedAdminMixin
from srmt.sla.models import DeadlinePolicy, OfficeCalendar, OfficeClosure


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(AuditedAdminMixin, admin.ModelAdmin[DeadlinePolicy]):
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


@admin.register(OfficeCalendar)
class OfficeCalendarAdmin(AuditedAdminMixin, admin.ModelAdmin[OfficeCalendar]):
    list_display = ("__str__", "work_start", "work_end", "workdays", "observes_federal_holidays")
    autocomplete_fields = ("office",)


@admin.register(OfficeClosure)
class OfficeClosureAdmin(AuditedAdminMixin, admin.ModelAdmin[OfficeClosure]):
    list_display = ("office", "start_date", "end_date", "closed_hours", "reason")
    list_filter = ("office",)
    date_hierarchy = "start_date"
    autocomplete_fields = ("office",)
    fields = ("office", "start_date", "end_date", "start_time", "end_time", "reason")

    @admin.display(description=_("hours closed"))
    def closed_hours(self, closure: OfficeClosure) -> str:
        if not closure.is_partial:
            return str(_("all day"))
        return f"{closure.start_time:%H:%M}-{closure.end_time:%H:%M}"
