"""The daily digest of detections to the offices concerned (ADR 0051).

For each office touched by a new or ongoing detection (its series is the office's, or the
office stands out inside it), one email a day to each of the office's active supervisors
with an email address, in their language: the detections' explanations and a link to the
office's dashboard. It leaves through the staff email path (`notify_staff`: no delivery
gate, sent after the transaction commits). A `DigestSent` row per day, office and recipient,
written in the same transaction, keeps it from leaving twice: a second run the same day
sends nothing. A confidential unit's digest goes to cleared supervisors only; explanations
never name a unit (they fold it into its parent office).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.notifications.choices import MessageKind
from srmt.notifications.internal import notify_staff
from srmt.offices.models import Office
from srmt.reporting.models import Detection, DigestSent


@dataclass
class DigestResult:
    offices: int = 0  # offices touched by a new or ongoing detection
    sent: int = 0
    already_sent: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"offices": self.offices, "sent": self.sent, "already_sent": self.already_sent}


def current(today: dt.date) -> list[Detection]:
    """The detections new today or still going on the last complete day (yesterday)."""
    start_of_day = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    yesterday = today - dt.timedelta(days=1)
    return list(
        Detection.objects.filter(Q(detected_at__gte=start_of_day) | Q(end__gte=yesterday))
        .select_related("office")
        .order_by("start", "series", "direction")
    )


def touched_offices(detections: list[Detection]) -> dict[str, list[Detection]]:
    """Office code -> the detections touching it: on its series, or naming it inside."""
    touched: dict[str, list[Detection]] = defaultdict(list)
    for detection in detections:
        codes = {detection.office.code} if detection.office is not None else set()
        codes |= {
            str(part.get("value"))
            for part in detection.contributors
            if isinstance(part, dict) and part.get("dimension") == "office"
        }
        for code in sorted(codes):
            touched[code].append(detection)
    return dict(touched)


def supervisors(office: Office) -> list[User]:
    """Active supervisors of `office` with an email; cleared ones only for a confidential unit."""
    people = User.objects.filter(role=Role.SUPERVISOR, is_active=True, offices=office).exclude(
        email=""
    )
    if office.is_confidential:
        people = people.filter(is_1367_cleared=True)
    return list(people.distinct().order_by("pk"))


def dashboard_link(office: Office) -> str:
    path = reverse("staff:dashboard-office", args=[office.code])
    return f"{settings.SRMT_STAFF_BASE_URL}{path}"


def compose(office: Office, detections: list[Detection], language: str) -> tuple[str, str]:
    """Subject and body of one office's digest in `language`."""
    with translation.override(language):
        count = len(detections)
        subject = ngettext(
            "%(count)d unusual number of requests at %(office)s",
            "%(count)d unusual numbers of requests at %(office)s",
            count,
        ) % {"count": count, "office": office.code}
        lines = [
            _("The daily check of the numbers of requests opened found this at %(office)s:")
            % {"office": f"{office.code} {office.name}"},
            "",
        ]
        for detection in detections:
            text = detection.explanation_es if language == "es" else detection.explanation_en
            lines += [f"- {text}", ""]
        lines += [
            _("The office's dashboard: %(link)s") % {"link": dashboard_link(office)},
            "",
            _("You receive this email because you supervise %(office)s.") % {"office": office.code},
        ]
        return subject, "\n".join(lines)


def send_digests(today: dt.date | None = None) -> DigestResult:
    """Send today's digests that have not left yet (idempotent)."""
    today = today or timezone.now().date()
    result = DigestResult()
    touched = touched_offices(current(today))
    offices = Office.objects.in_bulk(list(touched), field_name="code")
    for code in sorted(touched):
        office = offices.get(code)
        if office is None:
            continue
        result.offices += 1
        detections = touched[code]
        for user in supervisors(office):
            if DigestSent.objects.filter(day=today, office=office, recipient=user).exists():
                result.already_sent += 1
                continue
            subject, body = compose(office, detections, user.language)
            try:
                with transaction.atomic():
                    DigestSent.objects.create(
                        day=today,
                        office=office,
                        recipient=user,
                        detections=len(detections),
                        sent_at=timezone.now(),
                    )
                    notify_staff(
                        kind=MessageKind.DETECTION_DIGEST,
                        to_address=user.email,
                        subject=subject,
                        body=body,
                        language=user.language,
                        related_reference="",
                        is_confidential=office.is_confidential,
                    )
            except IntegrityError:  # another run sent it a moment ago
                result.already_sent += 1
                continue
            result.sent += 1
    return result
