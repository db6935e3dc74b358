"""Small-cell suppression on realistic releases (ADR 47): complementary/primary ratio and
runtime. `make bench-suppression` (BENCH_ARGS="--seeds 5 --offices 12 --forms 10 ...").
H_min is a lower bound on the complementary cells any protecting suppression needs
(`complementary_lower_bound`): where H_min/D is above 0.25, no suppression meets the target."""

from __future__ import annotations

import argparse
import statistics
import time

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
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
