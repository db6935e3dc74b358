from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "srmt.staff"
    label = "staff"
    verbose_name = "Staff pages"
