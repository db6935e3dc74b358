from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "srmt.idempotency"
    label = "idempotency"
    verbose_name = "Idempotency"
