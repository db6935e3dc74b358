from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from srmt.accounts import services
from srmt.accounts.models import ApiToken, User
from srmt.audit.admin_mixins import AuditedAdminMixin

# What only a staff account may hold (ADR 27): read-only on customer and representative accounts.
STAFF_ONLY_FIELDS = (
    "role",
    "offices",
    "is_1367_cleared",
    "probation_until",
    "is_staff",
    "is_superuser",
    "groups",
    "user_permissions",
)


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin[User]):
    """Staff accounts are made and changed here. Customer and representative accounts (made
    by accounts.services.create_outside_account) are shown with their kind; here they can
    only be deactivated, never given a role, clearance or admin access."""

    list_display = ("username", "get_full_name", "kind", "role", "is_1367_cleared", "is_active")
    list_filter = ("kind", "role", "is_1367_cleared", "is_active", "offices")
    filter_horizontal = ("offices", "groups", "user_permissions")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("SRMT role and offices"),
            {
                "fields": (
                    "kind",
                    "role",
                    "offices",
                    "is_1367_cleared",
                    "probation_until",
                    "language",
                )
            },
        ),
    )

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        if obj is None:
            return ()
        if obj.is_agency_staff:
            return ("kind",)
        return ("kind", *STAFF_ONLY_FIELDS)

    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("SRMT role and offices"), {"fields": ("role", "offices", "is_1367_cleared")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens of every user: who, which (prefix), when; never the secret or its hash.

    Read-only but for the "revoke" action (accounts.services.revoke_api_token). Tokens are
    made by their own user (staff page or `srmt token`), never here.
    """

    list_display = (
        "prefix",
        "name",
        "user",
        "status",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
    )
    list_filter = ("revoked_at", "expires_at")
    list_select_related = ("user", "revoked_by")
    search_fields = ("prefix", "name", "user__username")
    fields = list_display
    readonly_fields = list_display
    actions = ["revoke_tokens"]

    @admin.display(description=_("status"))
    def status(self, token: ApiToken) -> str:
        return str(token.status(at=timezone.now()).label)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.revoke_apitoken")

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor = request.user
        if not isinstance(actor, User):  # the admin signs everyone in before any action
            raise PermissionDenied
        revoked = [
            services.revoke_api_token(token, actor=actor)
            for token in queryset.filter(revoked_at__isnull=True)
        ]
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(revoked))
            % {"count": len(revoked)},
            messages.SUCCESS,
        )
