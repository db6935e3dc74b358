from django.apps import AppConfig


class SeedConfig(AppConfig):
    name = "srmt.seed"
    label = "seed"
    verbose_name = "Reference and demo data"
