from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "srmt.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # The outbox enqueues the delivery task, which builds on the outbox: handed over
        # here, so neither module imports the other both ways.
        from srmt.notifications import services, tasks

        services.set_delivery_task(tasks.deliver_notification)
