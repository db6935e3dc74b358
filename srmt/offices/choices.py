from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficeKind(models.TextChoices):
    CONTACT_CENTER = "contact_center", _("Contact center")
    SERVICE_CENTER = "service_center", _("Service center")
    NATIONAL_BENEFITS_CENTER = "national_benefits_center", _("National Benefits Center")
    FIELD_OFFICE = "field_office", _("Field office")
    ASYLUM_OFFICE = "asylum_office", _("Asylum office")
    APPEALS_OFFICE = "appeals_office", _("Administrative Appeals Office")
    INTERNATIONAL_OFFICE = "international_office", _("International office")
    HEADQUARTERS = "headquarters", _("Headquarters unit")


class TriState(models.TextChoices):
    ANY = "any", _("Any")
    YES = "yes", _("Yes")
    NO = "no", _("No")


class RoutingAction(models.TextChoices):
    FIXED_OFFICE = "fixed_office", _("Route to a fixed office")
    CASE_OFFICE = "case_office", _("Route to the office holding the case")
    ZIP_FIELD_OFFICE = "zip_field_office", _("Route to the field office for the ZIP code")
    INTERNATIONAL_REFERRAL = "international_referral", _("Refer to the international office")
