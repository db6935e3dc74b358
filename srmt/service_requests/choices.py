from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_CUSTOMER = "awaiting_customer", _("Awaiting customer")
    AWAITING_OFFICE = "awaiting_office", _("Awaiting another office")
    RESPONDED = "responded", _("Responded")
    TRANSFERRED = "transferred", _("Transferred")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    REDIRECTED = "redirected", _("Redirected outside jurisdiction")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    MERGED = "merged", _("Merged as duplicate")


class Channel(models.TextChoices):
    PHONE_TIER1 = "phone_tier1", _("Phone, Tier 1")
    PHONE_TIER2 = "phone_tier2", _("Phone, Tier 2")
    ONLINE = "online", _("Online e-Request")
    SECURE_MESSAGE = "secure_message", _("Secure message")
    EMAIL = "email", _("Email")
    MAIL = "mail", _("Mail")
    FAX = "fax", _("Fax")
    IN_PERSON = "in_person", _("In person")
    VIRTUAL_ASSISTANT = "virtual_assistant", _("Virtual assistant or chat")
    MILITARY_LINE = "military_line", _("Military help line")
    PREMIUM_PROCESSING_LINE = "premium_processing_line", _("Premium processing line")
    HAGUE_LINE = "hague_line", _("Hague adoption line")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class ResponseKind(models.TextChoices):
    INITIAL = "initial", _("Initial response")
    FOLLOW_UP = "follow_up", _("Follow-up response")
    FINAL = "final", _("Final response")


class RequestTypeCode(models.TextChoices):
    """The catalogue's stable API codes. Labels are translated; codes never change."""

    OUTSIDE_NORMAL_PROCESSING_TIME = (
        "outside_normal_processing_time",
        _("Case outside normal processing time"),
    )
    NOTICE_NOT_RECEIVED = "notice_not_received", _("Notice, card or document not received")
    TYPOGRAPHIC_ERROR = "typographic_error", _("Typographic error")
    CHANGE_OF_ADDRESS = "change_of_address", _("Change of address")
    ACCOMMODATION_REQUEST = "accommodation_request", _("Accommodation request")
    EXPEDITE_REQUEST = "expedite_request", _("Expedite request")
    APPOINTMENT_REQUEST = "appointment_request", _("Appointment request")
    BIOMETRICS_RESCHEDULE = "biometrics_reschedule", _("Biometrics reschedule")
    TIER2_CALLBACK = "tier2_callback", _("Callback from Tier 2")
    PREMIUM_PROCESSING_INQUIRY = "premium_processing_inquiry", _("Premium processing inquiry")
    MILITARY_INQUIRY = "military_inquiry", _("Military inquiry")
    COMPLAINT = "complaint", _("Complaint")
    GENERAL_CASE_INQUIRY = "general_case_inquiry", _("General case inquiry")
