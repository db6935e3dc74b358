from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "srmt.surveys"
    label = "surveys"
    verbose_name = "Customer satisfaction surveys"
