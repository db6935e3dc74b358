from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "srmt.outcomes"
    label = "outcomes"
    verbose_name = "Outcome metrics"
