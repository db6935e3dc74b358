"""Choices of the supervisory review of responses (docs/adr/0035)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    """What a review rule looks at (rules.holds): one fact of the response each."""

    COMPLAINT = "complaint", _("Every response on a complaint")
    EXPEDITE_DENIAL = "expedite_denial", _("A response denying an expedite request")
    PROTECTED_CASE = "protected_case", _("Any response on a 1367 case")
    REPEAT = "repeat", _("The second or later repeat request on the same case")
    PROBATION = "probation", _("Responses by staff in a probation period")
    FORM_LETTER = "form_letter", _("Sent despite a form-letter warning")
    RANDOM = "random", _("A random share of the rest")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class Verdict(models.TextChoices):
    """One decision on one submitted revision (a review may be returned, then approved)."""

    APPROVED = "approved", _("Approved")
    APPROVED_WITH_EDITS = "approved_with_edits", _("Approved with edits")
    RETURNED = "returned", _("Returned")


class RevisionKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted by the author")
    EDITED = "edited", _("Edited by the reviewer")
    RESUBMITTED = "resubmitted", _("Revised and resubmitted by the author")
