"""The metric engine: the one place measurements over activity data are defined, computed and stored.

- `catalogue`: every metric (code, parameters, Chinese label, unit) and how it counts;
  `shares`: the share of sub-committees meeting a condition of another metric.
- `engine`: one metric for many committees, many at once (`evaluate_batch`), the records that counted;
  `rollup`: additive figures of many subtrees from one pass over the records.
- `periods`, `results`, `goals`: periods, exact results, and a result against a goal (met, left, shown).
- `records`: the rows each metric counts; `queries`: the SQL building blocks.
- `models`, `snapshots`, `recompute`, `tasks`: stored results, their reads and their recompute.

Plans, assessments and dashboards ask this app; it imports none of them. What it needs
from them (records they keep, figures they want stored) they register at start-up.
"""
