"""Background tasks for notifications. Tasks take ids and are idempotent."""

from django_tasks import task

from srmt.notifications import services


@task()
def deliver_notification(notification_id: int) -> str:
    return services.deliver(notification_id)
