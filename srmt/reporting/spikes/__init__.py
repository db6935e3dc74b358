"""Spike and trend detection on daily count series (issue 12, section 4; ADR 0046).

`detect` is the one detector: the product's rollups and dashboards, `srmt spikes --csv` and
`make bench-spikes` all call it. `calendar` gives the federal-holiday features, `fdr` the
Benjamini–Hochberg step, `synthetic` the labelled benchmark generator.
"""

from srmt.reporting.spikes.detector import Config, Detection, detect

__all__ = ["Config", "Detection", "detect"]
