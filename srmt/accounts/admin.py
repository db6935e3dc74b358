from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from srmt.accounts.models import User
from srmt.audit.admin_mixins import AuditedAdminMixin


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    list_display = ("username", "get_full_name", "role", "is_1367_cleared", "is_active")
    list_filter = ("role", "is_1367_cleared", "is_active", "offices")
    filter_horizontal = ("offices", "groups", "user_permissions")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("SRMT role and offices"),
            {"fields": ("role", "offices", "is_1367_cleared", "language")},
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("SRMT role and offices"), {"fields": ("role", "offices", "is_1367_cleared")}),
    )
