from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "srmt.offices"
    label = "offices"
    verbose_name = "Offices and forms"

    def ready(self) -> None:
        from srmt.core.snapshots import invalidate_on_change
        from srmt.offices.models import CountryOffice, Office, RoutingRule, ZipOfficeOverride

        invalidate_on_change(Office, "offices")
        invalidate_on_change(Office, "field_offices")
        invalidate_on_change(RoutingRule, "routing_rules")
        invalidate_on_change(ZipOfficeOverride, "zip_overrides")
        invalidate_on_change(CountryOffice, "country_offices")
