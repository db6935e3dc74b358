"""Top-level URLs: the public site (the home page), staff pages under /staff/, the REST
API, the admin, health and i18n."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("srmt.api.urls")),
    # Staff pages and their sign-in (issue 11: the public site is the home page).
    path("staff/", include("srmt.staff.auth_urls")),
    path("staff/", include("srmt.staff.urls")),
    # Customers' and representatives' sign-up, sign-in, password reset and MFA
    # (django-allauth, docs/adr/0042); before the portal, whose account page is under it.
    path("account/", include("allauth.urls")),
    # The customer's satisfaction survey: public, opened by its signed link (ADR 0038).
    path("", include("srmt.surveys.urls")),
    # The Case Status API at the agency's paths and its developer page (ADR 0041).
    path("", include("srmt.developer.urls")),
    # The public site: customers, representatives and the public reports.
    path("", include("srmt.portal.urls")),
]

# API paths get problem details without rendering a page (srmt/api/handlers.py), staff paths
# the staff pages, the public site its own pages (srmt/error_pages.py, ADR 0040).
handler400 = "srmt.error_pages.bad_request"
handler403 = "srmt.error_pages.permission_denied"
handler404 = "srmt.error_pages.page_not_found"
handler500 = "srmt.error_pages.server_error"
