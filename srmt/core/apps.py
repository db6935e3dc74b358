from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "srmt.core"
    label = "core"
    verbose_name = "Core"
