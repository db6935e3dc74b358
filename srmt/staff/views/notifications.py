"""The staff notifications page (mark read, mark all read) and the notification settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.core.errors import DomainError
from srmt.staff import home as home_reads
from srmt.staff import submissions
from srmt.staff.submissions import one_time_submission
from srmt.staff.views.common import call_service, refuse, staff_user
from srmt.staff.workspace_forms import NotificationSettingsForm
from srmt.workspace import services as workspace

PAGE_SIZE = 25


def _viewer(request: HttpRequest) -> User:
    """Notifications are about requests: roles that see none have none."""
    user = staff_user(request)
    if not user.can(Capability.VIEW):
        raise refuse()
    return user


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, _viewer(request))


def _list_page(request: HttpRequest, user: User, *, error: str = "") -> HttpResponse:
    notifications = home_reads.visible_notifications(user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/notifications.html",
        {"page": page, "unread": home_reads.unread_count(user), "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
@one_time_submission
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (`id`), or every one the user can see (`all`)."""
    user = _viewer(request)
    visible = home_reads.visible_notifications(user).values_list("pk", flat=True)
    try:
        with submissions.service_call():
            if request.POST.get("all"):
                count = workspace.mark_all_read(user, visible=list(visible))
            else:
                ids = [i for i in request.POST.getlist("id") if i.isdigit()]
                count = workspace.mark_read(user, [int(i) for i in ids if int(i) in set(visible)])
    except DomainError as exc:
        return _list_page(request, user, error=exc.message)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked read.",
                "%(count)d notifications marked read.",
                count,
            )
            % {"count": count},
        )
    return redirect("staff:notifications")


@login_required
@require_http_methods(["GET", "POST"])
@one_time_submission
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST)
        saved = None
        if form.is_valid():
            saved = call_service(
                form, workspace.set_email_preference, user, email=form.cleaned_data["email"]
            )
        if saved is not None:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("staff:notification-settings")
    else:
        form = NotificationSettingsForm(initial={"email": workspace.wants_email(user)})
    return render(request, "staff/notification_settings.html", {"form": form})
