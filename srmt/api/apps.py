from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "srmt.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        # Registers the deployment checks.
        from srmt.api import checks  # noqa: F401
