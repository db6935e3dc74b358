from django.apps import AppConfig


class ServiceRequestsConfig(AppConfig):
    name = "srmt.service_requests"
    label = "service_requests"
    verbose_name = "Service requests"
