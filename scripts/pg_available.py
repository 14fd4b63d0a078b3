"""Exit 0 when a PostgreSQL server answers on 127.0.0.1:5432 as user postgres."""

import sys

try:
    import psycopg

    psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", connect_timeout=3).close()
except Exception:  # noqa: BLE001 - any failure means "not available"
    sys.exit(1)
sys.exit(0)
