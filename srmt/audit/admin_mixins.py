"""Admin edits of configuration are writes too: this mixin audits them."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict

from srmt.audit import actions
from srmt.audit import services as audit


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v if isinstance(v, str | int | float | bool | type(None)) else str(v)
        for k, v in values.items()
    }


class AuditedAdminMixin:
    """Records an audit event for every add, change and delete made in the Django admin."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        fields = form.changed_data if change else list(form.fields)
        audit.record(
            actor=request.user,
            action=actions.admin_edit(obj._meta.model_name, "changed" if change else "added"),
            object_type=obj._meta.model_name,
            object_id=str(obj.pk),
            changes=_jsonable({f: model_to_dict(obj).get(f) for f in fields}),
        )

    def delete_model(self, request, obj):
        object_id = str(obj.pk)
        super().delete_model(request, obj)  # type: ignore[misc]
        audit.record(
            actor=request.user,
            action=actions.admin_edit(obj._meta.model_name, "deleted"),
            object_type=obj._meta.model_name,
            object_id=object_id,
        )

    def delete_queryset(self, request, queryset):
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        name = queryset.model._meta.model_name
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        for object_id in ids:
            audit.record(
                actor=request.user,
                action=actions.admin_edit(name, "deleted"),
                object_type=name,
                object_id=object_id,
            )
