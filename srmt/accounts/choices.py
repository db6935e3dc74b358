from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TIER1 = "tier1", _("Tier 1 representative")
    TIER2 = "tier2", _("Tier 2 officer")
    OFFICE_STAFF = "office_staff", _("Office staff")
    SUPERVISOR = "supervisor", _("Supervisor")
    QA_REVIEWER = "qa_reviewer", _("QA reviewer")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")
    # The agency's case systems (an integration account): writes case records, nothing else.
    CASE_SYSTEM = "case_system", _("Case system integration")


class TokenStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
