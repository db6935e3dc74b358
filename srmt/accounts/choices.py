from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    """Who an account belongs to (docs/adr/0027-customers-and-representatives-as-actors.md).

    Only staff accounts have a role, offices and 1367 clearance, and only they may sign in to
    the staff pages, the admin and the API."""

    STAFF = "staff", _("Agency staff")
    CUSTOMER = "customer", _("Customer")
    REPRESENTATIVE = "representative", _("Attorney or accredited representative")


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


class RepresentativeKind(models.TextChoices):
    """What entitles a representative to file a Form G-28 (8 CFR 292.1)."""

    ATTORNEY = "attorney", _("Attorney")
    ACCREDITED = "accredited_representative", _("Accredited representative")
