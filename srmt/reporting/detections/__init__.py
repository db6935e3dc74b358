"""The daily detection run over the rollups and its digest to the offices (ADR 0051).

`run_detections` reads the opened-requests series of every level from `DailyRollup`, runs
the product detector (`srmt.reporting.spikes.detect`, ADR 0046) and upserts `Detection`
rows with their explanation in English and Spanish; `send_digests` emails each office's
supervisors, once a day, about the detections touching their office. `tasks` chains both
daily (`srmt worker` starts the chain); `srmt detect` runs them once.
"""
