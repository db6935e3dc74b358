from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "srmt.sla"
    label = "sla"
    verbose_name = "Deadlines"

    def ready(self) -> None:
        from srmt.core.snapshots import invalidate_on_change
        from srmt.sla.models import DeadlinePolicy, OfficeCalendar, OfficeClosure

        invalidate_on_change(DeadlinePolicy, "deadline_policies")
        invalidate_on_change(OfficeCalendar, "office_calendars")
        invalidate_on_change(OfficeClosure, "office_calendars")
