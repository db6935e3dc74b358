from typing import Any

from django.core.management.base import BaseCommand

from srmt.reviews.defaults import load_default_rules
from srmt.seed.reference import load_reference


class Command(BaseCommand):
    help = "Load reference data (offices, forms, request types, deadline policies). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_reference()
        created = ", ".join(
            f"{count} {name.replace('_', ' ')}" for name, count in vars(report).items()
        )
        self.stdout.write(f"Reference data created: {created}.")
        # The review rules are loaded here and by the demo, not by load_reference: test
        # databases start without them (docs/adr/0035).
        self.stdout.write(f"Review rules created: {load_default_rules()}.")
