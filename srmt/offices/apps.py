from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "srmt.offices"
    label = "offices"
    verbose_name = "Offices and forms"
