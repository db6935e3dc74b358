"""Background tasks for notifications. Tasks take ids and are idempotent."""

from django_tasks import task

from srmt.notifications import services


@task()
def deliver_notification(notification_id: int) -> str:
    result = services.deliver(notification_id)
    if result == "failed":
        services.schedule_retry(notification_id)
    return result
