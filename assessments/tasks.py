"""Background jobs: the round summary PDF (large rounds take a while)."""

from __future__ import annotations

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.models import ReportJob, ReportJobStatus


@shared_task(bind=True, max_retries=2, acks_late=True)
def render_round_report(self, job_id: int) -> str:
    """Render one ReportJob. Claimed with a conditional update, so a duplicate delivery does nothing."""
    from assessments.pdf import render_round_pdf

    claimed = ReportJob.objects.filter(pk=job_id, status=ReportJobStatus.PENDING).update(
        status=ReportJobStatus.RUNNING, done=0
    )
    if claimed != 1:
        return "skipped"
    job = ReportJob.objects.select_related("round__rubric", "round__committee", "committee").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        ReportJob.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        pdf = render_round_pdf(job.round, job.committee, progress)
    except Exception as exc:
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJobStatus.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    job.refresh_from_db()
    job.file.save(f"round-{job.round_id}-{job.committee_id}-{job.pk}.pdf", ContentFile(pdf), save=False)
    job.status = ReportJobStatus.DONE
    job.done = job.total = max(job.total, 1)
    job.finished_at = timezone.now()
    job.save()
    return "done"
