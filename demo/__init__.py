"""The demo data `manage.py seed_demo` loads, one module per app it fills.

`seed_demo` calls `demo.orgs.seed(stdout=...)` first (the committee trees,
people and accounts), then, in this order, `demo.activities.seed(stdout=...)`,
`demo.plans.seed(stdout=...)` (the seed documents in `demo/documents/`,
imported and published) and `demo.assessments.seed(stdout=...)` (rubrics and
rounds). Each `seed`:

- takes one keyword argument, `stdout`: a writable text stream (or None for
  silence); it writes a line or two saying what it created;
- runs in one `transaction.atomic()` block, so a failure leaves nothing half-made;
- is idempotent: it keys every row by a natural key (committee code, username,
  a title plus a date, ...) and creates only what is missing, so a second run
  changes nothing and duplicates nothing;
- is deterministic: anything generated comes from its own
  `random.Random(2022)`, drawn in a fixed order that never depends on what is
  already in the database;
- finds the committees and accounts it needs by the codes and usernames in
  `demo.orgs.data` (e.g. `ZJ_CODE`, `WXIT_CODE`, `QJP_CODE`, "sec_college"),
  never by primary key;
- prefers the app's services for writes, and stays fast (the whole command
  runs in well under 30 seconds on SQLite).
"""
