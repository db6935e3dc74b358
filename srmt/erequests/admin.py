from django.contrib import admin

from srmt.erequests.models import Eligibility


@admin.register(Eligibility)
class EligibilityAdmin(admin.ModelAdmin[Eligibility]):
    list_display = ("form_type", "request_type", "is_allowed", "without_account", "wait_days")
    list_filter = ("request_type", "is_allowed", "without_account")
    list_editable = ("is_allowed", "without_account", "wait_days")
