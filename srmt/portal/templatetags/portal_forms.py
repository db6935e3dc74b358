"""USWDS classes on the widgets of forms the portal does not define (django-allauth's)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

register = template.Library()

_CLASSES = {
    "select": "usa-select",
    "checkbox": "usa-checkbox__input",
    "radioselect": "",
    "textarea": "usa-textarea",
}


@register.filter
def uswds_widget(field: Any) -> SafeString:
    css = _CLASSES.get(field.widget_type, "usa-input")
    if css and field.errors and css != "usa-checkbox__input":
        css += " usa-input--error"
    attrs = {"class": css} if css else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    result: SafeString = field.as_widget(attrs=attrs)
    return result
