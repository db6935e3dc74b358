from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public site (issue 11): the home page, case status, and the pages customers and
    representatives use. A UI leaf like `staff`: it calls the services and reads through
    the access helpers; it owns no business rules."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "srmt.portal"
    label = "portal"
