from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "srmt.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Connects the sign-in audit receivers (framework plumbing; see the module).
        from srmt.accounts import signals  # noqa: F401
