from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "srmt.api"
    label = "api"
    verbose_name = "REST API"
