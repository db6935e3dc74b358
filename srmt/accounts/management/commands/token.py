"""`srmt token USERNAME`: create an API token for the user and print it, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from srmt.accounts import services
from srmt.accounts.models import User
from srmt.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create a new REST API token for USERNAME and print it. It is shown only this once "
        "(only its hash is stored): keep it somewhere safe. Revoke old tokens on the staff "
        "'API tokens' page or in the admin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The staff user the token acts as.")
        parser.add_argument(
            "--name", default="srmt token command", help="What the token is for (shown in lists)."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days until the token expires (default SRMT_API_TOKEN_DAYS).",
        )

    def handle(
        self, *args: Any, username: str, name: str, days: int | None, **options: Any
    ) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user named {username!r}.")
        try:
            issued = services.create_api_token(user, name=name, actor=None, days=days)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(issued.secret)
