"""`srmt token USERNAME`: print the user's API token, creating it on first use."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework.authtoken.models import Token

from srmt.accounts.models import User


class Command(BaseCommand):
    help = "Print USERNAME's REST API token (created if the user has none yet)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The staff user whose token to print.")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"The user {username!r} is deactivated; activate them first.")
        token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
