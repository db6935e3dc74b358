from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "srmt.audit"
    label = "audit"
    verbose_name = "Audit"
