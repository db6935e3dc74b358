from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeveloperConfig(AppConfig):
    """The Case Status API compatible with the agency's developer API (issue 11, ADR 0041)."""

    name = "srmt.developer"
    verbose_name = _("Case Status API")
    default_auto_field = "django.db.models.BigAutoField"
