"""The public site's pages (issue 11). Signed-in pages use portal.access."""

from django.urls import path

from srmt.portal.views import (
    access_codes,
    account,
    cases,
    clients,
    guest,
    home,
    messages,
    open_data,
    reports,
    requests,
    status,
)

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/new/", requests.request_new, name="request-new"),
    path(
        "requests/new/<str:receipt_number>/<str:type_code>/",
        requests.request_new_type,
        name="request-new-type",
    ),
    path("requests/<str:reference>/", requests.request_detail, name="request"),
    path("account/profile/", account.account, name="account"),
    path("clients/", clients.clients, name="clients"),
    path("status/", status.status, name="status"),
    path("e-request/", guest.guest_erequest, name="erequest-guest"),
    path("e-request/sent/", guest.guest_erequest_sent, name="erequest-guest-sent"),
    path("messages/", messages.inbox, name="messages"),
    path("messages/new/", messages.new_thread, name="message-new"),
    path("messages/<int:thread_id>/", messages.thread, name="message-thread"),
    path("messages/files/<int:attachment_id>/", messages.attachment, name="message-attachment"),
    path("cases/", cases.case_list, name="cases"),
    path("cases/link/", cases.link_case, name="link-case"),
    path("cases/<str:receipt_number>/", cases.case_detail, name="case"),
    path("access-codes/new/", access_codes.request_code, name="access-code-request"),
    path(
        "access-codes/new/<str:reference>/",
        access_codes.requested,
        name="access-code-requested",
    ),
    # Open data (issue 12, ADR 50): the page, the data package, each table's files, and the
    # DCAT-US catalogue at the site root, where catalogue harvesters look for it.
    path("data/", open_data.open_data, name="open-data"),
    path("data/datapackage.json", open_data.data_package, name="open-data-package"),
    path("data/<slug:slug>.csv", open_data.table_csv, name="open-data-csv"),
    path("data/<slug:slug>.json", open_data.table_json, name="open-data-json"),
    path("data.json", open_data.catalog, name="open-data-catalog"),
    path("reports/", reports.index, name="reports"),
    path("reports/about/", reports.about, name="reports-about"),
    path("reports/<slug:page>/", reports.topic, name="report"),
]
