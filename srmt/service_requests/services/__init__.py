"""Every write to service requests. Views, API, admin and commands all call these.

One module per group of business actions, over the public core (`service_requests.core`:
locking, text cleaning, lifecycle moves, version bumps). Each function is atomic, takes the
acting user, checks access, and writes its audit event and the request's version bump in the
same transaction. Messages to customers go to the notifications outbox and are sent after
commit. Callers use the names below (`services.add_response(...)`), not the modules.
"""

from srmt.service_requests.core import MAX_TEXT
from srmt.service_requests.services.assignment import assign_request
from srmt.service_requests.services.intake import submit_request
from srmt.service_requests.services.notes import add_note
from srmt.service_requests.services.responses import add_response
from srmt.service_requests.services.transitions import transition_request
from srmt.service_requests.services.updates import update_request
from srmt.service_requests.services.viewing import record_view
from srmt.service_requests.submission import Submission

__all__ = [
    "MAX_TEXT",
    "Submission",
    "add_note",
    "add_response",
    "assign_request",
    "record_view",
    "submit_request",
    "transition_request",
    "update_request",
]
