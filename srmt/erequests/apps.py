from django.apps import AppConfig


class ErequestsConfig(AppConfig):
    name = "srmt.erequests"
    label = "erequests"
    verbose_name = "e-Requests"
    default_auto_field = "django.db.models.BigAutoField"
