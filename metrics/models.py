"""Metric snapshots: stored results of the engine that dashboards and plan pages read for big subtrees.

A snapshot is exactly what `metrics.engine.evaluate_many` returned for one
committee, metric, parameter set and period when it was computed. Committees
whose numbers may have changed since are listed in `DirtyCommittee`; a page
never shows a snapshot of a dirty committee (it asks the engine instead,
except for big subtrees, see `metrics.snapshots.Figures`), so what a leader
sees equals the engine.

The tables were created by the dashboards app and keep their names
(`dashboards/migrations/0003`, `metrics/migrations/0001`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.models import Committee

VALUE = {"max_digits": 20, "decimal_places": 6}


class MetricSnapshot(models.Model):
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="metric_snapshots", verbose_name=_("committee")
    )
    metric = models.CharField(_("metric"), max_length=50)
    # Canonical JSON of the metric's parameters (sorted keys), "{}" for none.
    params_key = models.CharField(_("parameters"), max_length=200)
    subtree = models.BooleanField(_("whole subtree"), default=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), **VALUE)
    numerator = models.DecimalField(_("numerator"), null=True, blank=True, **VALUE)
    denominator = models.DecimalField(_("denominator"), null=True, blank=True, **VALUE)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        db_table = "dashboards_metricsnapshot"
        verbose_name = _("metric snapshot")
        verbose_name_plural = _("metric snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "metric", "params_key", "subtree", "period_start", "period_end"],
                name="metric_snapshot_natural_key",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="snapshot_period"
            ),
        ]
        indexes = [models.Index(fields=["period_start", "committee"], name="snapshot_period_committee")]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.metric} {self.params_key} {self.period_start}–{self.period_end}"


class DirtyCommittee(models.Model):
    """A committee whose snapshots may be out of date (its subtree's records changed)."""

    committee = models.OneToOneField(Committee, on_delete=models.CASCADE, related_name="+", verbose_name=_("committee"))
    marked_at = models.DateTimeField(_("marked at"))

    class Meta:
        db_table = "dashboards_dirtycommittee"
        verbose_name = _("committee to recompute")
        verbose_name_plural = _("committees to recompute")

    def __str__(self) -> str:
        return f"{self.committee_id} @ {self.marked_at}"
