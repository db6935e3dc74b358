"""The public site's error pages: 403, 404 and 500 in the public style, in the reader's
language (the 429 page is the status view's, portal.views.status.too_many_requests).

Used for every path that is not a staff page, the admin or the API (`is_public_page`): staff
paths keep the staff pages and API paths keep problem+json (srmt/error_pages.py chooses).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from srmt.core.problems import is_api_request
from srmt.portal.context import CONTACT_LINES

NOT_PUBLIC_PREFIXES = ("/staff/", "/admin/")


def is_public_page(request: HttpRequest) -> bool:
    return not (is_api_request(request) or request.path_info.startswith(NOT_PUBLIC_PREFIXES))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "portal/errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "portal/errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context, as Django's own 500 view is: whatever
    failed (a context processor, the session) must not fail this page too."""
    template = loader.get_template("portal/errors/500.html")
    context = {"agency_name": settings.SRMT_AGENCY_NAME, "contact_lines": CONTACT_LINES}
    return HttpResponseServerError(template.render(context))
