from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Committee subtree backups: `export_all` and `import_all`; no models."""

    name = "backups"
