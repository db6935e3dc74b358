"""`srmt qa-sample --week 2026-W48 --seed 7`: draw the week's national QA sample, or check
that a stored one draws again identically."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from srmt.accounts.actors import SYSTEM, Actor
from srmt.accounts.models import User
from srmt.core.errors import DomainError
from srmt.qa import sampling, services
from srmt.qa.models import Sample


class Command(BaseCommand):
    help = (
        "Draw the stratified QA sample of the requests closed in an ISO week (per office and "
        "type, at each office's rate and minimum), reproducibly from --seed, and assign "
        "reviewers from other offices. A week and seed already drawn is checked instead: "
        "its stored frame must draw the same requests again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--week", required=True, help="ISO week, e.g. 2026-W48.")
        parser.add_argument("--seed", required=True, type=int, help="Seed, e.g. 7.")
        parser.add_argument(
            "--as", dest="username", default="", help="Record this QA lead as the drawer."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        week, seed = options["week"], options["seed"]
        existing = Sample.objects.filter(week=week, seed=seed).first()
        if existing is not None:
            self._verify(existing)
            return
        actor: Actor = SYSTEM
        if options["username"]:
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No user {options['username']!r}.")
            actor = user
        if seed < 0:
            raise CommandError("The seed is a whole number, 0 or more.")
        try:
            sample = services.draw_sample(week=week, seed=seed, actor=actor)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        drawn = sum(len(s["drawn"]) for s in sample.frame)
        self.stdout.write(
            f"Sample {sample.pk}: {week}, seed {seed}: {drawn} of {sample.population} closed "
            f"requests in {len(sample.frame)} strata."
        )
        for stratum in sample.frame:
            self.stdout.write(
                f"  {stratum['office']:<10} {stratum['type']:<36} "
                f"{len(stratum['drawn']):>4} of {len(stratum['population']):>5} "
                f"(rate {stratum['rate']}, minimum {stratum['minimum']})"
            )

    def _verify(self, sample: Sample) -> None:
        again = sampling.redraw(sample.frame, week=sample.week, seed=sample.seed)
        stored = [list(s["drawn"]) for s in sample.frame]
        if again != stored:
            raise CommandError(f"Sample {sample.pk} does NOT draw again identically.")
        self.stdout.write(
            f"Sample {sample.pk} ({sample.week}, seed {sample.seed}) exists; drawn again "
            f"from its frame it gives the same {sum(map(len, stored))} requests."
        )
