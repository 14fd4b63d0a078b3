from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("Plans")

    def ready(self) -> None:
        from metrics.recompute import register_figures
        from plans.progress import target_figures

        # Target progress on plan pages and dashboards reads the metric snapshots of these figures.
        register_figures("plans.targets", target_figures)
