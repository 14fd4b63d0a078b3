from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from assessments.metric_source import gate_evaluations
        from metrics.records import GATE_EVALUATIONS, register_source

        # The metric `gate_reached` counts these.
        register_source(GATE_EVALUATIONS, gate_evaluations)
