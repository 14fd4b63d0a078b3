from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "orgs"
    verbose_name = _("Committees and people")

    def ready(self) -> None:
        from guanwei import lookups  # noqa: F401  (integer `in` lookups drop numbers past the column)
        from orgs import audit  # noqa: F401  (connects the login audit receivers)
