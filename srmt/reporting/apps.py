from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """Public reports, open data and their statistics (issue 12): small-cell suppression
    (`suppression`), spike and trend detection (`spikes`), and later the daily rollups and
    managers' dashboards they read."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "srmt.reporting"
    label = "reporting"
