from django.contrib import admin

from srmt.audit.admin_mixins import AuditedAdminMixin
from srmt.offices.models import FormType, Office


@admin.register(Office)
class OfficeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "time_zone", "state", "is_active")
    list_filter = ("kind", "is_active", "state")
    search_fields = ("code", "name", "city")


@admin.register(FormType)
class FormTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_en", "name_es", "is_premium_processing_eligible", "is_active")
    list_filter = ("is_premium_processing_eligible", "is_active")
    search_fields = ("code", "name_en", "name_es")
