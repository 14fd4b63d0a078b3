from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The main menu's entry (used by orgs.context_processors.navigation).
NAV_LABEL = _("Dashboard")


class DashboardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from dashboards.specs import dashboard_figures
        from metrics.recompute import register_figures

        # The dashboards read their figures from the metric snapshots: have the recompute store them.
        register_figures("dashboards", dashboard_figures)
