"""Response templates (issue 10, §1): a library of answers in English and Spanish, national or
owned by one office, for a request type and a response kind, versioned.

A version is never changed once written: a new wording is a new version, so a response that
records (template code, version) always points at the text it started from. The templates sit
below the service requests (docs/architecture.md): request types and response kinds are kept
as their stable codes, checked by the services that write templates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from srmt.core.models import TimeStampedModel

TEMPLATE_BODY_LENGTH = 10_000


class ResponseTemplate(TimeStampedModel):
    """One template: what it is for, and who owns it. Its wording is in its versions."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    # None: a national template, offered everywhere; otherwise offered at this office only.
    office = models.ForeignKey(
        "offices.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A request type's code (service_requests.RequestTypeCode); blank: every type.
    request_type = models.CharField(max_length=64, blank=True)
    # A response kind's code (initial, follow_up, final); blank: every kind.
    response_kind = models.CharField(max_length=16, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class TemplateVersion(models.Model):
    """One wording of a template, in both languages. Written once, never changed."""

    template = models.ForeignKey(
        ResponseTemplate, on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField()
    body_en = models.TextField(max_length=TEMPLATE_BODY_LENGTH)
    body_es = models.TextField(max_length=TEMPLATE_BODY_LENGTH)
    change_note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["template", "version"], name="template_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="template_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.template_id} v{self.version}"

    def body(self, language: str) -> str:
        """The wording in `language` ("es" or anything else: English)."""
        return self.body_es if language == "es" else self.body_en


class ProcessingTime(models.Model):
    """The processing time published for a form at an office: the time within which the
    office completes most cases of that form. A case received more than this long ago is
    outside normal processing time: the customer may then ask about it (a case inquiry).

    Templates quote it ({{ published_processing_time }}, {{ case_inquiry_date }}); reference
    data (seed/data/processing_times.csv) loads it, and an administrator may correct it.
    """

    form_type = models.ForeignKey("offices.FormType", on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    months = models.DecimalField(max_digits=4, decimal_places=1)
    published_on = models.DateField()

    class Meta:
        ordering = ["form_type_id", "office_id"]
        constraints = [
            models.UniqueConstraint(fields=["form_type", "office"], name="processing_time_unique"),
            models.CheckConstraint(condition=Q(months__gt=0), name="processing_time_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.form_type_id}@{self.office_id}: {self.months} months"
