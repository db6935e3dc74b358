"""Every action name the audit log records: one enumeration, no free strings.

The values are exactly the strings stored in `AuditEvent.action` since the first release, so
old rows keep their meaning and no data migration is needed. `audit.services.record` takes
only a member of `AuditAction`; families that vary by model or object type (the admin's
edits, list and detail views) go through `admin_edit`, `listed` and `viewed`, which refuse
a value that is not a member (docs/adr/0025-services-package-and-no-import-cycles.md).
"""

from __future__ import annotations

from typing import Literal

from django.db import models


class AuditAction(models.TextChoices):
    # Service requests (service_requests.services and the modules beside it).
    SERVICE_REQUEST_CREATED = "service_request.created"
    SERVICE_REQUEST_RESPONDED = "service_request.responded"
    SERVICE_REQUEST_NOTED = "service_request.noted"
    SERVICE_REQUEST_TRANSITIONED = "service_request.transitioned"
    SERVICE_REQUEST_ASSIGNED = "service_request.assigned"
    SERVICE_REQUEST_UPDATED = "service_request.updated"
    SERVICE_REQUEST_VIEWED = "service_request.viewed"
    SERVICE_REQUEST_LISTED = "service_request.listed"
    SERVICE_REQUEST_REDIRECTED = "service_request.redirected"
    SERVICE_REQUEST_REPEAT_RECORDED = "service_request.repeat_recorded"
    SERVICE_REQUEST_ADDRESS_CHANGE_APPLIED = "service_request.address_change_applied"
    SERVICE_REQUEST_ATTACHMENT_ADDED = "service_request.attachment_added"
    SERVICE_REQUEST_ATTACHMENT_VIEWED = "service_request.attachment_viewed"
    SERVICE_REQUESTS_SWEPT = "service_requests.swept"
    EXPEDITE_REQUESTED = "expedite.requested"
    EXPEDITE_DECIDED = "expedite.decided"
    REFERRAL_CREATED = "referral.created"
    # Mandatory supervisory review of responses (srmt.reviews, ADR 35).
    RESPONSE_HELD_FOR_REVIEW = "response.held_for_review"
    RESPONSE_REVIEW_APPROVED = "response_review.approved"
    RESPONSE_REVIEW_RETURNED = "response_review.returned"
    RESPONSE_REVIEW_RESUBMITTED = "response_review.resubmitted"
    # The staff workspace (docs/adr/0031): exports, saved queue views, notifications.
    SERVICE_REQUESTS_EXPORTED = "service_requests.exported"
    QUEUE_VIEW_SAVED = "queue_view.saved"
    QUEUE_VIEW_RENAMED = "queue_view.renamed"
    QUEUE_VIEW_DELETED = "queue_view.deleted"
    STAFF_NOTIFICATIONS_READ = "staff_notifications.read"
    STAFF_NOTIFICATION_PREFERENCE_CHANGED = "staff_notification_preference.changed"
    # Customer satisfaction surveys (docs/adr/0038).
    SURVEY_SENT = "survey.sent"
    SURVEY_ANSWERED = "survey.answered"
    # Secure messages (messaging.services, ADR 45).
    MESSAGE_THREAD_STARTED = "message_thread.started"
    MESSAGE_THREAD_VIEWED = "message_thread.viewed"
    MESSAGE_THREAD_LISTED = "message_thread.listed"
    MESSAGE_SENT = "message.sent"
    MESSAGE_ATTACHMENT_ADDED = "message.attachment_added"
    MESSAGE_ATTACHMENT_VIEWED = "message.attachment_viewed"
    # Outcome metrics (docs/adr/0037): a table exported as CSV.
    METRICS_EXPORTED = "metrics.exported"
    # Response templates (response_templates.services, docs/adr/0033).
    TEMPLATE_CREATED = "response_template.created"
    TEMPLATE_VERSION_ADDED = "response_template.version_added"
    TEMPLATE_DEACTIVATED = "response_template.deactivated"
    TEMPLATE_REACTIVATED = "response_template.reactivated"
    # Cases and people.
    CASE_CREATED = "case.created"
    CASE_UPDATED = "case.updated"
    CASE_PROTECTION_REMOVED = "case.protection_removed"
    CASE_VIEWED = "case.viewed"
    CASE_LISTED = "case.listed"
    CASE_LOOKED_UP = "case.looked_up"
    CASE_STATUS_VIEWED = "case.status_viewed"  # a signed-in account on the public /status/ page
    CASE_ADDRESS_CHANGED = "case.address_changed"  # a change of address taken at intake
    PERSON_VIEWED = "person.viewed"
    PERSON_LISTED = "person.listed"
    PERSON_UPDATED = "person.updated"  # what a caller said at intake replaced what was on file
    # Customers' links to their records and representatives' Forms G-28 (ADR 27).
    CUSTOMER_LINK_CREATED = "customer_link.created"
    CUSTOMER_LINK_ENDED = "customer_link.ended"
    REPRESENTATION_RECORDED = "representation.recorded"
    REPRESENTATION_WITHDRAWN = "representation.withdrawn"
    # Online access codes (srmt.access_codes, ADR 43).
    ACCESS_CODE_ISSUED = "access_code.issued"
    ACCESS_CODE_REDEEMED = "access_code.redeemed"
    ACCESS_CODE_REFUSED = "access_code.refused"
    ACCESS_CODE_REVOKED = "access_code.revoked"
    ACCESS_CODE_REQUESTED = "access_code.requested"
    # Accounts: API tokens and sign-in.
    API_TOKEN_CREATED = "api_token.created"  # noqa: S105 (an action name, not a secret)
    API_TOKEN_REVOKED = "api_token.revoked"  # noqa: S105
    # The Case Status API (srmt.developer, ADR 0041).
    API_CLIENT_REGISTERED = "api_client.registered"
    CASE_STATUS_API_ANSWERED = "case.status_api_answered"
    USER_CREATED = "user.created"  # an account outside the agency (ADR 27)
    # A customer's or representative's contact preferences and G-28 identifier (ADR 42).
    PUBLIC_PROFILE_CREATED = "public_profile.created"
    PUBLIC_PROFILE_CHANGED = "public_profile.changed"
    USER_SIGNED_IN = "user.signed_in"
    USER_SIGNED_OUT = "user.signed_out"
    USER_SIGN_IN_FAILED = "user.sign_in_failed"
    USER_LOCKED_OUT = "user.locked_out"
    # The outbox, reference and synthetic data.
    NOTIFICATION_STALLED_RECOVERED = "notification.stalled_recovered"
    NOTIFICATION_HELD = "notification.held"  # the customer-delivery gate (ADR 26)
    NOTIFICATION_RELEASED = "notification.released"
    NOTIFICATION_BODY_REPLACED = "notification.body_replaced"  # a held message, before release
    REFERENCE_LOADED = "reference.loaded"
    DATA_GENERATED = "data.generated"
    # Configuration edited in the Django admin (audit.admin_mixins): model name, then verb.
    USER_ADDED_IN_ADMIN = "user.added_in_admin"
    USER_CHANGED_IN_ADMIN = "user.changed_in_admin"
    USER_DELETED_IN_ADMIN = "user.deleted_in_admin"
    OFFICE_ADDED_IN_ADMIN = "office.added_in_admin"
    OFFICE_CHANGED_IN_ADMIN = "office.changed_in_admin"
    OFFICE_DELETED_IN_ADMIN = "office.deleted_in_admin"
    FORMTYPE_ADDED_IN_ADMIN = "formtype.added_in_admin"
    FORMTYPE_CHANGED_IN_ADMIN = "formtype.changed_in_admin"
    FORMTYPE_DELETED_IN_ADMIN = "formtype.deleted_in_admin"
    PROCESSINGTIME_ADDED_IN_ADMIN = "processingtime.added_in_admin"
    PROCESSINGTIME_CHANGED_IN_ADMIN = "processingtime.changed_in_admin"
    PROCESSINGTIME_DELETED_IN_ADMIN = "processingtime.deleted_in_admin"
    ROUTINGRULE_ADDED_IN_ADMIN = "routingrule.added_in_admin"
    ROUTINGRULE_CHANGED_IN_ADMIN = "routingrule.changed_in_admin"
    ROUTINGRULE_DELETED_IN_ADMIN = "routingrule.deleted_in_admin"
    ZIPOFFICEOVERRIDE_ADDED_IN_ADMIN = "zipofficeoverride.added_in_admin"
    ZIPOFFICEOVERRIDE_CHANGED_IN_ADMIN = "zipofficeoverride.changed_in_admin"
    ZIPOFFICEOVERRIDE_DELETED_IN_ADMIN = "zipofficeoverride.deleted_in_admin"
    COUNTRYOFFICE_ADDED_IN_ADMIN = "countryoffice.added_in_admin"
    COUNTRYOFFICE_CHANGED_IN_ADMIN = "countryoffice.changed_in_admin"
    COUNTRYOFFICE_DELETED_IN_ADMIN = "countryoffice.deleted_in_admin"
    OTHERAGENCY_ADDED_IN_ADMIN = "otheragency.added_in_admin"
    OTHERAGENCY_CHANGED_IN_ADMIN = "otheragency.changed_in_admin"
    OTHERAGENCY_DELETED_IN_ADMIN = "otheragency.deleted_in_admin"
    REDIRECTTOPIC_ADDED_IN_ADMIN = "redirecttopic.added_in_admin"
    REDIRECTTOPIC_CHANGED_IN_ADMIN = "redirecttopic.changed_in_admin"
    REDIRECTTOPIC_DELETED_IN_ADMIN = "redirecttopic.deleted_in_admin"
    SERVICEREQUESTTYPE_ADDED_IN_ADMIN = "servicerequesttype.added_in_admin"
    SERVICEREQUESTTYPE_CHANGED_IN_ADMIN = "servicerequesttype.changed_in_admin"
    SERVICEREQUESTTYPE_DELETED_IN_ADMIN = "servicerequesttype.deleted_in_admin"
    ESCALATIONSTEP_ADDED_IN_ADMIN = "escalationstep.added_in_admin"
    ESCALATIONSTEP_CHANGED_IN_ADMIN = "escalationstep.changed_in_admin"
    ESCALATIONSTEP_DELETED_IN_ADMIN = "escalationstep.deleted_in_admin"
    EXPEDITECRITERION_ADDED_IN_ADMIN = "expeditecriterion.added_in_admin"
    EXPEDITECRITERION_CHANGED_IN_ADMIN = "expeditecriterion.changed_in_admin"
    EXPEDITECRITERION_DELETED_IN_ADMIN = "expeditecriterion.deleted_in_admin"
    REVIEWRULE_ADDED_IN_ADMIN = "reviewrule.added_in_admin"
    REVIEWRULE_CHANGED_IN_ADMIN = "reviewrule.changed_in_admin"
    REVIEWRULE_DELETED_IN_ADMIN = "reviewrule.deleted_in_admin"
    DEADLINEPOLICY_ADDED_IN_ADMIN = "deadlinepolicy.added_in_admin"
    DEADLINEPOLICY_CHANGED_IN_ADMIN = "deadlinepolicy.changed_in_admin"
    DEADLINEPOLICY_DELETED_IN_ADMIN = "deadlinepolicy.deleted_in_admin"
    OFFICECALENDAR_ADDED_IN_ADMIN = "officecalendar.added_in_admin"
    OFFICECALENDAR_CHANGED_IN_ADMIN = "officecalendar.changed_in_admin"
    OFFICECALENDAR_DELETED_IN_ADMIN = "officecalendar.deleted_in_admin"
    OFFICECLOSURE_ADDED_IN_ADMIN = "officeclosure.added_in_admin"
    # National QA review (srmt.qa.services).
    QA_SAMPLE_DRAWN = "qa.sample_drawn"
    QA_ASSIGNED = "qa.assigned"
    QA_EVALUATED = "qa.evaluated"
    QA_DISPUTED = "qa.disputed"
    QA_DISPUTE_DECIDED = "qa.dispute_decided"
    QA_EVALUATION_LISTED = "qa_evaluation.listed"
    SAMPLINGPOLICY_ADDED_IN_ADMIN = "samplingpolicy.added_in_admin"
    SAMPLINGPOLICY_CHANGED_IN_ADMIN = "samplingpolicy.changed_in_admin"
    SAMPLINGPOLICY_DELETED_IN_ADMIN = "samplingpolicy.deleted_in_admin"
    OFFICECLOSURE_CHANGED_IN_ADMIN = "officeclosure.changed_in_admin"
    OFFICECLOSURE_DELETED_IN_ADMIN = "officeclosure.deleted_in_admin"
    # e-Requests (srmt.erequests.services, ADR 44).
    EREQUEST_INFORMATION_ADDED = "erequest.information_added"


class UnknownAuditAction(ValueError):
    """A family helper was asked for an action that is not a member of AuditAction."""


def _member(value: str) -> AuditAction:
    try:
        return AuditAction(value)
    except ValueError:
        raise UnknownAuditAction(
            f"{value!r} is not an audit action: add it to srmt.audit.actions.AuditAction"
        ) from None


def admin_edit(model_name: str, verb: Literal["added", "changed", "deleted"]) -> AuditAction:
    """The action for an edit of this model in the Django admin (e.g. routingrule, changed)."""
    return _member(f"{model_name}.{verb}_in_admin")


def listed(object_type: str) -> AuditAction:
    """The action for a list of these objects shown to someone (audit.record_views)."""
    return _member(f"{object_type}.listed")


def viewed(object_type: str) -> AuditAction:
    """The action for one of these objects shown to someone in detail."""
    return _member(f"{object_type}.viewed")
