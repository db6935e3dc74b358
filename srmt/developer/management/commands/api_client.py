"""`srmt api-client NAME`: register a Case Status API client and print its credentials once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from srmt.accounts.actors import SYSTEM
from srmt.developer.services import register_client


class Command(BaseCommand):
    help = "Register a Case Status API client; prints its client_id and client_secret once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="who the client is (an integrator's name)")

    def handle(self, *args: Any, **options: Any) -> None:
        new = register_client(actor=SYSTEM, name=options["name"])
        self.stdout.write(f"client_id: {new.client.client_id}")
        self.stdout.write(f"client_secret: {new.client_secret}")
