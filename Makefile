# Guanwei: `make run` sets everything up and serves on http://127.0.0.1:8000;
# `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
APT_RUN := gettext fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
APT_TEST := $(APT_RUN) poppler-utils chromium
# The embedded default: SQLite under var/, tasks in-process, a generated secret.
RUN_ENV = DJANGO_SECRET_KEY="$$(cat var/secret_key)" DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost

.PHONY: run test serve setup system-deps system-deps-test messages makemessages lint clean

run: setup messages var/secret_key
	$(RUN_ENV) $(MANAGE) migrate --noinput
	$(RUN_ENV) $(MANAGE) seed_demo
	$(RUN_ENV) $(MANAGE) collectstatic --noinput -v 0
	@echo "Guanwei is at http://127.0.0.1:8000 — demo accounts are listed in README.md (password guanwei-demo)."
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:8000

test: system-deps-test $(VENV)/.installed messages
	bash scripts/test.sh

setup: system-deps $(VENV)/.installed

system-deps:
	@bash scripts/ensure-apt.sh $(APT_RUN)

system-deps-test:
	@bash scripts/ensure-apt.sh $(APT_TEST)

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	@touch $@

messages: $(VENV)/.installed
	@DJANGO_SETTINGS_MODULE=guanwei.settings_test $(MANAGE) compilemessages --ignore=.venv --ignore=var -v 0

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

# Production shape on this machine: gunicorn + Celery worker + beat (Procfile)
# against PostgreSQL and Redis. Needs DATABASE_URL and REDIS_URL, e.g.
#   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/guanwei REDIS_URL=redis://127.0.0.1:6379/0 make serve
serve: setup messages var/secret_key
	@test -n "$$DATABASE_URL" || (echo "Set DATABASE_URL (PostgreSQL) for make serve" && exit 2)
	@test -n "$$REDIS_URL" || (echo "Set REDIS_URL for make serve" && exit 2)
	$(RUN_ENV) $(MANAGE) migrate --noinput
	$(RUN_ENV) $(MANAGE) seed_demo
	$(RUN_ENV) $(MANAGE) collectstatic --noinput -v 0
	$(RUN_ENV) PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) var/staticfiles

# Update one app's zh_Hans catalogue: `make makemessages APP=activities`
# (APP=. updates the project catalogue for templates/ and guanwei/).
makemessages: $(VENV)/.installed
	@if [ "$(APP)" = "." ]; then \
	  DJANGO_SETTINGS_MODULE=guanwei.settings_test $(MANAGE) makemessages -l zh_Hans --no-obsolete \
	    --ignore=.venv --ignore=var --ignore=scripts --ignore=orgs --ignore=activities --ignore=metrics --ignore=plans --ignore=assessments --ignore=notifications --ignore=api --ignore=dashboards; \
	else \
	  cd $(APP) && DJANGO_SETTINGS_MODULE=guanwei.settings_test PYTHONPATH=.. ../$(VENV)/bin/django-admin makemessages -l zh_Hans --no-obsolete; \
	fi

# Province-scale benchmark (issue 7) on its own PostgreSQL database, created when
# missing: 100,000 committees and 2,000,000 activities, generated once and reused.
# Prints every figure beside its same-run baseline and target, writes
# var/bench/latest.json and the table in README.md. `make bench BENCH_ARGS=--quick`
# for a short run; BENCH_DB to use another server or database.
BENCH_DB ?= postgresql://postgres@127.0.0.1:5432/guanwei_bench
.PHONY: bench
bench: setup messages var/secret_key
	DATABASE_URL="$(BENCH_DB)" REDIS_URL= DJANGO_SECRET_KEY="$$(cat var/secret_key)" \
	  DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost $(MANAGE) bench --json var/bench/latest.json --readme README.md $(BENCH_ARGS)
