"""Staff pages. Every page needs a signed-in member of staff (see tests/test_url_auth.py)."""

from django.urls import path

from srmt.staff.views import (
    assessment,
    attachments,
    expedites,
    intake,
    notifications,
    people,
    queues,
    requests,
    search,
    tokens,
)

app_name = "staff"
urlpatterns = [
    path("", queues.home, name="home"),
    path("queues/", queues.queue_index, name="queue-index"),
    path("queues/<str:office_code>/", queues.queue, name="queue"),
    # The workspace (docs/adr/0031): export, bulk actions, saved views, notifications.
    path("queues/<str:office_code>/export.csv", queues.export_csv, name="queue-export"),
    path("queues/<str:office_code>/bulk/", queues.bulk_action, name="queue-bulk"),
    path("queues/<str:office_code>/views/", queues.save_view, name="queue-view-save"),
    path("views/<int:view_id>/rename/", queues.rename_view, name="queue-view-rename"),
    path("views/<int:view_id>/delete/", queues.delete_view, name="queue-view-delete"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.mark_read, name="notifications-read"),
    path(
        "notifications/settings/",
        notifications.notification_settings,
        name="notification-settings",
    ),
    path("requests/<str:reference>/", requests.request_detail, name="request-detail"),
    path("requests/<str:reference>/changes/", requests.request_changes, name="request-changes"),
    path("requests/<str:reference>/respond/", requests.respond, name="request-respond"),
    path(
        "requests/<str:reference>/respond/assess/",
        assessment.assess_draft,
        name="request-respond-assess",
    ),
    path("requests/<str:reference>/note/", requests.add_note, name="request-note"),
    path("requests/<str:reference>/status/", requests.transition, name="request-transition"),
    path("requests/<str:reference>/assign/", requests.assign, name="request-assign"),
    path(
        "requests/<str:reference>/redirect/",
        requests.redirect_request,
        name="request-redirect",
    ),
    path("requests/<str:reference>/expedite/", expedites.expedite_page, name="request-expedite"),
    path(
        "requests/<str:reference>/expedite/decide/",
        expedites.decide,
        name="request-expedite-decide",
    ),
    path("requests/<str:reference>/attachments/", attachments.upload, name="request-attachments"),
    path(
        "requests/<str:reference>/attachments/<int:attachment_id>/",
        attachments.download,
        name="request-attachment",
    ),
    path("intake/", intake.lookup, name="intake"),
    path("intake/new/", intake.new_request, name="intake-new"),
    path("search/", search.search, name="search"),
    path("people/<int:person_id>/", people.person_detail, name="person-detail"),
    path("statistics/", queues.statistics, name="statistics"),
    path("account/tokens/", tokens.api_tokens, name="api-tokens"),
    path(
        "account/tokens/<str:prefix>/revoke/",
        tokens.revoke_api_token,
        name="api-token-revoke",
    ),
]
