from django.apps import AppConfig


class AccessCodesConfig(AppConfig):
    """Online access codes (issue 11, section 3; ADR 43): a paper-filed case linked to an
    online account with the code from its Account Acceptance Notice."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "srmt.access_codes"
    label = "access_codes"
