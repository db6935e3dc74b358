"""The public site's pages (issue 11). Signed-in pages use portal.access."""

from django.urls import path

from srmt.portal.views import access_codes, cases, home

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("cases/", cases.case_list, name="cases"),
    path("cases/link/", cases.link_case, name="link-case"),
    path("cases/<str:receipt_number>/", cases.case_detail, name="case"),
    path("access-codes/new/", access_codes.request_code, name="access-code-request"),
    path(
        "access-codes/new/<str:reference>/",
        access_codes.requested,
        name="access-code-requested",
    ),
]
