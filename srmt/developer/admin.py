"""Administrators register Case Status API clients here (ADR 0041). The secret is shown
once, in the message after saving; only its hash is kept."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from srmt.developer.models import ApiClient
from srmt.developer.services import register_client


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin[ApiClient]):
    list_display = ["name", "client_id", "is_active", "created_at", "answered_count"]
    list_filter = ["is_active"]
    search_fields = ["name", "client_id"]

    def get_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("name",)
        return ("name", "client_id", "is_active", "created_at", "answered_count")

    def get_readonly_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> list[str]:
        if obj is None:
            return []
        return ["client_id", "created_at", "answered_count"]

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        new = register_client(actor=request.user, name=obj.name)
        obj.pk = new.client.pk
        obj.client_id = new.client.client_id
        obj.secret_hash = new.client.secret_hash
        obj.created_at = new.client.created_at
        messages.warning(
            request,
            _(
                "Copy the client secret now; it is not shown again. client_id: %(id)s client_secret: %(secret)s"  # noqa: E501
            )
            % {"id": new.client.client_id, "secret": new.client_secret},
        )

    def has_delete_permission(self, request: HttpRequest, obj: ApiClient | None = None) -> bool:
        return False
