from django.apps import AppConfig


class QaConfig(AppConfig):
    name = "srmt.qa"
    label = "qa"
    verbose_name = "National QA review"
