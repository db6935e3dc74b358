from django.apps import AppConfig
from django.db.backends.signals import connection_created


class OutcomesConfig(AppConfig):
    name = "srmt.outcomes"
    label = "outcomes"
    verbose_name = "Outcome metrics"

    def ready(self) -> None:
        from srmt.outcomes.sql import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="srmt-outcomes-sql")
