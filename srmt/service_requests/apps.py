from django.apps import AppConfig


class ServiceRequestsConfig(AppConfig):
    name = "srmt.service_requests"
    label = "service_requests"
    verbose_name = "Service requests"

    def ready(self) -> None:
        from srmt.core.snapshots import invalidate_on_change
        from srmt.service_requests.models import ServiceRequestType

        invalidate_on_change(ServiceRequestType, "request_types")
