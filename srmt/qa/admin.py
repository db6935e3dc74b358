from django.contrib import admin

from srmt.audit.admin_mixins import AuditedAdminMixin
from srmt.qa.models import SamplingPolicy


@admin.register(SamplingPolicy)
class SamplingPolicyAdmin(AuditedAdminMixin, admin.ModelAdmin[SamplingPolicy]):
    """Each office's QA sampling rate and minimum (others: the national defaults)."""

    list_display = ["office", "rate", "minimum"]
    ordering = ["office__code"]
