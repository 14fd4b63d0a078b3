"""Racing finalisations and edits after finalisation fail cleanly (PostgreSQL only).

Run with:
DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test GUANWEI_TEST_DB_NAME=test_assessments \
    DJANGO_SETTINGS_MODULE=guanwei.settings_test .venv/bin/pytest assessments/tests/test_concurrency.py
"""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from assessments import services
from assessments.models import EvaluationEvent, EvaluationStatus, Score

from .conftest import FULL, score_all

THREADS = 8


def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite admits one writer at a time, so there is no race to test")


def run_in_threads(work, count):
    barrier = threading.Barrier(count)
    outcomes = []

    def target(i):
        try:
            barrier.wait(timeout=30)
            work(i)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.code or "invalid")
        except Exception as exc:  # reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_racing_finalise_and_edits_leave_one_finalisation_and_untouched_scores(college_eval, rubric_set, personas):
    _require_postgresql()
    sec, admin = personas["sec_college"], personas["admin"]
    college_eval.round.self_deadline = dt.date(2100, 1, 1)
    college_eval.round.review_deadline = dt.date(2100, 1, 2)
    college_eval.round.save()
    services.evaluation_self_score(evaluation=college_eval, entries=score_all(rubric_set, **FULL), by=sec)
    services.evaluation_submit(evaluation=college_eval, by=sec)
    services.evaluation_review_score(evaluation=college_eval, entries=score_all(rubric_set, **FULL), by=admin)
    stale = type(college_eval).objects.get(pk=college_eval.pk)

    def work(i):
        if i % 2:
            services.evaluation_finalise(evaluation=stale, by=admin)
        else:
            services.evaluation_review_score(
                evaluation=stale, entries=score_all(rubric_set, wulao=10 + i), by=admin, reason=f"第{i}次修改"
            )

    outcomes = run_in_threads(work, THREADS)
    assert set(outcomes) <= {"ok", "locked"}, outcomes
    stale.refresh_from_db()
    assert stale.status == EvaluationStatus.FINALISED
    assert EvaluationEvent.objects.filter(evaluation=stale, to_status=EvaluationStatus.FINALISED).count() == 1
    # whatever edit won before the finalisation is what the locked total says
    wulao = Score.objects.get(evaluation=stale, criterion=rubric_set.wulao).review_points
    assert stale.review_total == 40 + wulao + 20
