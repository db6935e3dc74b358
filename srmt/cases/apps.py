from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "srmt.cases"
    label = "cases"
    verbose_name = "Cases and people"
