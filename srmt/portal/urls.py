"""The public site's pages (issue 11). Signed-in pages use portal.access."""

from django.urls import path

from srmt.portal.views import home, status

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("status/", status.status, name="status"),
]
