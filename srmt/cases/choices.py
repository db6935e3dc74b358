from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    PETITIONER = "petitioner", _("Petitioner")
    BENEFICIARY = "beneficiary", _("Beneficiary")
    EMPLOYER = "employer", _("Employer")
    ATTORNEY = "attorney", _("Attorney")
    ACCREDITED_REPRESENTATIVE = "accredited_representative", _("Accredited representative")


REPRESENTATIVE_ROLES = frozenset({PartyRole.ATTORNEY, PartyRole.ACCREDITED_REPRESENTATIVE})


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class LinkMethod(models.TextChoices):
    """How a customer account was shown to be the person it is linked to."""

    ACCESS_CODE = "access_code", _("Online access code")
    STAFF_VERIFIED = "staff_verified", _("Verified by staff")
