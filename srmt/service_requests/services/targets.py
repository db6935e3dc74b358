"""Where a hand move sends a request: the office of a transfer, the original of a duplicate."""

from __future__ import annotations

from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.offices.models import Office
from srmt.service_requests import policies
from srmt.service_requests.errors import InvalidDuplicate, InvalidTransfer
from srmt.service_requests.models import ServiceRequest


def transfer_target(sr: ServiceRequest, office_code: str) -> Office:
    """The active office named by `office_code`, other than the one holding `sr`."""
    office = Office.objects.filter(code__iexact=(office_code or "").strip(), is_active=True).first()
    if office is None:
        raise InvalidTransfer(
            _("Choose an active office to transfer the request to."), field="office"
        )
    if office.pk == sr.office_id:
        raise InvalidTransfer(
            _("The request is already at %(office)s.") % {"office": office.code}, field="office"
        )
    return office


def duplicate_target(sr: ServiceRequest, reference: str, actor: User) -> ServiceRequest:
    """Another request `actor` can see, not itself merged, that `sr` duplicates."""
    original = (
        policies.visible_requests(actor).filter(reference=(reference or "").strip().upper()).first()
    )
    if original is None or original.pk == sr.pk:
        raise InvalidDuplicate(
            _("Give the reference of another request you can see."), field="duplicate_of"
        )
    merged_into = original.duplicate_of
    if merged_into is not None:
        raise InvalidDuplicate(
            _("That request is itself merged into %(ref)s.") % {"ref": merged_into.reference},
            field="duplicate_of",
        )
    return original
