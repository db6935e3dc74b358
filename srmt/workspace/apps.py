from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "srmt.workspace"
    label = "workspace"
    verbose_name = "Staff workspace"
