from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The main menu's entry (used by orgs.context_processors.navigation).
NAV_LABEL = _("Dashboard")


class DashboardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboards"
    verbose_name = _("Dashboards")
