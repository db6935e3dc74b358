from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "srmt.quality"
    label = "quality"
    verbose_name = "New-information check"

    def ready(self) -> None:
        from srmt.core.snapshots import invalidate_on_change
        from srmt.quality.templates import SNAPSHOT
        from srmt.response_templates.models import ResponseTemplate, TemplateVersion

        invalidate_on_change(ResponseTemplate, SNAPSHOT)
        invalidate_on_change(TemplateVersion, SNAPSHOT)
