from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "srmt.accounts"
    label = "accounts"
    verbose_name = "Accounts"
