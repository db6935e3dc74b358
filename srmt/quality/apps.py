from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "srmt.quality"
    label = "quality"
    verbose_name = "New-information check"
