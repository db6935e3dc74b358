from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "srmt.search"
    label = "search"
    verbose_name = "Search and the person view"
