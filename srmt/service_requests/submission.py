"""A submission: what intake is given to record a new request (services.submit_request).

Below intake and the extras it checks (intake_extras, expedite_intake, repeats), which all
read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import File

from srmt.service_requests.address_changes import NewAddress
from srmt.service_requests.choices import Urgency
from srmt.service_requests.expedite_intake import ExpediteData
from srmt.service_requests.repeats import RepeatChoice
from srmt.service_requests.requesters import RequesterData


@dataclass(frozen=True)
class Submission:
    type: str
    channel: str
    description: str
    requester: RequesterData
    receipt_number: str = ""
    urgency: str = Urgency.NORMAL
    expedite: ExpediteData | None = None  # for expedite requests (service_requests.expedites)
    repeat: RepeatChoice | None = None  # what to do with likely repeats (.repeats)
    # The worker saw that the person on file differs from what the caller said and chose to
    # keep the record on file; by default what the caller just said wins (ADR 28).
    keep_person_on_file: bool = False
    new_address: NewAddress | None = None  # for a change of address (address_changes)
    attachments: tuple[File[bytes], ...] = ()  # evidence files (attachments.add_at_intake)
