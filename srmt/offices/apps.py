from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "srmt.offices"
    label = "offices"
    verbose_name = "Offices and forms"

    def ready(self) -> None:
        from srmt.core.snapshots import invalidate_on_change
        from srmt.offices.models import Office

        invalidate_on_change(Office, "offices")
