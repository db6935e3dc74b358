from django.core.management.base import BaseCommand

from srmt.seed.reference import load_reference


class Command(BaseCommand):
    help = "Load reference data (offices, forms, request types, deadline policies). Idempotent."

    def handle(self, *args, **options):
        report = load_reference()
        self.stdout.write(
            f"Reference data: {report.offices} offices, {report.forms} forms, "
            f"{report.request_types} request types, {report.policies} deadline policies created."
        )
