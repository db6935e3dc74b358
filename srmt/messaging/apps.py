from django.apps import AppConfig


class MessagingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "srmt.messaging"
    verbose_name = "Secure messaging"
