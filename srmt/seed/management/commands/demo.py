"""`srmt demo`: demo users and data. Idempotent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from srmt.seed.demo import DEMO_USERS, load_demo
from srmt.seed.demo_accounts import ensure_demo_representative


class Command(BaseCommand):
    help = (
        "Load reference data, one demo user per role and a few hundred cases and service "
        "requests spread over the last months. Idempotent: a second run changes nothing. "
        "Passwords come from SRMT_DEMO_PASSWORD."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        password = settings.SRMT_DEMO_PASSWORD
        report = load_demo(password=password)
        if report.created:
            self.stdout.write(
                f"Demo data: {report.users} users, {report.cases} cases, "
                f"{report.requests} service requests."
            )
        else:
            self.stdout.write("Demo data already present; nothing changed.")
        if report.rollup is not None:
            self.stdout.write(report.rollup.summary())
        self.stdout.write("\nDemo logins (password from SRMT_DEMO_PASSWORD):")
        self.stdout.write(f"  {'username':<12} {'role':<14} password")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<12} {user.role:<14} {password}")
        representative = ensure_demo_representative(password)  # made by load_demo: no change
        self.stdout.write("\nDemo representative (public site, /account/login/):")
        self.stdout.write(f"  email: {representative.email}  password: {password}")
        self.stdout.write(
            f"  authenticator app setup key: {representative.totp_secret} "
            f"(G-28 on {representative.receipt_number})"
        )
        if report.access is not None:
            access = report.access
            self.stdout.write("\nLink the demo paper case on the public site (/cases/link/):")
            self.stdout.write(f"  receipt number: {access.receipt_number}")
            used = " (already used or expired)" if access.used else ""
            self.stdout.write(f"  access code:    {access.code}{used}")
            self.stdout.write(f"  (an IOE case filed by nobody yet: {access.ioe_receipt_number})")
