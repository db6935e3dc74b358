"""Top-level URLs: staff pages, the REST API, the admin, health and i18n."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("srmt.api.urls")),
    path("", include("srmt.staff.auth_urls")),
    path("", include("srmt.staff.urls")),
]
