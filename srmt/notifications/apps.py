from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "srmt.notifications"
    label = "notifications"
    verbose_name = "Notifications"
