"""The published processing times, corrected by administrators in the admin (audited).

Templates themselves are written on the staff pages (/staff/templates/), through the services,
by the supervisors who own them: not here."""

from django.contrib import admin

from srmt.audit.admin_mixins import AuditedAdminMixin
from srmt.response_templates.models import ProcessingTime


@admin.register(ProcessingTime)
class ProcessingTimeAdmin(AuditedAdminMixin, admin.ModelAdmin[ProcessingTime]):
    list_display = ("form_type", "office", "months", "published_on")
    list_filter = ("form_type",)
    search_fields = ("form_type__code", "office__code", "office__name")
    autocomplete_fields = ("form_type", "office")
