"""Staff pages. Every page needs a signed-in member of staff (see tests/test_url_auth.py)."""

from django.urls import path

from srmt.staff.views import (
    assessment,
    attachments,
    dashboards,
    expedites,
    intake,
    library,
    messages,
    notifications,
    outcomes,
    people,
    qa,
    queues,
    requests,
    reviews,
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
    path(
        "requests/<str:reference>/respond/template/",
        library.respond_with_template,
        name="request-respond-template",
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
    path("requests/<str:reference>/messages/", messages.request_messages, name="request-messages"),
    path("messages/files/<int:attachment_id>/", messages.attachment, name="message-attachment"),
    path(
        "requests/<str:reference>/attachments/<int:attachment_id>/",
        attachments.download,
        name="request-attachment",
    ),
    # Supervisory review of responses (docs/adr/0035).
    path("reviews/", reviews.review_queue, name="review-queue"),
    path("reviews/<int:review_id>/", reviews.review_detail, name="review-detail"),
    path("reviews/<int:review_id>/approve/", reviews.approve, name="review-approve"),
    path("reviews/<int:review_id>/return/", reviews.return_to_author, name="review-return"),
    path("reviews/<int:review_id>/resubmit/", reviews.resubmit, name="review-resubmit"),
    path("intake/", intake.lookup, name="intake"),
    path("intake/new/", intake.new_request, name="intake-new"),
    path("search/", search.search, name="search"),
    path("people/<int:person_id>/", people.person_detail, name="person-detail"),
    path("statistics/", queues.statistics, name="statistics"),
    # The managers' dashboards (docs/adr/0051).
    path("dashboards/", dashboards.national, name="dashboards"),
    path("dashboards/<str:office_code>/", dashboards.office, name="dashboard-office"),
    # The response template library (docs/adr/0033).
    path("templates/", library.template_list, name="template-list"),
    path("templates/new/", library.template_new, name="template-new"),
    path("templates/<slug:code>/", library.template_detail, name="template-detail"),
    path("templates/<slug:code>/edit/", library.template_edit, name="template-edit"),
    path("templates/<slug:code>/active/", library.template_active, name="template-active"),
    # National QA review (docs/adr/0036).
    path("qa/", qa.index, name="qa-index"),
    path("qa/samples/<int:sample_id>/", qa.sample_detail, name="qa-sample"),
    path("qa/assignments/<int:assignment_id>/", qa.score, name="qa-score"),
    path("qa/mine/", qa.my_results, name="qa-mine"),
    path("qa/evaluations/<int:evaluation_id>/", qa.evaluation_detail, name="qa-evaluation"),
    path("qa/evaluations/<int:evaluation_id>/dispute/", qa.dispute, name="qa-dispute"),
    path("qa/disputes/<int:dispute_id>/decision/", qa.decide, name="qa-decide"),
    path("qa/dashboard/", qa.dashboard, name="qa-dashboard"),
    path("qa/dashboard.csv", qa.dashboard_csv, name="qa-dashboard-csv"),
    # Outcome metrics and satisfaction (docs/adr/0037, 0038).
    path("quality/outcomes/", outcomes.outcomes, name="outcomes"),
    path("quality/outcomes/export.csv", outcomes.outcomes_csv, name="outcomes-export"),
    path("account/tokens/", tokens.api_tokens, name="api-tokens"),
    path(
        "account/tokens/<str:prefix>/revoke/",
        tokens.revoke_api_token,
        name="api-token-revoke",
    ),
]
