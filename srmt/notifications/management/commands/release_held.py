"""`srmt release_held`: put held customer messages in the outbox (ADR 26)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from srmt.notifications import delivery


class Command(BaseCommand):
    help = (
        "Release customer messages the delivery gate held (SRMT_RELEASE_POLICY): each is put "
        "in the outbox once and delivered after commit, with an audit event by the system. "
        "Give notification ids, or --all for every held message."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="Notification ids to release.")
        parser.add_argument("--all", action="store_true", help="Release every held message.")

    def handle(self, *args: Any, **options: Any) -> None:
        ids: list[int] = options["ids"]
        if options["all"] == bool(ids):
            raise CommandError("Give notification ids or --all (not both).")
        released = delivery.release(delivery.held_ids() if options["all"] else ids, actor=None)
        self.stdout.write(f"Released {len(released)} held message(s).")
