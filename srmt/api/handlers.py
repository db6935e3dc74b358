"""Django's error views for the whole site, with API paths answered as problem+json.

Django answers an unknown address, a refused or broken request and a crash outside a view
with its error views. For API paths these answer problem details directly, without rendering
a page: an HTML page would need its templates and static files (a deployment that skipped
`collectstatic` fails while rendering it, and the client then gets the web server's own 500),
and an API client must never have to parse a page. Other paths get Django's pages.
ApiProblemMiddleware covers what still arrives as HTML (e.g. DEBUG's technical pages).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views import defaults

from srmt.api.middleware import problem_for
from srmt.core.problems import is_api_request


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return problem_for(400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return problem_for(403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return problem_for(404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return problem_for(500)
    return defaults.server_error(request)
