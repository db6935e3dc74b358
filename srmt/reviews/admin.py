from django.contrib import admin

from srmt.audit.admin_mixins import AuditedAdminMixin
from srmt.reviews.models import ReviewRule


@admin.register(ReviewRule)
class ReviewRuleAdmin(AuditedAdminMixin, admin.ModelAdmin[ReviewRule]):
    """The rules that hold responses for supervisory review (ADR 35). A change of policy
    ends a rule (effective until) and adds its successor, so past reviews keep their rule."""

    list_display = (
        "code",
        "name_en",
        "kind",
        "priority",
        "share",
        "effective_from",
        "effective_until",
    )
    list_filter = ("kind",)
    search_fields = ("code", "name_en", "name_es")
