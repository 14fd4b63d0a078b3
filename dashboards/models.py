"""Dashboard-only records: the leaders' weekly workbook mailings.

The metric snapshots the dashboards read are the metrics app's (`metrics.models`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.models import Committee


class WeeklyMailing(models.Model):
    """One leader's Monday workbook of one committee for one week; the row makes sending idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(_("week"), max_length=10)  # ISO week, e.g. "2022-W26"
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly dashboard e-mail")
        verbose_name_plural = _("weekly dashboard e-mails")
        constraints = [
            models.UniqueConstraint(fields=["user", "committee", "week"], name="weekly_mailing_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.committee_id} {self.week}"
