"""The daily rollups (issue 12, section 1; ADR 0048).

`build.refresh` / `build.rebuild` fill DailyRollup and DurationBucket from the base tables
(`srmt rollup [--full]`, and the worker's periodic task in `tasks`); `read` is the small read
API the reports, downloads and dashboards use.
"""
