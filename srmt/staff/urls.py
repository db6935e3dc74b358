"""Staff pages. Every page needs a signed-in member of staff (see tests/test_url_auth.py)."""

from django.urls import path

from srmt.staff.views import intake, queues, requests

app_name = "staff"
urlpatterns = [
    path("", queues.home, name="home"),
    path("queues/", queues.queue_index, name="queue-index"),
    path("queues/<str:office_code>/", queues.queue, name="queue"),
    path("requests/<str:reference>/", requests.request_detail, name="request-detail"),
    path("requests/<str:reference>/respond/", requests.respond, name="request-respond"),
    path("requests/<str:reference>/note/", requests.add_note, name="request-note"),
    path("requests/<str:reference>/status/", requests.transition, name="request-transition"),
    path("requests/<str:reference>/assign/", requests.assign, name="request-assign"),
    path("intake/", intake.lookup, name="intake"),
    path("intake/new/", intake.new_request, name="intake-new"),
    path("statistics/", queues.statistics, name="statistics"),
]
