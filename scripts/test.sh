#!/usr/bin/env bash
# The whole test suite: ruff, migrations check, pytest. PostgreSQL when one
# answers on 127.0.0.1:5432 (as on CI), SQLite otherwise.
set -eu
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=guanwei.settings_test
why="DATABASE_URL is set"
if [ -z "${DATABASE_URL:-}" ]; then
  if $PY scripts/pg_available.py; then
    export DATABASE_URL="postgresql://postgres@127.0.0.1:5432/test"
    why="PostgreSQL answered on 127.0.0.1:5432"
  else
    why="no PostgreSQL answered on 127.0.0.1:5432"
  fi
fi
case "${DATABASE_URL:-sqlite}" in
  postgres*) echo "== Tests use PostgreSQL (${DATABASE_URL}; ${why})" ;;
  *) echo "== Tests use SQLite (${why})" ;;
esac
echo "== ruff"
.venv/bin/ruff check .
echo "== migrations match the models"
$PY manage.py makemigrations --check --dry-run
echo "== pytest"
# Two workers (pytest-xdist): each has its own test database and live server.
exec .venv/bin/pytest -n "${PYTEST_WORKERS:-2}" "$@"
