from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "srmt.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Registers the release policy check (ADR 26).
        # The outbox enqueues the delivery task, which builds on the outbox: handed over
        # here, so neither module imports the other both ways (ADR 25).
        from srmt.notifications import (
            checks,  # noqa: F401
            services,
            tasks,
        )

        services.set_delivery_task(tasks.deliver_notification)
