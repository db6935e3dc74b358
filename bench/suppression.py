"""Small-cell suppression on realistic releases (ADR 47): complementary/primary ratio and
runtime. `make bench-suppression` (BENCH_ARGS="--seeds 5 --offices 12 --forms 10 ...").
H_min is a lower bound on the complementary cells any protecting suppression needs
(`complementary_lower_bound`): where H_min/D is above 0.25, no suppression meets the target.

    --database: the PUBLIC releases of the database of DATABASE_URL (rollups built, e.g. a
    generated one, or the demo's SQLite file) as `warm_published` builds them: the
    unfiltered release and every single-filter one. Per release: D and H of its own cells
    (a filtered release: the cells the unfiltered one does not have), D and H with the
    unfiltered release's cells (what a reader of both pages sees), H_min of the release
    read with the unfiltered one, and the build time; then the totals."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from srmt.reporting.suppression import audit, suppress
from srmt.reporting.suppression.complementary import complementary_lower_bound
from srmt.reporting.suppression.generator import realistic_release


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--offices", type=int, default=12)
    parser.add_argument("--forms", type=int, default=10)
    parser.add_argument("--types", type=int, default=5)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--requests", type=int, default=60_000)
    parser.add_argument(
        "--database", action="store_true", help="the public releases of DATABASE_URL"
    )
    args = parser.parse_args()
    if args.database:
        public_releases()
        return
    ratios: list[float] = []
    primaries = complementaries = 0
    print(
        "seed  cells  constraints  primary(D)  complementary(H)  H/D    suppress_s  audit_s  audit"
        "  H_min  H_min/D"
    )
    for seed in range(args.seeds):
        release = realistic_release(
            seed, args.offices, args.forms, args.types, args.weeks, args.requests
        )
        t0 = time.perf_counter()
        pub = suppress(release)
        t1 = time.perf_counter()
        report = audit(pub)
        t2 = time.perf_counter()
        bound = complementary_lower_bound(release)
        ratios.append(pub.complementary_ratio)
        primaries += pub.primary_count
        complementaries += pub.complementary_count
        print(
            f"{seed:>4}  {len(release.values):>5}  {len(release.constraints):>11}  "
            f"{pub.primary_count:>10}  {pub.complementary_count:>16}  "
            f"{pub.complementary_ratio:.3f}  {t1 - t0:>10.1f}  {t2 - t1:>7.1f}  "
            f"{'PASS' if report.passed else 'FAIL'}  {bound:>5}  {bound / pub.primary_count:.3f}"
        )
    print(
        f"overall H/D = {complementaries}/{primaries} = {complementaries / primaries:.3f}; "
        f"per release median {statistics.median(ratios):.3f}, max {max(ratios):.3f} "
        f"(target <= 0.25); solver {report.solver}"
    )


def public_releases() -> None:
    """H/D of every public release `warm_published` builds, on the database of
    DATABASE_URL (ADR 47 and 49)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmt.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection

    from srmt.reporting.models import RollupState
    from srmt.reporting.public import release as public
    from srmt.reporting.suppression import Publication, Status

    def counts(pub: Publication, cells: set | None = None) -> tuple[int, int]:
        statuses = [s for k, s in pub.status.items() if cells is None or k in cells]
        return statuses.count(Status.PRIMARY), statuses.count(Status.COMPLEMENTARY)

    load = os.getloadavg()
    print(
        f"public releases of {connection.settings_dict['NAME']}; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    cache.clear()
    state = RollupState.objects.filter(name=public.STATE_NAME).first()
    t0 = time.perf_counter()
    master = public.master_publication(state)
    seconds = time.perf_counter() - t0
    if master is None:
        sys.exit("nothing is published (no refresh, or no complete week of rollups)")
    d, h = counts(master)
    bound = complementary_lower_bound(master.release, master.policy)
    print(
        "release                                    own D  own H  own H/D  D+master  H+master"
        "  H/D+master  H_min  build_s"
    )
    print(
        f"{'(unfiltered)':<42} {d:>5}  {h:>5}  {h / d if d else 0:>7.3f}  {d:>8}  {h:>8}  "
        f"{h / d if d else 0:>10.3f}  {bound:>5}  {seconds:>7.2f}"
    )
    own_d = own_h = both_d = both_h = 0
    worst = (0.0, "")
    for filters in public.single_filters():
        t0 = time.perf_counter()
        _release, pub = public.build_with_publication(filters, state)
        seconds = time.perf_counter() - t0
        label = ", ".join(f"{k}={v}" for k, v in vars(filters).items() if v)
        if pub is None:
            print(f"{label:<42} NOT PUBLISHED")
            continue
        own = set(pub.release.values) - set(master.release.values)
        od, oh = counts(pub, own)
        bd, bh = counts(pub)
        try:
            bound = complementary_lower_bound(pub.release, pub.policy)
        except OverflowError:  # the necessary conditions cannot all be met
            bound = -1
        own_d, own_h, both_d, both_h = own_d + od, own_h + oh, both_d + bd, both_h + bh
        worst = max(worst, (bh / bd if bd else 0.0, label))
        print(
            f"{label:<42} {od:>5}  {oh:>5}  {oh / od if od else 0:>7.3f}  {bd:>8}  {bh:>8}  "
            f"{bh / bd if bd else 0:>10.3f}  {bound:>5}  {seconds:>7.2f}"
        )
    print(
        f"filtered releases, own cells: H/D = {own_h}/{own_d} = {own_h / max(own_d, 1):.3f}; "
        f"with the unfiltered release's cells: {both_h}/{both_d} = {both_h / max(both_d, 1):.3f},"
        f" worst {worst[0]:.3f} ({worst[1]}) (target <= 0.25)"
    )


if __name__ == "__main__":
    main()
