"""The default eligibility, as data: every self-service type on every form (ADR 0044).

`srmt seed` calls load_defaults(); rows that exist are left as an administrator set them.
"""

from __future__ import annotations

from srmt.erequests.models import Eligibility
from srmt.offices.models import FormType

OUTSIDE_NORMAL_PROCESSING_TIME = "outside_normal_processing_time"
NOT_RECEIVED = "notice_not_received"
TYPOGRAPHIC_ERROR = "typographic_error"
CHANGE_OF_ADDRESS = "change_of_address"
ACCOMMODATION = "accommodation_request"

# type code -> (without an account, days after mailing for "not received")
DEFAULTS: dict[str, tuple[bool, int | None]] = {
    OUTSIDE_NORMAL_PROCESSING_TIME: (True, None),
    NOT_RECEIVED: (True, 30),
    TYPOGRAPHIC_ERROR: (False, None),
    CHANGE_OF_ADDRESS: (False, None),
    ACCOMMODATION: (True, None),
}
SELF_SERVICE_TYPES = tuple(DEFAULTS)


def load_defaults() -> int:
    """Write the missing rows; returns how many were written."""
    existing = set(Eligibility.objects.values_list("form_type_id", "request_type"))
    rows = [
        Eligibility(
            form_type=form,
            request_type=code,
            is_allowed=True,
            without_account=without_account,
            wait_days=wait_days,
        )
        for form in FormType.objects.all()
        for code, (without_account, wait_days) in DEFAULTS.items()
        if (form.pk, code) not in existing
    ]
    Eligibility.objects.bulk_create(rows)
    return len(rows)
