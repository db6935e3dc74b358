"""Django's error views for the whole site: one place chooses who answers.

API paths answer problem+json and staff paths (and the admin) the staff pages
(srmt.api.handlers); every other path is the public site's and gets its pages in the public
style (srmt.portal.views.errors). Here, above the apps, because neither UI app may import
the other (import-linter's layers).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from srmt.api import handlers as staff_and_api
from srmt.portal.views import errors as public


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return staff_and_api.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if public.is_public_page(request):
        return public.permission_denied(request, exception)
    return staff_and_api.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if public.is_public_page(request):
        return public.page_not_found(request, exception)
    return staff_and_api.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if public.is_public_page(request):
        return public.server_error(request)
    return staff_and_api.server_error(request)
