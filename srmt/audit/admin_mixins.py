"""Admin edits of configuration are writes too: this mixin audits them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.forms.models import model_to_dict
from django.http import HttpRequest

from srmt.audit import actions
from srmt.audit import services as audit

if TYPE_CHECKING:
    from django.contrib import admin

    # What the mixin is mixed into (before the ModelAdmin), for the type checker.
    _ModelAdminBase = admin.ModelAdmin[Any]
else:
    _ModelAdminBase = object


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v if isinstance(v, str | int | float | bool | type(None)) else str(v)
        for k, v in values.items()
    }


class AuditedAdminMixin(_ModelAdminBase):
    """Records an audit event for every add, change and delete made in the Django admin."""

    def save_model(
        self, request: HttpRequest, obj: Model, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        fields = form.changed_data if change else list(form.fields)
        audit.record(
            actor=request.user,
            action=actions.admin_edit(str(obj._meta.model_name), "changed" if change else "added"),
            object_type=str(obj._meta.model_name),
            object_id=str(obj.pk),
            changes=_jsonable({f: model_to_dict(obj).get(f) for f in fields}),
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        object_id = str(obj.pk)
        super().delete_model(request, obj)
        audit.record(
            actor=request.user,
            action=actions.admin_edit(str(obj._meta.model_name), "deleted"),
            object_type=str(obj._meta.model_name),
            object_id=object_id,
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        name = str(queryset.model._meta.model_name)
        super().delete_queryset(request, queryset)
        for object_id in ids:
            audit.record(
                actor=request.user,
                action=actions.admin_edit(name, "deleted"),
                object_type=name,
                object_id=object_id,
            )
