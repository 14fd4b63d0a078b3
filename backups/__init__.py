"""Backups of a committee subtree: `export_all DIR --committee CODE` and `import_all DIR`.

The format is our own and stable, so a backup can go into a database that
already holds other committees (ids are never reused, so nothing there is
overwritten):

    DIR/manifest.json                 what was exported, counts, anything left out
    DIR/data/<app>.<model>.json       one list of rows per model, in load order
    DIR/files/<stored name>           every uploaded file the rows refer to

Each row keeps its old id; a foreign key holds the old id of a row in the same
backup, except that committees are named by their unique code (so the
subtree's root can hang under its parent again, found by code), users by user
name, and activity kinds by code. Rubric versions already present in the
target (same family and version) are reused, not copied. Import runs in one
transaction: all of it lands, or nothing does (files copied in are removed
again on failure).

The modules: `parts` (what goes in, in load order, and the format's
constants), `export` (`export_subtree`, for `export_all`) and `restore`
(`read_manifest` and `import_subtree`, for `import_all`).
"""
