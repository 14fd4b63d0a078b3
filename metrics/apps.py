from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "metrics"
    verbose_name = _("Metrics")

    def ready(self) -> None:
        # The share of sub-committees measures other metrics through the engine, so it joins the
        # catalogue once the engine and the metrics it measures are loaded.
        from metrics import recompute, shares, tasks  # noqa: F401

        recompute.use_recompute_task(tasks.recompute_dirty_snapshots)
