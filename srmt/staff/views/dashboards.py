"""The managers' dashboards, `/staff/dashboards/` (national) and
`/staff/dashboards/<office code>/` (docs/adr/0051).

National: whoever may read aggregate counts (supervisors, QA reviewers, analysts,
administrators). An office: the same, and office staff for their own offices. An office the
reader may not see is a 404; a reader with no dashboard at all gets the 403 page. Counts
drill down to the office's queue with the matching filter for whoever may open that queue;
the workload per member of staff is shown only to those who may view requests (analysts
see counts without names). The open stock comes from the snapshot taken with the rollups,
whose time the page gives (reporting.dashboards); the queues it links to are live.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.offices.models import Office
from srmt.reporting import dashboards
from srmt.reporting.dashboards import AGE_BUCKETS, Dashboard, Week
from srmt.staff import selectors
from srmt.staff.views.common import refuse, staff_user

CHART_WIDTH = 520
CHART_HEIGHT = 160


@dataclass(frozen=True)
class Figure:
    label: str
    count: int
    url: str = ""  # the queue filtered on it, for whoever may open the queue


def age_labels() -> dict[str, str]:
    return {
        "0-7": _("0 to 7 days"),
        "8-15": _("8 to 15 days"),
        "16-30": _("16 to 30 days"),
        "31-60": _("31 to 60 days"),
        "61+": _("More than 60 days"),
    }


def _queue_link(base: str, **query: str) -> str:
    return f"{base}?{urlencode(query)}" if base else ""


def _points(weeks: list[Week], values: list[int]) -> str:
    """An SVG polyline's points for `values`, scaled to the chart (largest value on top)."""
    top = max([1, *[w.opened for w in weeks], *[w.closed for w in weeks]])
    step = CHART_WIDTH / max(1, len(values) - 1)
    return " ".join(
        f"{round(i * step, 1)},{round(CHART_HEIGHT - v * CHART_HEIGHT / top, 1)}"
        for i, v in enumerate(values)
    )


def _figures(board: Dashboard, queue: str) -> dict[str, object]:
    """The counts, each with its link to the office's queue (when `queue` is given)."""
    labels = age_labels()
    return {
        "ages": [
            Figure(labels[key], board.ages.get(key, 0), _queue_link(queue, age=key))
            for key, _first, _last in AGE_BUCKETS
        ],
        "states": [
            Figure(_("On track"), board.on_track),
            Figure(_("At risk"), board.at_risk, _queue_link(queue, at_risk="on")),
            Figure(_("Overdue"), board.overdue, _queue_link(queue, overdue="on")),
        ],
        "escalations": [
            Figure(
                _("Level %(level)s") % {"level": level}, count, _queue_link(queue, escalated="on")
            )
            for level, count in board.escalations
        ],
        "unassigned": Figure(
            _("Unassigned"), board.unassigned, _queue_link(queue, assigned="unassigned")
        ),
    }


def _chart(weeks: list[Week]) -> dict[str, object]:
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "opened": _points(weeks, [w.opened for w in weeks]),
        "closed": _points(weeks, [w.closed for w in weeks]),
    }


def _context(user: User, board: Dashboard, offices: list[Office]) -> dict[str, object]:
    office = board.office
    queue = ""
    if office is not None and selectors.queue_offices(user).filter(pk=office.pk).exists():
        queue = reverse("staff:queue", args=[office.code])
    spanish = (get_language() or "en").startswith("es")
    return {
        **_figures(board, queue),
        "board": board,
        "office": office,
        "offices": offices,
        "queue_url": queue,
        "reviews_url": reverse("staff:review-queue")
        if user.can(Capability.REVIEW_RESPONSES)
        else "",
        "show_workload": user.can(Capability.VIEW),
        "detections": [
            (d, d.explanation_es if spanish else d.explanation_en) for d in board.detections
        ],
        "weeks": board.weeks,
        "chart": _chart(board.weeks),
        "folded": not user.is_1367_cleared,
        "national_url": reverse("staff:dashboards") if dashboards.may_see_national(user) else "",
    }


@login_required
@require_GET
def national(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    offices = list(dashboards.dashboard_offices(user))
    code = request.GET.get("office", "").strip()
    if code:  # the office picker's target
        if not any(o.code == code for o in offices):
            raise Http404
        return redirect("staff:dashboard-office", office_code=code)
    if not dashboards.may_see_national(user):
        if offices:
            return redirect("staff:dashboard-office", office_code=offices[0].code)
        raise refuse()
    board = dashboards.dashboard(user, None, now=timezone.now())
    return render(request, "staff/dashboard.html", _context(user, board, offices))


@login_required
@require_GET
def office(request: HttpRequest, office_code: str) -> HttpResponse:
    user = staff_user(request)
    offices = list(dashboards.dashboard_offices(user))
    if not offices and not dashboards.may_see_national(user):
        raise refuse()
    chosen = next((o for o in offices if o.code == office_code), None)
    if chosen is None:
        raise Http404
    board = dashboards.dashboard(user, chosen, now=timezone.now())
    return render(request, "staff/dashboard.html", _context(user, board, offices))
