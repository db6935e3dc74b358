"""The public site's pages (issue 11). Signed-in pages use portal.access."""

from django.urls import path

from srmt.portal.views import home, messages

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("messages/", messages.inbox, name="messages"),
    path("messages/new/", messages.new_thread, name="message-new"),
    path("messages/<int:thread_id>/", messages.thread, name="message-thread"),
    path("messages/files/<int:attachment_id>/", messages.attachment, name="message-attachment"),
]
