from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "srmt.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Registers the release policy check (ADR 26).
        from srmt.notifications import checks  # noqa: F401
