"""The public site's pages (issue 11). Signed-in pages use portal.access."""

from django.urls import path

from srmt.portal.views import account, clients, home

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("account/profile/", account.account, name="account"),
    path("clients/", clients.clients, name="clients"),
]
