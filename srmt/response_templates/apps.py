from django.apps import AppConfig


class ResponseTemplatesConfig(AppConfig):
    name = "srmt.response_templates"
    label = "response_templates"
    verbose_name = "Response templates"
