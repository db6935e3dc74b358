from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "srmt.backoffice"
    label = "backoffice"
    verbose_name = "Records (read-only)"
