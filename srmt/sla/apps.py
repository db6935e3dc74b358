from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "srmt.sla"
    label = "sla"
    verbose_name = "Deadlines"
